package dev.vlmadapt.jobs.experiment;

import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.jobs.executor.ModelRef;
import dev.vlmadapt.jobs.tune.TuneJob;
import dev.vlmadapt.jobs.zeroshot.ResultTable;
import dev.vlmadapt.runtime.plan.RunPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code experiment --plan}: each task × method priced by {@code tune}'s planner on the first seed (the seeds
 * of a task have splits of the same sizes), times the seeds still to run. Runs an earlier attempt finished
 * (same run id) cost nothing; a task whose tables are missing is listed as needing its preparation, which the
 * plan does not price. Nothing is written.
 */
final class ExperimentPlanner {
    private ExperimentPlanner() {
    }

    static Map<String, Object> plan(JobConfig config, List<String> tasks, List<MethodVariant> variants,
            List<Integer> seeds, int budget) throws Exception {
        double startUp = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        SparkSession spark = SparkSessions.getOrCreate(config, "experiment");
        TableStore store = new TableStore(spark, config.string("tables.root"));
        ModelRef model = ModelRef.of(config.string("model.dir"), spark.sparkContext().hadoopConfiguration());
        String modelId = model.id(config.string("model.id"));
        int k = config.integer("tune.shots", 1);
        String runId = config.string("run-id");
        List<List<String>> rows = new ArrayList<>();
        List<String> unprepared = new ArrayList<>();
        List<Map<String, Object>> plans = new ArrayList<>();
        double total = 0;
        double gpuTotal = 0;
        long queries = 0;
        for (String task : tasks) {
            if (!ExperimentJob.prepared(store, task, k, seeds, modelId)) {
                unprepared.add(task);
                continue;
            }
            for (MethodVariant variant : variants) {
                int toRun = 0;
                for (int seed : seeds) {
                    String id = runId + "-" + task + "-" + variant.name() + "-s" + seed;
                    if (runId.isEmpty() || ExperimentJob.finished(config, id) == null) {
                        toRun++;
                    }
                }
                Map<String, String> overrides = new LinkedHashMap<>(variant.settings());
                overrides.putAll(Map.of("tune.method", variant.method(), "tune.dataset", task,
                        "seed", Integer.toString(seeds.get(0)), "tune.budget", Integer.toString(budget)));
                System.err.printf(Locale.ROOT, "[experiment] planning %s on %s%n", variant.name(), task);
                RunPlan p = TuneJob.plan(config.with(overrides), 0);
                double gpu = p.gpu() == null ? 0 : ((Number) p.summary().get("gpu_seconds")).doubleValue();
                rows.add(List.of(task, variant.name(), toRun + "/" + seeds.size(), Long.toString(p.queries()),
                        RunPlan.flops(p.totalFlops()), RunPlan.duration(p.totalSeconds()),
                        RunPlan.duration(toRun * p.totalSeconds()), RunPlan.duration(toRun * gpu)));
                total += toRun * p.totalSeconds();
                gpuTotal += toRun * gpu;
                queries += toRun * p.queries();
                Map<String, Object> m = new LinkedHashMap<>(p.summary());
                m.put("task", task);
                m.put("method", variant.name());
                m.put("runs", toRun);
                plans.add(m);
            }
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "Plan: experiment, %d tasks × %d methods × "
                + "%d seeds at %d queries, model %s%n", tasks.size(), variants.size(), seeds.size(), budget, modelId));
        out.append(ResultTable.render(List.of("task", "method", "runs", "queries/run", "FLOPs/run", "time/run",
                "time", "ViT-B/16 GPU"), rows));
        out.append(String.format(Locale.ROOT, "expected wall time: %s (start-up %s, then the runs one after the "
                + "other); %d queries%n", RunPlan.duration(startUp + total), RunPlan.duration(startUp), queries));
        out.append(String.format(Locale.ROOT, "ViT-B/16 on %s at %s TFLOP/s (stated, not measured): %s of compute%n",
                config.string("plan.gpu"), config.raw().getString("plan.gpu-tflops"), RunPlan.duration(gpuTotal)));
        if (!unprepared.isEmpty()) {
            out.append("not priced: ").append(String.join(", ", unprepared)).append(" lack splits or features of "
                    + modelId + "; the experiment prepares them first (ingest, splits, features)\n");
        }
        System.out.print(out);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("expected_seconds", startUp + total);
        summary.put("queries", queries);
        summary.put("gpu_seconds", gpuTotal);
        summary.put("unprepared", unprepared);
        summary.put("runs", plans);
        return summary;
    }
}
