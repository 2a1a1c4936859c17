package dev.vlmadapt.runtime.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * All tensors of one CLIP under the runtime's names ({@link ClipTensors}), fp32, on one device. Owns its
 * arrays: closing it frees them.
 */
public final class ClipWeights implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> tensors;

    /**
     * Takes ownership of {@code tensors}: they are attached to {@code manager}.
     *
     * @param manager the manager that owns the arrays (and decides the device)
     * @param tensors runtime name to tensor
     */
    public ClipWeights(NDManager manager, Map<String, NDArray> tensors) {
        this.manager = manager;
        this.tensors = new LinkedHashMap<>(tensors);
        this.tensors.values().forEach(a -> a.attach(manager));
    }

    /**
     * @param name a runtime name
     * @return the tensor
     * @throws IllegalArgumentException if there is no such tensor
     */
    public NDArray get(String name) {
        NDArray a = tensors.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "'");
        }
        return a;
    }

    /** @return read-only view of runtime name to tensor, in checkpoint order */
    public Map<String, NDArray> asMap() {
        return Collections.unmodifiableMap(tensors);
    }

    /** @return the manager owning the tensors */
    public NDManager manager() {
        return manager;
    }

    /** @return the device the tensors live on */
    public Device device() {
        return manager.getDevice();
    }

    /** @return total number of scalar parameters */
    public long parameterCount() {
        return tensors.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    @Override
    public void close() {
        manager.close();
    }
}
