package dev.vlmadapt.runtime.tune;

import dev.vlmadapt.runtime.clip.ClipConfig;
import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.objective.FewShotObjective;
import dev.vlmadapt.runtime.objective.FewShotSet;
import dev.vlmadapt.runtime.objective.PointObjective;
import dev.vlmadapt.runtime.objective.TextPromptObjective;
import dev.vlmadapt.runtime.objective.VisualPromptObjective;
import dev.vlmadapt.runtime.optim.SharpZo;
import dev.vlmadapt.runtime.optim.Spsa;
import dev.vlmadapt.runtime.optim.ZoOptimizer;
import dev.vlmadapt.runtime.prompt.ClassPrompts;
import dev.vlmadapt.runtime.prompt.Parameterization;
import dev.vlmadapt.runtime.prompt.PromptSpace;
import dev.vlmadapt.runtime.prompt.SubspacePrompt;
import dev.vlmadapt.runtime.prompt.VisualPrompt;
import dev.vlmadapt.runtime.prompt.ZipPrompt;
import java.io.Serializable;
import java.util.List;

/**
 * A forward-only method with its hyper-parameters: which prompt space, which objective and which optimizer.
 * Small and serialisable, so executors can rebuild the objective and the optimizer for a chain of steps.
 *
 * @param method sharpzo, bbt, zip or blackvip
 * @param subspaceDim d of the subspace prompt (SharpZO, BBT)
 * @param subspaceScale s_A of the subspace prompt
 * @param zipWidth q, ZIP's row width before the Fastfood projection
 * @param zipRank ZIP's rank
 * @param visual BlackVIP's visual prompt sizes
 * @param sharp SharpZO/BBT settings
 * @param spsa ZIP's or BlackVIP's SPSA settings
 * @param seed seed of the prompt space's random matrices
 */
public record MethodSpec(String method, int subspaceDim, double subspaceScale, int zipWidth, int zipRank,
        VisualPrompt.Settings visual, SharpZo.Settings sharp, Spsa.Settings spsa, long seed) implements Serializable {
    /** The methods this spec can build. */
    public static final List<String> METHODS = List.of("sharpzo", "bbt", "zip", "blackvip");

    public MethodSpec {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("method '" + method + "' is not a forward-only method; expected one of "
                    + METHODS);
        }
        if (method.equals("blackvip") && visual == null) {
            throw new IllegalArgumentException("blackvip needs its visual prompt settings");
        }
    }

    /** @return whether the method prompts the images (and so needs their pixels) rather than the text */
    public boolean visualPrompt() {
        return method.equals("blackvip");
    }

    /**
     * @param model the CLIP (its architecture sizes the visual prompt)
     * @param prompts the class prompts (p0, n, D)
     * @return the prompt space the optimizer searches
     */
    public PromptSpace space(ClipConfig model, ClassPrompts prompts) {
        return switch (method) {
            case "zip" -> new ZipPrompt(prompts.initialContext(), prompts.contextTokens(), prompts.width(), zipWidth,
                    zipRank, seed);
            case "blackvip" -> new VisualPrompt(visual, model.projectionDim(), model.imageSize(), model.imageMean(),
                    model.imageStd(), seed);
            default -> new SubspacePrompt(prompts.initialContext(), subspaceDim, subspaceScale, seed);
        };
    }

    /**
     * @param model the CLIP
     * @param prompts its class prompts
     * @param space from {@link #space}
     * @param data the images the loss averages over (with pixels for a visual prompt)
     * @return the method's loss as a function of its parameters
     */
    public PointObjective objective(ClipModel model, ClassPrompts prompts, PromptSpace space, FewShotSet data) {
        if (space instanceof VisualPrompt visualPrompt) {
            return new VisualPromptObjective(model, prompts, visualPrompt, data);
        }
        return new TextPromptObjective((Parameterization) space,
                new FewShotObjective(model, prompts, data.features(), data.labels()), true);
    }

    /**
     * @param space from {@link #space}
     * @return a fresh optimizer at the space's initial point
     */
    public ZoOptimizer optimizer(PromptSpace space) {
        double[] w0 = space.initial();
        return switch (method) {
            case "sharpzo" -> new SharpZo(w0, sharp);
            case "bbt" -> SharpZo.bbt(w0, sharp.sigma(), sharp.population(), sharp.seed());
            case "blackvip" -> new Spsa(w0, spsa);
            // A negative clip norm stands for ZIP's √δ, δ the number of parameters.
            default -> new Spsa(w0, spsa.clipNorm() >= 0 ? spsa : new Spsa.Settings(spsa.a(), spsa.c(), spsa.alpha(),
                    spsa.gamma(), spsa.offset(), spsa.draws(), spsa.kind(), Math.sqrt(w0.length), spsa.momentum(),
                    spsa.seed()));
        };
    }
}
