package dev.vlmadapt.runtime.prompt;

import dev.vlmadapt.runtime.random.Seeds;
import java.util.SplittableRandom;

/**
 * The Fastfood random projection (Le, Sarlós and Smola, ICML 2013) as used for intrinsic-dimension
 * reparameterisations (Li et al., ICLR 2018): per block of size L = 2^k, {@code H·G·Π·H·B·x / √(L·ΣG²)} with
 * H the unnormalised Walsh–Hadamard transform, B random signs, Π a random permutation and G Gaussian, so each
 * block is near-orthonormal; blocks are stacked to the output width. Written by hand: no maintained Java
 * library provides it, and it is a few loops.
 */
public final class Fastfood {
    private final int in;
    private final int out;
    private final int block;
    private final double[][] signs;
    private final int[][] perm;
    private final double[][] gauss;
    private final double[] divisor;

    /**
     * @param in input dimension
     * @param out output dimension
     * @param seed seed of B, Π and G
     */
    public Fastfood(int in, int out, long seed) {
        this.in = in;
        this.out = out;
        this.block = Integer.highestOneBit(Math.max(1, in - 1)) << 1;
        int blocks = (out + block - 1) / block;
        signs = new double[blocks][block];
        perm = new int[blocks][block];
        gauss = new double[blocks][block];
        divisor = new double[blocks];
        SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "fastfood"));
        for (int b = 0; b < blocks; b++) {
            double sumSq = 0;
            for (int i = 0; i < block; i++) {
                signs[b][i] = r.nextBoolean() ? 1 : -1;
                perm[b][i] = i;
                gauss[b][i] = r.nextGaussian();
                sumSq += gauss[b][i] * gauss[b][i];
            }
            for (int i = block - 1; i > 0; i--) {       // Fisher–Yates
                int j = r.nextInt(i + 1);
                int t = perm[b][i];
                perm[b][i] = perm[b][j];
                perm[b][j] = t;
            }
            divisor[b] = Math.sqrt(block * sumSq);
        }
    }

    /**
     * @param x {@code in} values
     * @return {@code out} values
     */
    public double[] apply(double[] x) {
        double[] y = new double[out];
        double[] v = new double[block];
        for (int b = 0; b * block < out; b++) {
            java.util.Arrays.fill(v, 0);
            for (int i = 0; i < in; i++) {
                v[i] = x[i] * signs[b][i];
            }
            hadamard(v);
            double[] p = new double[block];
            for (int i = 0; i < block; i++) {
                p[i] = v[perm[b][i]] * gauss[b][i];
            }
            hadamard(p);
            for (int i = 0; i < block && b * block + i < out; i++) {
                y[b * block + i] = p[i] / divisor[b];
            }
        }
        return y;
    }

    /** In-place fast Walsh–Hadamard transform (unnormalised). */
    static void hadamard(double[] v) {
        for (int h = 1; h < v.length; h <<= 1) {
            for (int i = 0; i < v.length; i += h << 1) {
                for (int j = i; j < i + h; j++) {
                    double a = v[j];
                    double c = v[j + h];
                    v[j] = a + c;
                    v[j + h] = a - c;
                }
            }
        }
    }
}
