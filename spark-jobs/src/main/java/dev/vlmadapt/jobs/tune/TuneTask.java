package dev.vlmadapt.jobs.tune;

import dev.vlmadapt.jobs.executor.ModelCache;
import dev.vlmadapt.jobs.executor.ModelRef;
import dev.vlmadapt.jobs.executor.TaskDevice;
import dev.vlmadapt.runtime.objective.FewShotSet;
import dev.vlmadapt.runtime.objective.PointObjective;
import dev.vlmadapt.runtime.prompt.ClassPrompts;
import dev.vlmadapt.runtime.prompt.PromptSpace;
import dev.vlmadapt.runtime.tune.MethodSpec;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.apache.spark.TaskContext;

/**
 * Everything an executor needs for a tuning run's queries (broadcast once per run): the model, the cached
 * training features and labels (and pixels for a visual prompt), the class prompts' text, the method. Executors build the objective once per
 * JVM and run, and reuse it for every task of the run.
 *
 * @param runKey identifies the run in executor caches
 * @param model the model
 * @param deviceSetting {@code vlmadapt.device}, when Spark assigned no GPU
 * @param classNames K class names
 * @param initText initial context text
 * @param train the training set
 * @param method the method
 * @param groupSize queries per pass of the objective
 * @param failFirstAttempts test switch: the first attempt of every even partition fails
 */
record TuneTask(String runKey, ModelRef model, String deviceSetting, List<String> classNames, String initText,
        FewShotSet train, MethodSpec method, int groupSize, boolean failFirstAttempts)
        implements Serializable {

    /** An executor's objective for one run, with the prompt space built from its class prompts. */
    record Prepared(PointObjective objective, PromptSpace space) {
    }

    private static final Map<String, Prepared> PREPARED = new ConcurrentHashMap<>();

    /**
     * Runs {@code work} with this run's objective, holding the model's turn on the task's device.
     *
     * @param work what to compute
     * @param <T> result type
     * @return its result
     */
    <T> T withObjective(BiFunction<PointObjective, PromptSpace, T> work) {
        maybeFail();
        return ModelCache.withModel(model, TaskDevice.current(deviceSetting), clip -> {
            String key = runKey + "@" + clip.device();
            if (!PREPARED.containsKey(key)) {
                evictOtherRuns();
            }
            Prepared p = PREPARED.computeIfAbsent(key, k -> {
                ClassPrompts prompts = ClassPrompts.create(clip, classNames, initText);
                PromptSpace space = method.space(clip.config(), prompts);
                return new Prepared(method.objective(clip, prompts, space, train), space);
            });
            return work.apply(p.objective(), p.space());
        });
    }

    /**
     * Runs of an application are sequential (the experiment runs one after the other), so an executor that
     * sees a new run frees the objectives of the others: features stay on the device for one run at a time.
     */
    private synchronized void evictOtherRuns() {
        PREPARED.entrySet().removeIf(e -> {
            if (!e.getKey().startsWith(runKey + "@")) {
                e.getValue().objective().close();
                return true;
            }
            return false;
        });
    }

    /** Frees this run's objectives in this JVM (the driver calls it at the end of a run in local mode). */
    void release() {
        PREPARED.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(runKey + "@")) {
                e.getValue().objective().close();
                return true;
            }
            return false;
        });
    }

    private void maybeFail() {
        TaskContext task = TaskContext.get();
        if (failFirstAttempts && task != null && task.attemptNumber() == 0 && task.partitionId() % 2 == 0) {
            throw new IllegalStateException("injected failure of the first attempt of partition "
                    + task.partitionId() + " (vlmadapt.tune.fail-first-attempts)");
        }
    }
}
