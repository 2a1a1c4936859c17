package dev.vlmadapt.runtime.hub;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ranking table as a models × datasets grid of top-1, in Markdown: the best model of each dataset in bold
 * (every model at the best value, if tied), a last row with each dataset's largest-class share (what always
 * guessing that class scores) where known, and each dataset's winners.
 */
public final class RankingGrid {
    private final List<String> models;
    private final List<String> datasets;
    private final Map<String, Map<String, Double>> top1 = new LinkedHashMap<>();

    /**
     * @param rows rankings (as {@link Rankings#best} reads them: one per model and dataset)
     * @param models the rows of the grid, in order
     * @param datasets the columns, in order
     */
    public RankingGrid(List<Ranking> rows, List<String> models, List<String> datasets) {
        this.models = List.copyOf(models);
        this.datasets = List.copyOf(datasets);
        for (String d : datasets) {
            for (Ranking r : Rankings.best(rows, d)) {
                top1.computeIfAbsent(r.model(), m -> new LinkedHashMap<>()).put(d, r.top1());
            }
        }
    }

    /**
     * @param dataset a column
     * @return the models with the column's highest top-1 (several if tied; empty if no model has a result)
     */
    public List<String> winners(String dataset) {
        double best = Double.NEGATIVE_INFINITY;
        for (String m : models) {
            Double v = value(m, dataset);
            if (v != null) {
                best = Math.max(best, v);
            }
        }
        List<String> out = new ArrayList<>();
        for (String m : models) {
            Double v = value(m, dataset);
            if (v != null && v == best) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * @param largestClassShare each dataset's largest-class share in [0, 1] (a dataset without one gets a dash)
     * @return the Markdown table, top-1 in %
     */
    public String markdown(Map<String, Double> largestClassShare) {
        StringBuilder s = new StringBuilder("| model |");
        datasets.forEach(d -> s.append(' ').append(d).append(" |"));
        s.append("\n|---|");
        datasets.forEach(d -> s.append("---:|"));
        s.append('\n');
        Map<String, List<String>> best = new LinkedHashMap<>();   // once per column, not once per cell
        datasets.forEach(d -> best.put(d, winners(d)));
        for (String m : models) {
            s.append("| ").append(m).append(" |");
            for (String d : datasets) {
                Double v = value(m, d);
                String cell = v == null ? "–" : String.format(Locale.ROOT, "%.1f", 100 * v);
                s.append(' ').append(v != null && best.get(d).contains(m) ? "**" + cell + "**" : cell).append(" |");
            }
            s.append('\n');
        }
        s.append("| *largest class* |");
        for (String d : datasets) {
            Double share = largestClassShare.get(d);
            s.append(' ').append(share == null ? "–" : String.format(Locale.ROOT, "*%.1f*", 100 * share)).append(" |");
        }
        return s.append('\n').toString();
    }

    private Double value(String model, String dataset) {
        Map<String, Double> row = top1.get(model);
        return row == null ? null : row.get(dataset);
    }
}
