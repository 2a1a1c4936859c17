package dev.vlmadapt.jobs.select;

import dev.vlmadapt.runtime.select.SelectionBenchmark;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The hub benchmark's results as Markdown: top-1 per target and method, then the means of every metric. */
final class BenchTable {
    private BenchTable() {
    }

    private static String key(SelectionBenchmark.Row r) {
        return r.method().equals("mll") ? "mll k=" + r.k() : r.method();
    }

    static String markdown(List<SelectionBenchmark.Row> rows) {
        List<String> methods = new ArrayList<>();
        Map<String, Map<String, SelectionBenchmark.Row>> byTarget = new LinkedHashMap<>();
        for (SelectionBenchmark.Row r : rows) {
            if (!methods.contains(key(r))) {
                methods.add(key(r));
            }
            byTarget.computeIfAbsent(r.target(), t -> new LinkedHashMap<>()).put(key(r), r);
        }
        StringBuilder sb = new StringBuilder("| target (top-1 %) |");
        methods.forEach(m -> sb.append(' ').append(m).append(" |"));
        sb.append("\n|---|").append("---:|".repeat(methods.size())).append('\n');
        for (var e : byTarget.entrySet()) {
            sb.append("| ").append(e.getKey()).append(" |");
            for (String m : methods) {
                sb.append(String.format(Locale.ROOT, " %.1f |", 100 * e.getValue().get(m).accuracy()));
            }
            sb.append('\n');
        }
        sb.append("\n| mean over targets | top-1 | most-chosen model | best chosen model | regret | Kendall τ | top-5 recall "
                + "| selection s |\n").append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var e : means(rows).entrySet()) {
            Map<String, Double> v = e.getValue();
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.3f | %.2f | %s |%n", e.getKey(),
                    100 * v.get("accuracy"), 100 * v.get("selected_model_accuracy"),
                    100 * v.get("best_chosen_accuracy"), 100 * v.get("regret"),
                    v.get("kendall_tau"), v.get("top5_recall"), Double.isNaN(v.get("selection_seconds")) ? "–"
                            : String.format(Locale.ROOT, "%.1f", v.get("selection_seconds"))));
        }
        return sb.toString();
    }

    static Map<String, Map<String, Double>> means(List<SelectionBenchmark.Row> rows) {
        Map<String, List<SelectionBenchmark.Row>> byMethod = new LinkedHashMap<>();
        rows.forEach(r -> byMethod.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r));
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        byMethod.forEach((m, rs) -> {
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("accuracy", rs.stream().mapToDouble(SelectionBenchmark.Row::accuracy).average().orElse(Double.NaN));
            v.put("selected_model_accuracy", rs.stream().mapToDouble(SelectionBenchmark.Row::selectedModelAccuracy)
                    .average().orElse(Double.NaN));
            v.put("best_chosen_accuracy", rs.stream().mapToDouble(SelectionBenchmark.Row::bestChosenAccuracy)
                    .average().orElse(Double.NaN));
            v.put("regret", rs.stream().mapToDouble(SelectionBenchmark.Row::regret).average().orElse(Double.NaN));
            v.put("kendall_tau", rs.stream().mapToDouble(SelectionBenchmark.Row::kendallTau).average()
                    .orElse(Double.NaN));
            v.put("top5_recall", rs.stream().mapToDouble(SelectionBenchmark.Row::top5Recall).average()
                    .orElse(Double.NaN));
            v.put("selection_seconds", rs.stream().mapToDouble(SelectionBenchmark.Row::seconds).average()
                    .orElse(Double.NaN));
            out.put(m, v);
        });
        return out;
    }
}
