package dev.vlmadapt.runtime.text;

import java.util.Arrays;

/**
 * B token sequences padded to one context length, with the position of each sequence's end-of-text token.
 * Immutable.
 */
public final class TokenBatch {
    private final long[] ids;
    private final int[] eot;
    private final int contextLength;

    /**
     * @param ids row-major {@code (B, contextLength)} token ids
     * @param eot EOT position per row
     * @param contextLength padded length of every row
     */
    public TokenBatch(long[] ids, int[] eot, int contextLength) {
        if (ids.length != (long) eot.length * contextLength) {
            throw new IllegalArgumentException("ids has " + ids.length + " entries, expected " + eot.length + " × "
                    + contextLength);
        }
        for (int i = 0; i < eot.length; i++) {
            if (eot[i] < 1 || eot[i] >= contextLength) {
                throw new IllegalArgumentException("row " + i + ": EOT position " + eot[i] + " outside [1, "
                        + contextLength + ")");
            }
        }
        this.ids = ids.clone();
        this.eot = eot.clone();
        this.contextLength = contextLength;
    }

    /** @return number of sequences B */
    public int size() {
        return eot.length;
    }

    /** @return padded length of every row */
    public int contextLength() {
        return contextLength;
    }

    /** @return EOT position of every row (a copy) */
    public int[] eotIndices() {
        return eot.clone();
    }

    /** @return the largest EOT position; positions after it never influence a causal model's EOT feature */
    public int maxEot() {
        return Arrays.stream(eot).max().orElse(0);
    }

    /** @return the smallest EOT position */
    public int minEot() {
        return Arrays.stream(eot).min().orElse(0);
    }

    /**
     * @param row a row index
     * @return that row's ids up to and including its EOT
     */
    public long[] row(int row) {
        return Arrays.copyOfRange(ids, row * contextLength, row * contextLength + eot[row] + 1);
    }

    /**
     * @param length positions to keep per row
     * @return row-major {@code (B, length)} ids
     */
    public long[] idsCropped(int length) {
        if (length == contextLength) {
            return ids.clone();
        }
        long[] out = new long[eot.length * length];
        for (int r = 0; r < eot.length; r++) {
            System.arraycopy(ids, r * contextLength, out, r * length, Math.min(length, contextLength));
        }
        return out;
    }

    /**
     * @param rows row indices to take, in order
     * @return a batch of those rows
     */
    public TokenBatch select(int[] rows) {
        long[] out = new long[rows.length * contextLength];
        int[] e = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(ids, rows[i] * contextLength, out, i * contextLength, contextLength);
            e[i] = eot[rows[i]];
        }
        return new TokenBatch(out, e, contextLength);
    }
}
