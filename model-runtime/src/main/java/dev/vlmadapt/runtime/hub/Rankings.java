package dev.vlmadapt.runtime.hub;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * Orders models by their results: best first on one dataset, and mean rank over several (rank 1 = best; ties
 * share the average of their ranks, as commons-math's natural ranking does). Where the table holds a pair twice
 * (published and evaluated here), the project's own evaluation counts.
 */
public final class Rankings {
    /**
     * A model's mean rank.
     *
     * @param model the model
     * @param meanRank mean of its ranks over the datasets (1 = best)
     * @param ranks its rank on each dataset, in the order asked
     */
    public record MeanRank(String model, double meanRank, List<Double> ranks) {
    }

    private Rankings() {
    }

    /**
     * @param rows rankings of any datasets
     * @param dataset one dataset
     * @return its results, best top-1 first (ties by model name)
     */
    public static List<Ranking> best(List<Ranking> rows, String dataset) {
        List<Ranking> out = new ArrayList<>();
        for (Ranking r : unique(rows).values()) {
            if (r.dataset().equals(dataset)) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparingDouble(Ranking::top1).reversed().thenComparing(Ranking::model));
        return out;
    }

    /**
     * @param rows rankings
     * @param datasets the datasets to rank over
     * @return every model that has a result on each of them, by mean rank (best first, ties by name); each
     *     dataset ranks only these models, so that the ranks are comparable
     */
    public static List<MeanRank> meanRanks(List<Ranking> rows, List<String> datasets) {
        Map<String, Map<String, Double>> byModel = new TreeMap<>();
        for (Ranking r : unique(rows).values()) {
            byModel.computeIfAbsent(r.model(), m -> new HashMap<>()).put(r.dataset(), r.top1());
        }
        List<String> models = new ArrayList<>();
        for (Map.Entry<String, Map<String, Double>> e : byModel.entrySet()) {
            if (e.getValue().keySet().containsAll(datasets)) {
                models.add(e.getKey());
            }
        }
        NaturalRanking ranking = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);
        double[][] ranks = new double[datasets.size()][];
        for (int d = 0; d < datasets.size(); d++) {
            double[] negated = new double[models.size()];
            for (int m = 0; m < models.size(); m++) {
                negated[m] = -byModel.get(models.get(m)).get(datasets.get(d));   // highest accuracy → rank 1
            }
            ranks[d] = ranking.rank(negated);
        }
        List<MeanRank> out = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            List<Double> mine = new ArrayList<>();
            double sum = 0;
            for (int d = 0; d < datasets.size(); d++) {
                mine.add(ranks[d][m]);
                sum += ranks[d][m];
            }
            out.add(new MeanRank(models.get(m), datasets.isEmpty() ? Double.NaN : sum / datasets.size(), mine));
        }
        out.sort(Comparator.comparingDouble(MeanRank::meanRank).thenComparing(MeanRank::model));
        return out;
    }

    /** One row per (model, dataset), the project's evaluation over a published number. */
    private static Map<String, Ranking> unique(List<Ranking> rows) {
        Map<String, Ranking> out = new LinkedHashMap<>();
        for (Ranking r : rows) {
            String key = r.model() + "\u0000" + r.dataset();
            Ranking old = out.get(key);
            if (old == null || (r.source().equals(Ranking.EVALUATED) && !old.source().equals(Ranking.EVALUATED))) {
                out.put(key, r);
            }
        }
        return out;
    }
}
