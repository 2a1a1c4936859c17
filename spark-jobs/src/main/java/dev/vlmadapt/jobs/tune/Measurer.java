package dev.vlmadapt.jobs.tune;

import ai.djl.ndarray.types.Shape;
import dev.vlmadapt.jobs.BrokenModelException;
import dev.vlmadapt.jobs.executor.ModelCache;
import dev.vlmadapt.jobs.executor.TaskDevice;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.objective.FewShotObjective;
import dev.vlmadapt.runtime.objective.FewShotSet;
import dev.vlmadapt.runtime.objective.PointObjective;
import dev.vlmadapt.runtime.objective.TextPromptObjective;
import dev.vlmadapt.runtime.prompt.ClassPrompts;
import dev.vlmadapt.runtime.prompt.Parameterization;
import dev.vlmadapt.runtime.prompt.PromptSpace;
import dev.vlmadapt.runtime.tune.CoopTrainer;
import dev.vlmadapt.runtime.tune.LocalEvaluator;
import dev.vlmadapt.runtime.tune.MethodSpec;
import dev.vlmadapt.runtime.tune.TuningLoop;
import java.util.function.Function;

/**
 * The driver's measurements of a solution (training loss and accuracy, validation and test accuracy) with the
 * model from this JVM's cache. A null solution means the initial context p0, i.e. the zero-shot prompt, which
 * is measured on the cached features for every method.
 */
final class Measurer implements TuningLoop.Measure, AutoCloseable {
    private final TuneTask task;
    private final String dataset;
    private final FewShotSet val;
    private final FewShotSet test;
    private ClassPrompts prompts;
    private FewShotObjective trainText;
    private FewShotObjective valText;
    private FewShotObjective testText;
    private MethodSpec spec;
    private PromptSpace space;
    private PointObjective trainPoints;
    private PointObjective valPoints;
    private PointObjective testPoints;

    /**
     * @param task the run's task (model, classes, training split)
     * @param dataset the dataset's name, for errors
     * @param val the validation split
     * @param test the test split
     */
    Measurer(TuneTask task, String dataset, FewShotSet val, FewShotSet test) {
        this.task = task;
        this.dataset = dataset;
        this.val = val;
        this.test = test;
    }

    private <T> T withModel(Function<ClipModel, T> f) {
        return ModelCache.withModel(task.model(), TaskDevice.current(task.deviceSetting()), clip -> {
            if (prompts == null) {
                prompts = ClassPrompts.create(clip, task.classNames(), task.initText());
                trainText = new FewShotObjective(clip, prompts, task.train().features(), task.train().labels());
                valText = new FewShotObjective(clip, prompts, val.features(), val.labels());
                testText = new FewShotObjective(clip, prompts, test.features(), test.labels());
            }
            return f.apply(clip);
        });
    }

    /** Builds the method's prompt space and its objectives on the three splits. */
    PromptSpace space(MethodSpec method) {
        return withModel(clip -> {
            spec = method;
            space = method.space(clip.config(), prompts);
            if (space instanceof Parameterization p) {
                // Text prompts reuse the cached-feature objectives.
                trainPoints = new TextPromptObjective(p, trainText, false);
                valPoints = new TextPromptObjective(p, valText, false);
                testPoints = new TextPromptObjective(p, testText, false);
            } else {
                trainPoints = method.objective(clip, prompts, space, task.train());
                valPoints = method.objective(clip, prompts, space, val);
                testPoints = method.objective(clip, prompts, space, test);
            }
            return space;
        });
    }

    LocalEvaluator local(int groupSize) {
        return withModel(clip -> new LocalEvaluator(spec, space, trainPoints, groupSize));
    }

    /** @return {K classes, the prompts' length after the EOT crop, the context length} */
    int[] promptShape() {
        return withModel(clip -> new int[] {prompts.classes(), prompts.tokens().maxEot() + 1,
                prompts.tokens().contextLength()});
    }

    Shape contextShape() {
        return withModel(clip -> new Shape(prompts.contextTokens(), prompts.width()));
    }

    @Override
    public double[] apply(double[] w) {
        if (w == null) {
            return measureContext(prompts().initialContext());
        }
        return withModel(clip -> {
            double[][] points = {w};
            FewShotObjective.Result tr = trainPoints.evaluate(points)[0];
            FewShotObjective.Result va = valPoints.evaluate(points)[0];
            return new double[] {tr.loss(), checked(tr, "train"), checked(va, "val")};
        });
    }

    private ClassPrompts prompts() {
        return withModel(clip -> prompts);
    }

    /** @return {train loss, train accuracy, validation accuracy} of a context (n·D) */
    double[] measureContext(float[] context) {
        return withModel(clip -> {
            float[][] ctx = {context};
            FewShotObjective.Result tr = trainText.evaluate(ctx)[0];
            FewShotObjective.Result va = valText.evaluate(ctx)[0];
            return new double[] {tr.loss(), checked(tr, "train"), checked(va, "val")};
        });
    }

    /** @return the zero-shot context p0 (n·D) */
    float[] initialContext() {
        return prompts().initialContext();
    }

    /** @return test accuracy of w (null: of the zero-shot prompt) */
    @Override
    public double test(double[] w) {
        if (w == null) {
            return testContext(prompts().initialContext());
        }
        return withModel(clip -> checked(testPoints.evaluate(new double[][] {w})[0], "test"));
    }

    /** @return test accuracy of a context (n·D) */
    double testContext(float[] context) {
        return withModel(clip -> checked(testText.evaluate(new float[][] {context})[0], "test"));
    }

    /** @return the accuracy, refusing a measurement whose scores were not finite */
    private double checked(FewShotObjective.Result r, String split) {
        if (Double.isNaN(r.accuracy())) {
            throw new BrokenModelException(task.model().uri(), dataset + "/" + split,
                    "a NaN or infinite logit under the tuned prompt", null);
        }
        return r.accuracy();
    }

    /** Trains CoOp's context on the training features, in this process. */
    float[] coop(CoopTrainer.Settings settings, CoopTrainer.Listener listener) {
        return withModel(clip -> CoopTrainer.train(clip, prompts, task.train().features(), task.train().labels(),
                settings, listener));
    }

    @Override
    public void close() {
        if (prompts != null) {
            withModel(clip -> {
                // Text prompts' point objectives do not own the text objectives; a failed space() leaves nulls.
                for (PointObjective o : new PointObjective[] {trainPoints, valPoints, testPoints}) {
                    if (o != null) {
                        o.close();
                    }
                }
                trainText.close();
                valText.close();
                testText.close();
                return null;
            });
        }
    }
}
