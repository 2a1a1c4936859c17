package dev.vlmadapt.runtime.clip;

import java.io.IOException;

/** A model directory that cannot be loaded: missing files, a malformed config, or tensors that do not fit. */
public class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong and where */
    public CheckpointException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong and where
     * @param cause the underlying failure
     */
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
