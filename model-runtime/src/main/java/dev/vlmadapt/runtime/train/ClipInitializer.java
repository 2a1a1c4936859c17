package dev.vlmadapt.runtime.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vlmadapt.runtime.clip.CheckpointLayout;
import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipTensors;
import dev.vlmadapt.runtime.clip.ClipWeights;
import dev.vlmadapt.runtime.clip.TensorMapping;
import dev.vlmadapt.runtime.clip.TowerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fresh CLIP weights with OpenCLIP's initialisation scheme (normal with per-role standard deviations, zero
 * biases, unit LayerNorm gains, logit scale log(1/0.07)). Values come from a Java RNG seeded by the caller,
 * so a seed gives the same model on any machine and engine.
 */
public final class ClipInitializer {
    private ClipInitializer() {
    }

    /**
     * @param config the architecture
     * @param seed RNG seed
     * @param manager becomes the owner of the weights
     * @return freshly initialised weights
     */
    public static ClipWeights initialize(ClipConfig config, long seed, NDManager manager) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, NDArray> out = new LinkedHashMap<>();
        // The Hugging Face mapping lists every runtime tensor once, with its shape.
        for (TensorMapping m : CheckpointLayout.HUGGING_FACE.mappings(config)) {
            String name = m.internal();
            long[] shape = internalShape(m);
            long size = 1;
            for (long d : shape) {
                size *= d;
            }
            float[] v = new float[(int) size];
            double std = std(name, config);
            if (name.endsWith("ln1.weight") || name.endsWith("ln2.weight") || name.endsWith("_ln.weight")) {
                java.util.Arrays.fill(v, 1f);
            } else if (name.equals(ClipTensors.LOGIT_SCALE)) {
                v[0] = (float) Math.log(1 / 0.07);
            } else if (std > 0) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (std * rng.nextGaussian());
                }
            }
            out.put(name, manager.create(v, new ai.djl.ndarray.types.Shape(shape)));
        }
        return new ClipWeights(manager, out);
    }

    private static long[] internalShape(TensorMapping m) {
        long[] s = m.fileShapes().get(0).getShape().clone();
        if (m.kind() == TensorMapping.Kind.CONCAT) {
            s[0] *= m.fileNames().size();
        }
        return s;
    }

    /** Standard deviation per tensor role; 0 means zeros (biases, LayerNorm shifts). */
    private static double std(String name, ClipConfig c) {
        if (name.endsWith(".bias") || name.equals(ClipTensors.LOGIT_SCALE)) {
            return 0;
        }
        boolean text = name.startsWith(ClipTensors.TEXT);
        TowerConfig t = text ? c.text() : c.vision();
        double width = t.width();
        double attnStd = Math.pow(width, -0.5);
        double projStd = attnStd * Math.pow(2.0 * t.layers(), -0.5);
        double fcStd = Math.pow(2.0 * width, -0.5);
        if (name.equals(ClipTensors.TOKEN_EMBEDDING)) {
            return 0.02;
        }
        if (name.equals(ClipTensors.TEXT_POSITION_EMBEDDING)) {
            return 0.01;
        }
        if (name.equals(ClipTensors.CLASS_EMBEDDING) || name.equals(ClipTensors.VISION_POSITION_EMBEDDING)
                || name.equals(ClipTensors.TEXT_PROJECTION) || name.equals(ClipTensors.VISION_PROJECTION)) {
            return attnStd;
        }
        if (name.equals(ClipTensors.PATCH_EMBEDDING)) {
            return 1.0 / Math.sqrt(3.0 * c.patchSize() * c.patchSize());
        }
        if (name.contains(ClipTensors.IN_PROJ)) {
            return attnStd;
        }
        if (name.contains(ClipTensors.OUT_PROJ) || name.contains(ClipTensors.FC2)) {
            return projStd;
        }
        if (name.contains(ClipTensors.FC1)) {
            return fcStd;
        }
        return 0; // LayerNorm gains are set to 1 by the caller
    }
}
