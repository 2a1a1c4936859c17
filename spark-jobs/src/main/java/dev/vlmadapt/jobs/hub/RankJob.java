package dev.vlmadapt.jobs.hub;

import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.hub.Ranking;
import dev.vlmadapt.runtime.hub.RankingGrid;
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
 * over a set of datasets ({@code rank.datasets}; empty = every dataset of the table); with {@code rank.grid} also
 * the models × datasets grid of top-1 in Markdown, with each dataset's largest-class share from the image table.
 * Reads only: no run directory.
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
        if (config.bool("rank.grid")) {
            results.put("winners", grid(all, over, mean, new TableStore(spark, config.string("tables.root"))));
        }
        return results;
    }

    /** Prints the models × datasets grid (Markdown) and returns each dataset's winners. */
    private static Map<String, List<String>> grid(List<Ranking> all, List<String> datasets,
            List<Rankings.MeanRank> mean, TableStore store) throws java.io.IOException {
        // Models by mean rank, then those without a result on every dataset, by name.
        java.util.LinkedHashSet<String> models = new java.util.LinkedHashSet<>();
        mean.forEach(m -> models.add(m.model()));
        new TreeSet<>(all.stream().filter(r -> datasets.contains(r.dataset())).map(Ranking::model).toList())
                .forEach(models::add);
        RankingGrid grid = new RankingGrid(all, List.copyOf(models), datasets);
        Map<String, Double> shares = new LinkedHashMap<>();
        for (String d : datasets) {
            String split = Rankings.best(all, d).get(0).split();
            double share = largestClassShare(store, d, split);
            if (!Double.isNaN(share)) {
                shares.put(d, share);
            }
        }
        System.out.print(grid.markdown(shares));
        Map<String, List<String>> winners = new LinkedHashMap<>();
        datasets.forEach(d -> winners.put(d, grid.winners(d)));
        System.out.printf(Locale.ROOT, "%d different winners over %d datasets%n",
                winners.values().stream().flatMap(List::stream).distinct().count(), datasets.size());
        return winners;
    }

    /** What always answering the most frequent class scores on a split of the image table (NaN if not there). */
    static double largestClassShare(TableStore store, String dataset, String split) throws java.io.IOException {
        if (!store.exists(TableStore.IMAGES)) {
            return Double.NaN;
        }
        List<org.apache.spark.sql.Row> counts = store.read(TableStore.IMAGES)
                .where(org.apache.spark.sql.functions.col("dataset").equalTo(dataset)
                        .and(org.apache.spark.sql.functions.col("source_split").equalTo(split)))
                .groupBy("label").count().collectAsList();
        long total = 0;
        long largest = 0;
        for (org.apache.spark.sql.Row r : counts) {
            total += r.getLong(1);
            largest = Math.max(largest, r.getLong(1));
        }
        return total == 0 ? Double.NaN : largest / (double) total;
    }
}
