package dev.vlmadapt.runtime.optim;

import java.io.Serializable;

/**
 * One query point, described relative to its batch's base point so that only seeds and small records travel:
 * a coordinate step, a seeded random direction, or (for CMA-ES candidates) an explicit offset.
 */
public sealed interface Perturbation extends Serializable {
    /**
     * @param base the batch's base point
     * @param mask the batch's coordinate mask (1 = perturbed), or null for all coordinates
     * @return the query point
     */
    double[] apply(double[] base, double[] mask);

    /** {@code base + step·e_index}. */
    record Coordinate(int index, double step) implements Perturbation {
        @Override
        public double[] apply(double[] base, double[] mask) {
            double[] x = base.clone();
            x[index] += step;
            return x;
        }
    }

    /** {@code base + delta}. */
    record Offset(double[] delta) implements Perturbation {
        @Override
        public double[] apply(double[] base, double[] mask) {
            double[] x = base.clone();
            for (int i = 0; i < x.length; i++) {
                x[i] += delta[i];
            }
            return x;
        }
    }

    /** {@code base + scale·(u ⊙ mask)}, u from {@link Directions#draw} with the given kind and seed. */
    record Seeded(Directions.Kind kind, long seed, double scale) implements Perturbation {
        @Override
        public double[] apply(double[] base, double[] mask) {
            double[] u = Directions.draw(kind, seed, base.length, mask);
            double[] x = base.clone();
            for (int i = 0; i < x.length; i++) {
                x[i] += scale * u[i];
            }
            return x;
        }
    }
}
