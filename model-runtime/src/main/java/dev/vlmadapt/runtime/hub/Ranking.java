package dev.vlmadapt.runtime.hub;

import java.io.Serializable;

/**
 * One model's zero-shot result on one dataset: a row of the ranking table.
 *
 * @param model the model (a hub model's name, or open_clip's {@code <architecture>:<pretrained tag>})
 * @param dataset the dataset (a catalog name, or the column name of an imported table)
 * @param split the split evaluated
 * @param top1 top-1 accuracy in [0, 1]
 * @param top5 top-5 accuracy, or NaN when not known
 * @param meanPerClassRecall mean per-class recall, or NaN
 * @param n images evaluated, or -1
 * @param templatesHash hash of the prompt templates used, or null
 * @param paramsM parameters in millions, or NaN
 * @param gflops GFLOPs (an image and a text), or NaN
 * @param seconds evaluation wall time, or NaN
 * @param source {@code evaluated} (by this project) or {@code imported} (published numbers)
 * @param evaluatedAt when (ISO-8601), or null
 */
public record Ranking(String model, String dataset, String split, double top1, double top5,
        double meanPerClassRecall, long n, String templatesHash, double paramsM, double gflops, double seconds,
        String source, String evaluatedAt) implements Serializable {
    /** Source of published numbers. */
    public static final String IMPORTED = "imported";
    /** Source of this project's evaluations. */
    public static final String EVALUATED = "evaluated";

    /** Checks the accuracy and the source. */
    public Ranking {
        if (!(top1 >= 0 && top1 <= 1)) {
            throw new IllegalArgumentException(model + " on " + dataset + ": top-1 " + top1 + " is not in [0, 1]");
        }
        if (!source.equals(IMPORTED) && !source.equals(EVALUATED)) {
            throw new IllegalArgumentException("source '" + source + "'; expected imported or evaluated");
        }
    }
}
