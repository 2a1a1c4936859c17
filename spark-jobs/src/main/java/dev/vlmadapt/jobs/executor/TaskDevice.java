package dev.vlmadapt.jobs.executor;

import ai.djl.Device;
import dev.vlmadapt.jobs.Devices;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * The device a task runs its model on: the first GPU Spark assigned to the task ({@code spark.task.resource.gpu.amount}
 * with a discovery script), else the {@code vlmadapt.device} setting resolved on this executor.
 */
public final class TaskDevice {
    private TaskDevice() {
    }

    /**
     * @param setting {@code vlmadapt.device}, used when Spark assigned no GPU
     * @return the device
     */
    public static Device current(String setting) {
        TaskContext task = TaskContext.get();
        if (task != null) {
            Device assigned = fromResources(task.resourcesJMap());
            if (assigned != null) {
                return assigned;
            }
        }
        return Devices.resolve(setting);
    }

    /**
     * @param resources a task's resources
     * @return its first GPU, or null if it has none
     */
    static Device fromResources(Map<String, ResourceInformation> resources) {
        ResourceInformation gpu = resources.get("gpu");
        if (gpu == null || gpu.addresses().length == 0) {
            return null;
        }
        String address = gpu.addresses()[0];
        try {
            return Device.gpu(Integer.parseInt(address.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Spark assigned GPU address '" + address
                    + "'; expected a CUDA device index (check the GPU discovery script)", e);
        }
    }
}
