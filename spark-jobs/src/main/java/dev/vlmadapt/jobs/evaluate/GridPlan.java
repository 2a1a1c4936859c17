package dev.vlmadapt.jobs.evaluate;

import dev.vlmadapt.runtime.hub.Ranking;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which (model, dataset) pairs of a grid still need evaluating: a pair already in the ranking table with the same
 * prompts (the hash of the dataset's class names and templates) is skipped unless recomputing. Pairs come out
 * grouped by model, in the order given, so that consecutive tasks use one model.
 */
final class GridPlan {
    /** One cell of the grid. */
    record Pair(String model, String dataset) {
    }

    private GridPlan() {
    }

    /**
     * @param classes class names of the dataset
     * @param templates its prompt templates
     * @return a short hash of both
     */
    static String promptsHash(List<String> classes, List<String> templates) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(String.join("\u0000", classes).getBytes(StandardCharsets.UTF_8));
            d.update((byte) 1);
            d.update(String.join("\u0000", templates).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param models model names, in order
     * @param datasets dataset names, in order
     * @param hashes each dataset's prompts hash
     * @param split the split evaluated
     * @param existing the rankings already in the table
     * @param recompute evaluate every pair again
     * @return the pairs to evaluate, grouped by model
     */
    static List<Pair> pending(List<String> models, List<String> datasets, Map<String, String> hashes, String split,
            List<Ranking> existing, boolean recompute) {
        Set<String> done = new HashSet<>();
        for (Ranking r : existing) {
            if (r.source().equals(Ranking.EVALUATED) && r.split().equals(split)) {
                done.add(r.model() + "\u0000" + r.dataset() + "\u0000" + r.templatesHash());
            }
        }
        List<Pair> out = new ArrayList<>();
        for (String m : models) {
            for (String d : datasets) {
                if (recompute || !done.contains(m + "\u0000" + d + "\u0000" + hashes.get(d))) {
                    out.add(new Pair(m, d));
                }
            }
        }
        return out;
    }
}
