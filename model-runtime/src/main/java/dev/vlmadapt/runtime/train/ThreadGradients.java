package dev.vlmadapt.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Gradient recording for the calling thread. DJL's PyTorch {@code GradientCollector} allows one collector per
 * JVM (a static flag), so two trainings could not run side by side in one executor JVM (the hub build trains
 * one model per Spark task); PyTorch's grad mode itself is per thread. This does what that collector does, for
 * this thread only: grad mode on, backward from a loss seeded with ones, grad mode restored on close.
 */
public final class ThreadGradients implements AutoCloseable {
    private final boolean previous;

    /** Turns gradient recording on for this thread. */
    public ThreadGradients() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /**
     * Accumulates d(loss)/d(w) into the gradient of every weight that requires one.
     *
     * @param loss a scalar loss recorded in this thread
     */
    public void backward(NDArray loss) {
        NDArray seed = loss.getManager().ones(loss.getShape(), loss.getDataType()).toDevice(loss.getDevice(), false);
        JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
    }

    @Override
    public void close() {
        if (!previous) {
            JniUtils.setGradMode(false);
        }
    }
}
