package dev.vlmadapt.runtime.random;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Seeds derived from a run seed and the coordinates of a random draw (image id and view, step and member, …),
 * so that any worker can regenerate exactly the same draw without coordination: the first 8 bytes of
 * SHA-256 over the parts, each followed by a NUL separator. Independent of partitioning, thread count and JVM.
 */
public final class Seeds {
    private Seeds() {
    }

    /**
     * @param runSeed the run's seed
     * @param parts the draw's coordinates, rendered with {@code String.valueOf}
     * @return a 64-bit seed
     */
    public static long derive(long runSeed, Object... parts) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        sha.update(Long.toString(runSeed).getBytes(StandardCharsets.UTF_8));
        for (Object p : parts) {
            sha.update((byte) 0);
            sha.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
        }
        byte[] d = sha.digest();
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xff);
        }
        return v;
    }
}
