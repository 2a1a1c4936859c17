package dev.vlmadapt.runtime.prompt;

import java.io.Serializable;

/**
 * The space an optimizer searches: d parameters and where the search starts. Text prompts
 * ({@link Parameterization}) and BlackVIP's visual prompt ({@link VisualPrompt}) are prompt spaces; each is a
 * small serialisable description (seeds, p0), and the matrices it implies are rebuilt where they are used.
 */
public interface PromptSpace extends Serializable {
    /** @return d, the number of parameters */
    int dimension();

    /** @return the initial parameters */
    double[] initial();
}
