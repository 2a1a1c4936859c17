package dev.vlmadapt.runtime.select;

import dev.vlmadapt.runtime.hub.Ranking;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Zero-shot top-1 of models (rows) on datasets (columns), NaN where a pair was not evaluated: the ranking table
 * as the selection math reads it. Immutable.
 */
public final class AccuracyTable {
    private final List<String> models;
    private final List<String> datasets;
    private final double[][] top1;   // (models, datasets)

    /**
     * @param models row names, distinct
     * @param datasets column names, distinct
     * @param top1 {@code [models][datasets]} accuracies in [0, 1] or NaN (copied)
     */
    public AccuracyTable(List<String> models, List<String> datasets, double[][] top1) {
        this.models = List.copyOf(models);
        this.datasets = List.copyOf(datasets);
        if (new TreeSet<>(models).size() != models.size() || new TreeSet<>(datasets).size() != datasets.size()) {
            throw new IllegalArgumentException("model and dataset names must be distinct");
        }
        if (top1.length != models.size()) {
            throw new IllegalArgumentException(top1.length + " rows for " + models.size() + " models");
        }
        this.top1 = new double[top1.length][];
        for (int m = 0; m < top1.length; m++) {
            if (top1[m].length != datasets.size()) {
                throw new IllegalArgumentException("model " + models.get(m) + " has " + top1[m].length
                        + " accuracies for " + datasets.size() + " datasets");
            }
            this.top1[m] = top1[m].clone();
        }
    }

    /**
     * One row per model and column per dataset of the rankings; where a pair is there twice, this project's
     * evaluation wins over a published number (as in {@link dev.vlmadapt.runtime.hub.Rankings}).
     *
     * @param rows rankings
     * @return their table, models and datasets in name order
     */
    public static AccuracyTable of(List<Ranking> rows) {
        TreeSet<String> models = new TreeSet<>();
        TreeSet<String> datasets = new TreeSet<>();
        Map<String, Ranking> cell = new LinkedHashMap<>();
        for (Ranking r : rows) {
            models.add(r.model());
            datasets.add(r.dataset());
            String key = r.model() + "\u0000" + r.dataset();
            Ranking old = cell.get(key);
            if (old == null || (r.source().equals(Ranking.EVALUATED) && !old.source().equals(Ranking.EVALUATED))) {
                cell.put(key, r);
            }
        }
        List<String> m = new ArrayList<>(models);
        List<String> d = new ArrayList<>(datasets);
        double[][] a = new double[m.size()][d.size()];
        for (double[] row : a) {
            Arrays.fill(row, Double.NaN);
        }
        for (Ranking r : cell.values()) {
            a[m.indexOf(r.model())][d.indexOf(r.dataset())] = r.top1();
        }
        return new AccuracyTable(m, d, a);
    }

    /** @return row names */
    public List<String> models() {
        return models;
    }

    /** @return column names */
    public List<String> datasets() {
        return datasets;
    }

    /**
     * @param model a row
     * @param dataset a column
     * @return the accuracy, or NaN
     */
    public double top1(int model, int dataset) {
        return top1[model][dataset];
    }

    /**
     * @param dataset a column name
     * @return its index
     * @throws IllegalArgumentException naming the datasets there are, if it is not one
     */
    public int datasetIndex(String dataset) {
        int i = datasets.indexOf(dataset);
        if (i < 0) {
            throw new IllegalArgumentException("dataset '" + dataset + "' is not in the table; it has " + datasets);
        }
        return i;
    }

    /**
     * @param dataset a column
     * @return its accuracies, one per model (NaN where missing)
     */
    public double[] column(int dataset) {
        double[] out = new double[models.size()];
        for (int m = 0; m < out.length; m++) {
            out[m] = top1[m][dataset];
        }
        return out;
    }

    /**
     * @param keep the columns to keep, by name
     * @return this table with those columns only, in that order
     */
    public AccuracyTable withDatasets(List<String> keep) {
        double[][] a = new double[models.size()][keep.size()];
        for (int j = 0; j < keep.size(); j++) {
            int d = datasetIndex(keep.get(j));
            for (int m = 0; m < a.length; m++) {
                a[m][j] = top1[m][d];
            }
        }
        return new AccuracyTable(models, keep, a);
    }

    /**
     * @param dataset a column
     * @return the rows that have a value in it, as a table of those models
     */
    public AccuracyTable modelsWith(String dataset) {
        int d = datasetIndex(dataset);
        List<String> keep = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            if (!Double.isNaN(top1[m][d])) {
                keep.add(models.get(m));
                rows.add(top1[m]);
            }
        }
        return new AccuracyTable(keep, datasets, rows.toArray(new double[0][]));
    }
}
