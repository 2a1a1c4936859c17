package dev.vlmadapt.runtime.tune;

import dev.vlmadapt.runtime.optim.SharpZo;
import dev.vlmadapt.runtime.optim.Spsa;
import dev.vlmadapt.runtime.optim.ZoOptimizer;
import dev.vlmadapt.runtime.prompt.ClassPrompts;
import dev.vlmadapt.runtime.prompt.Parameterization;
import dev.vlmadapt.runtime.prompt.SubspacePrompt;
import dev.vlmadapt.runtime.prompt.ZipPrompt;
import java.io.Serializable;

/**
 * A forward-only method with its hyper-parameters: which prompt parameterization and which optimizer. Small
 * and serialisable, so executors can rebuild the optimizer for a chain of steps.
 *
 * @param method sharpzo, bbt or zip
 * @param subspaceDim d of the subspace prompt (SharpZO, BBT)
 * @param subspaceScale s_A of the subspace prompt
 * @param zipWidth q, ZIP's row width before the Fastfood projection
 * @param zipRank ZIP's rank
 * @param sharp SharpZO/BBT settings
 * @param spsa ZIP's SPSA settings
 * @param seed seed of the parameterization's random matrices
 */
public record MethodSpec(String method, int subspaceDim, double subspaceScale, int zipWidth, int zipRank,
        SharpZo.Settings sharp, Spsa.Settings spsa, long seed) implements Serializable {
    /** The methods this spec can build. */
    public static final java.util.List<String> METHODS = java.util.List.of("sharpzo", "bbt", "zip");

    public MethodSpec {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("method '" + method + "' is not a forward-only method; expected one of "
                    + METHODS);
        }
    }

    /**
     * @param prompts the class prompts (p0, n, D)
     * @return the parameterization
     */
    public Parameterization parameterization(ClassPrompts prompts) {
        if (method.equals("zip")) {
            return new ZipPrompt(prompts.initialContext(), prompts.contextTokens(), prompts.width(), zipWidth,
                    zipRank, seed);
        }
        return new SubspacePrompt(prompts.initialContext(), subspaceDim, subspaceScale, seed);
    }

    /**
     * @param parameterization from {@link #parameterization}
     * @return a fresh optimizer at the parameterization's initial point
     */
    public ZoOptimizer optimizer(Parameterization parameterization) {
        double[] w0 = parameterization.initial();
        return switch (method) {
            case "sharpzo" -> new SharpZo(w0, sharp);
            case "bbt" -> SharpZo.bbt(w0, sharp.sigma(), sharp.population(), sharp.seed());
            // A negative clip norm stands for ZIP's √δ, δ the number of parameters.
            default -> new Spsa(w0, spsa.clipNorm() >= 0 ? spsa : new Spsa.Settings(spsa.a(), spsa.c(), spsa.alpha(),
                    spsa.gamma(), spsa.offset(), spsa.draws(), spsa.kind(), Math.sqrt(w0.length), spsa.momentum(),
                    spsa.seed()));
        };
    }
}
