package dev.vlmadapt.jobs.tune;

import ai.djl.ndarray.types.Shape;
import dev.vlmadapt.jobs.executor.ModelCache;
import dev.vlmadapt.jobs.executor.TaskDevice;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.objective.FewShotObjective;
import dev.vlmadapt.runtime.prompt.ClassPrompts;
import dev.vlmadapt.runtime.prompt.Parameterization;
import dev.vlmadapt.runtime.tune.CoopTrainer;
import dev.vlmadapt.runtime.tune.LocalEvaluator;
import dev.vlmadapt.runtime.tune.MethodSpec;
import dev.vlmadapt.runtime.tune.TuningLoop;
import java.util.function.Function;

/**
 * The driver's measurements of a solution (training loss and accuracy, validation and test accuracy) with the
 * model from this JVM's cache. A null solution means the initial context p0, i.e. the zero-shot prompt.
 */
final class Measurer implements TuningLoop.Measure, AutoCloseable {
    private final TuneTask task;
    private final TuneData val;
    private final TuneData test;
    private ClassPrompts prompts;
    private FewShotObjective trainObjective;
    private FewShotObjective valObjective;
    private FewShotObjective testObjective;
    private Parameterization parameterization;

    Measurer(TuneTask task, TuneData val, TuneData test) {
        this.task = task;
        this.val = val;
        this.test = test;
    }

    private <T> T withModel(Function<ClipModel, T> f) {
        return ModelCache.withModel(task.model(), TaskDevice.current(task.deviceSetting()), clip -> {
            if (prompts == null) {
                prompts = ClassPrompts.create(clip, task.classNames(), task.initText());
                trainObjective = new FewShotObjective(clip, prompts, task.features(), task.labels());
                valObjective = new FewShotObjective(clip, prompts, val.features(), val.labels());
                testObjective = new FewShotObjective(clip, prompts, test.features(), test.labels());
            }
            return f.apply(clip);
        });
    }

    Parameterization parameterization(MethodSpec spec) {
        return withModel(clip -> {
            parameterization = spec.parameterization(prompts);
            return parameterization;
        });
    }

    LocalEvaluator local(MethodSpec spec, int groupSize) {
        return withModel(clip -> new LocalEvaluator(spec, parameterization, trainObjective, groupSize));
    }

    Shape contextShape() {
        return withModel(clip -> new Shape(prompts.contextTokens(), prompts.width()));
    }

    private float[] context(double[] w) {
        return w == null ? prompts.initialContext() : parameterization.context(w);
    }

    @Override
    public double[] apply(double[] w) {
        return withModel(clip -> measureContext(context(w)));
    }

    /** @return {train loss, train accuracy, validation accuracy} of a context (n·D) */
    double[] measureContext(float[] context) {
        return withModel(clip -> {
            float[][] ctx = {context};
            FewShotObjective.Result tr = trainObjective.evaluate(ctx)[0];
            FewShotObjective.Result va = valObjective.evaluate(ctx)[0];
            return new double[] {tr.loss(), tr.accuracy(), va.accuracy()};
        });
    }

    /** @return test accuracy of w (null: of the zero-shot prompt) */
    double test(double[] w) {
        return withModel(clip -> testContext(context(w)));
    }

    /** @return test accuracy of a context (n·D) */
    double testContext(float[] context) {
        return withModel(clip -> testObjective.evaluate(new float[][] {context})[0].accuracy());
    }

    /** Trains CoOp's context on the training features, in this process. */
    float[] coop(CoopTrainer.Settings settings, CoopTrainer.Listener listener) {
        return withModel(clip -> CoopTrainer.train(clip, prompts, task.features(), task.labels(), settings, listener));
    }

    @Override
    public void close() {
        if (prompts != null) {
            withModel(clip -> {
                trainObjective.close();
                valObjective.close();
                testObjective.close();
                return null;
            });
        }
    }
}
