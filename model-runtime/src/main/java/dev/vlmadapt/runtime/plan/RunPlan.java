package dev.vlmadapt.runtime.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a tuning run will do and what it will cost, before it runs: its queries per stage, the FLOPs of a query
 * from the model's shape, and the expected wall time from a calibration on the current master, plus the same
 * work priced for a ViT-B/16 on a GPU at a stated rate.
 *
 * @param run what the run is (method, dataset, shots, seed, model)
 * @param workload the sizes a query works on (classes, prompt length, training features)
 * @param stages queries per stage (empty for CoOp and zero-shot)
 * @param work the run's work in its own unit when it has no queries (e.g. CoOp's epochs), else empty
 * @param queries queries the run will make
 * @param measurements measurements of the solution (training and validation splits, test points)
 * @param flopsPerQuery forward FLOPs of a query (CoOp: of an epoch)
 * @param totalFlops FLOPs of all queries (CoOp: of all epochs)
 * @param calibration what was timed and what it gave
 * @param setupSeconds start-up and loading the run pays before its first query
 * @param querySeconds expected seconds of the queries (CoOp: its training)
 * @param measureSeconds expected seconds of the measurements and tests
 * @param gpu the reference GPU estimate
 */
public record RunPlan(String run, String workload, List<QuerySchedule.Stage> stages, String work, long queries,
        int measurements, double flopsPerQuery, double totalFlops, String calibration, double setupSeconds,
        double querySeconds, double measureSeconds, GpuEstimate gpu) {

    /**
     * The same run's queries on a reference model and device, priced by FLOPs alone (a lower bound: no dispatch,
     * no data movement, no measurements).
     *
     * @param model the reference model, e.g. {@code ViT-B/16}
     * @param device the device and its rate, e.g. {@code one A100, fp32}
     * @param teraflops the stated rate in TFLOP/s
     * @param flopsPerQuery forward FLOPs of a query on the reference model
     */
    public record GpuEstimate(String model, String device, double teraflops, double flopsPerQuery) {
        /**
         * @param queries query count (CoOp: epochs)
         * @return seconds of compute
         */
        public double seconds(long queries) {
            return queries * flopsPerQuery / (teraflops * 1e12);
        }
    }

    public RunPlan {
        stages = List.copyOf(stages);
    }

    /** @return the expected wall time in seconds */
    public double totalSeconds() {
        return setupSeconds + querySeconds + measureSeconds;
    }

    /** @return count of units the FLOPs are per: queries, or the epochs of {@link #work()} */
    private long units() {
        return queries > 0 ? queries : Math.round(totalFlops / Math.max(flopsPerQuery, 1e-30));
    }

    /** @return the plan as text, for the terminal */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("Plan: ").append(run).append('\n');
        sb.append("  ").append(workload).append('\n');
        if (!stages.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "  %-8s %8s %10s %9s %8s%n", "stage", "steps", "queries", "batches",
                    "chains"));
            for (QuerySchedule.Stage s : stages) {
                sb.append(String.format(Locale.ROOT, "  %-8s %8d %10d %9d %8d%n", s.stage(), s.steps(), s.queries(),
                        s.batches(), s.chains()));
            }
            sb.append(String.format(Locale.ROOT, "  %-8s %8s %10d%n", "total", "", queries));
        }
        if (!work.isEmpty()) {
            sb.append("  ").append(work).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "  measurements: %d (training and validation splits; tests included)%n",
                measurements));
        String unit = queries > 0 ? "query" : "epoch";
        if (totalFlops > 0) {
            sb.append(String.format(Locale.ROOT, "  FLOPs: %s per %s, %s in all%n", flops(flopsPerQuery), unit,
                    flops(totalFlops)));
        }
        sb.append("  calibration: ").append(calibration).append('\n');
        // Zero-shot has neither queries nor training: only the set-up and its measurements.
        String work = queries > 0 ? ", queries " + duration(querySeconds)
                : totalFlops > 0 ? ", training " + duration(querySeconds) : "";
        sb.append(String.format(Locale.ROOT, "  expected wall time: %s (set-up %s%s, measurements %s)%n",
                duration(totalSeconds()), duration(setupSeconds), work, duration(measureSeconds)));
        if (gpu != null) {
            sb.append(String.format(Locale.ROOT, "  on %s at %.0f TFLOP/s (%s, a stated rate, not measured): "
                    + "%s per %s, %s of compute for the same %s%n", gpu.model(), gpu.teraflops(), gpu.device(),
                    flops(gpu.flopsPerQuery()), unit, duration(gpu.seconds(units())),
                    queries > 0 ? "queries" : "epochs"));
        }
        return sb.toString();
    }

    /** @return the plan's numbers, for a job summary */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", run);
        m.put("queries", queries);
        List<Map<String, Object>> st = new ArrayList<>();
        for (QuerySchedule.Stage s : stages) {
            st.add(Map.of("stage", s.stage(), "steps", s.steps(), "queries", s.queries(), "batches", s.batches(),
                    "chains", s.chains()));
        }
        m.put("stages", st);
        m.put("measurements", measurements);
        m.put("flops_per_query", flopsPerQuery);
        m.put("total_flops", totalFlops);
        m.put("setup_seconds", setupSeconds);
        m.put("query_seconds", querySeconds);
        m.put("measure_seconds", measureSeconds);
        m.put("expected_seconds", totalSeconds());
        if (gpu != null) {
            m.put("gpu_model", gpu.model());
            m.put("gpu_teraflops", gpu.teraflops());
            m.put("gpu_seconds", gpu.seconds(units()));
        }
        return m;
    }

    /** @param flops a count @return it with an SI prefix, e.g. {@code 1.23 GFLOP} */
    public static String flops(double flops) {
        String[] prefixes = {"", "k", "M", "G", "T", "P", "E"};
        int i = 0;
        double v = flops;
        while (Math.abs(v) >= 1000 && i < prefixes.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.3g %sFLOP", v, prefixes[i]);
    }

    /** @param seconds a duration @return it as {@code 1 h 02 min}, {@code 3 min 05 s} or {@code 4.2 s} */
    public static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
