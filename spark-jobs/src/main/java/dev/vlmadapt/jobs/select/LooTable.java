package dev.vlmadapt.jobs.select;

import dev.vlmadapt.runtime.select.LeaveOneDatasetOut;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The leave-one-out results as a Markdown table: a row per held-out dataset, τ / R5 / regret per method. */
final class LooTable {
    private LooTable() {
    }

    static String markdown(List<LeaveOneDatasetOut.Row> rows) {
        List<String> methods = new ArrayList<>();
        Map<String, Map<String, LeaveOneDatasetOut.Row>> byTarget = new LinkedHashMap<>();
        for (LeaveOneDatasetOut.Row r : rows) {
            if (!methods.contains(r.method())) {
                methods.add(r.method());
            }
            byTarget.computeIfAbsent(r.target(), k -> new LinkedHashMap<>()).put(r.method(), r);
        }
        StringBuilder sb = new StringBuilder("| held-out dataset |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String m : methods) {
            sb.append(" ").append(m).append(" τ | R5 | τ5 | regret | MAE |");
            rule.append("---:|---:|---:|---:|---:|");
        }
        sb.append('\n').append(rule).append('\n');
        for (Map.Entry<String, Map<String, LeaveOneDatasetOut.Row>> e : byTarget.entrySet()) {
            boolean mean = e.getKey().equals("mean");
            sb.append("| ").append(mean ? "**mean**" : e.getKey()).append(" |");
            for (String m : methods) {
                LeaveOneDatasetOut.Row r = e.getValue().get(m);
                sb.append(String.format(Locale.ROOT, " %.3f | %.2f | %.2f | %.1f | %.1f |", r.kendallTau(),
                        r.top5Recall(), r.lovmTau5(), 100 * r.topOneRegret(), 100 * r.meanAbsoluteError()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
