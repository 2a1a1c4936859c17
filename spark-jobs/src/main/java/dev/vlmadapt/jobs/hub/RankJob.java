package dev.vlmadapt.jobs.hub;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.hub.Ranking;
import dev.vlmadapt.runtime.hub.Rankings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;

/**
 * Prints the ranking table: a dataset's models best first ({@code rank.dataset}), and each model's mean rank
 * over a set of datasets ({@code rank.datasets}; empty = every dataset of the table). Reads only: no run directory.
 */
public final class RankJob implements Job {
    @Override
    public String name() {
        return "rank";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        SparkSession spark = SparkSessions.getOrCreate(config, name());
        List<Ranking> all = RankingTable.readAll(new TableStore(spark, config.string("tables.root")));
        if (all.isEmpty()) {
            throw new IllegalArgumentException("the ranking table under " + config.string("tables.root")
                    + " is empty: fill it with `hub-import` or `evaluate`");
        }
        TreeSet<String> known = new TreeSet<>();
        all.forEach(r -> known.add(r.dataset()));
        int top = config.integer("rank.top", 1);
        Map<String, Object> results = new LinkedHashMap<>();
        String dataset = config.string("rank.dataset");
        if (!dataset.isBlank()) {
            if (!known.contains(dataset)) {
                throw new IllegalArgumentException("rank.dataset: no results for '" + dataset + "'; datasets in the "
                        + "table: " + known);
            }
            List<Ranking> best = Rankings.best(all, dataset);
            System.out.printf(Locale.ROOT, "%s: %d models, best first%n", dataset, best.size());
            for (int i = 0; i < Math.min(top, best.size()); i++) {
                Ranking r = best.get(i);
                System.out.printf(Locale.ROOT, "%4d  %-50s %6.2f%%  (%s)%n", i + 1, r.model(), 100 * r.top1(),
                        r.source());
            }
            results.put("best", best.get(0).model());
        }
        List<String> over = config.strings("rank.datasets");
        if (over.isEmpty()) {
            over = List.copyOf(known);
        }
        for (String d : over) {
            if (!known.contains(d)) {
                throw new IllegalArgumentException("rank.datasets: no results for '" + d + "'; datasets in the "
                        + "table: " + known);
            }
        }
        List<Rankings.MeanRank> mean = Rankings.meanRanks(all, over);
        System.out.printf(Locale.ROOT, "mean rank over %d datasets (%d models with a result on each)%n", over.size(),
                mean.size());
        List<String> order = new ArrayList<>();
        for (int i = 0; i < Math.min(top, mean.size()); i++) {
            System.out.printf(Locale.ROOT, "%4d  %-50s %7.2f%n", i + 1, mean.get(i).model(), mean.get(i).meanRank());
            order.add(mean.get(i).model());
        }
        results.put("mean_rank_top", order);
        return results;
    }
}
