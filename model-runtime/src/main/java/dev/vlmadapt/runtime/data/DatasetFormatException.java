package dev.vlmadapt.runtime.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A dataset file exists and could be read but its content is not what the format requires. The message
 * always starts with the file path and states what was found and what was expected.
 */
public class DatasetFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, including the file path
     */
    public DatasetFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, including the file path
     * @param cause the lower-level failure (for example a JSON syntax error)
     */
    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param file the offending file, prefixed to the message
     * @param format {@link String#format} pattern describing the problem
     * @param args pattern arguments
     * @return the exception, for the caller to throw
     */
    static DatasetFormatException of(Path file, String format, Object... args) {
        return new DatasetFormatException(file + ": " + String.format(Locale.ROOT, format, args));
    }
}
