package dev.vlmadapt.runtime.optim;

import java.io.Serializable;
import java.util.List;

/**
 * The query points an optimizer asks to be evaluated next: a base point, an optional coordinate mask, and one
 * perturbation per point. Materialised with {@link #point(int)} wherever the losses are computed.
 *
 * @param base base point (length d)
 * @param mask 0/1 per coordinate for masked random directions, or null
 * @param points the perturbations, in query order
 */
public record QueryBatch(double[] base, double[] mask, List<Perturbation> points) implements Serializable {
    /** @return the number of queries */
    public int size() {
        return points.size();
    }

    /**
     * @param i query index
     * @return the i-th query point
     */
    public double[] point(int i) {
        return points.get(i).apply(base, mask);
    }
}
