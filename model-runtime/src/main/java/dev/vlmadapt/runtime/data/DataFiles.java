package dev.vlmadapt.runtime.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** File access shared by the dataset readers. */
final class DataFiles {
    private static final int BUFFER = 1 << 16;

    private DataFiles() {
    }

    /**
     * Opens a file, transparently decompressing it when it starts with the gzip magic (whatever its name).
     *
     * @param file the file
     * @return a buffered stream of the (decompressed) content
     * @throws IOException if the file cannot be opened
     */
    static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                return new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
            }
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
