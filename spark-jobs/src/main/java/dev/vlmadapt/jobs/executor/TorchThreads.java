package dev.vlmadapt.jobs.executor;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's intra-op thread count in this JVM. Asking PyTorch anything before its native library is loaded fails
 * with an {@link UnsatisfiedLinkError}, and whether a job has loaded it yet depends on what ran before (an
 * experiment that only reuses finished runs loads no model), so every question goes through here.
 */
public final class TorchThreads {
    private TorchThreads() {
    }

    /** @return the number of threads PyTorch computes with in this JVM (this thread's setting) */
    public static int current() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }

    /** @param threads the number of threads PyTorch is to compute with */
    public static void set(int threads) {
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
    }
}
