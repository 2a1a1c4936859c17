package dev.vlmadapt.runtime.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant that is safe under autograd. DJL's {@code NDArray.mul(Number)} (and {@code div},
 * {@code add}, {@code sub}, {@code pow}, ...) wraps the number in a tensor over a Java direct buffer and closes it
 * as soon as the operation returns. Autograd keeps that tensor for the backward pass (d(x·c)/dx = c), so once the
 * garbage collector frees the buffer, backward reads freed memory: gradients come out NaN, infinite or silently
 * wrong, more often the more the collector runs (measured: this was the "transient" NaN of pretraining and the
 * reason 2-thread pretraining was not reproducible under load). Here the constant is a 0-d tensor that PyTorch
 * allocates, owned by the operand's manager, so it lives as long as the graph that uses it. Same values, same
 * bits as the Number forms.
 */
public final class Scalars {
    private Scalars() {
    }

    /**
     * @param like an array whose manager, device and type the constant takes
     * @param value the constant
     * @return a {@code ()} array holding {@code value}
     */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /**
     * @param x any shape
     * @param c a constant
     * @return {@code x · c}
     */
    public static NDArray mul(NDArray x, double c) {
        return x.mul(of(x, c));
    }

    /**
     * @param x any shape
     * @param c a constant
     * @return {@code x / c}
     */
    public static NDArray div(NDArray x, double c) {
        return x.div(of(x, c));
    }
}
