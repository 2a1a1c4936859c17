package dev.vlmadapt.jobs;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Turns the {@code device} setting into a DJL device. */
public final class Devices {
    private Devices() {
    }

    /**
     * @param setting {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
     * @return the device; {@code auto} is the first GPU when the engine sees one, else the CPU
     * @throws IllegalArgumentException for other values or a GPU that is not there
     */
    public static Device resolve(String setting) {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        switch (setting) {
            case "auto":
                return gpus > 0 ? Device.gpu(0) : Device.cpu();
            case "cpu":
                return Device.cpu();
            case "gpu":
                return gpu(0, gpus);
            default:
                if (setting.matches("gpu:\\d+")) {
                    return gpu(Integer.parseInt(setting.substring(4)), gpus);
                }
                throw new IllegalArgumentException("vlmadapt.device = '" + setting
                        + "'; expected auto, cpu, gpu or gpu:N");
        }
    }

    private static Device gpu(int id, int gpus) {
        if (id >= gpus) {
            throw new IllegalArgumentException("vlmadapt.device asks for gpu:" + id + " but the engine sees "
                    + gpus + " GPU(s)");
        }
        return Device.gpu(id);
    }
}
