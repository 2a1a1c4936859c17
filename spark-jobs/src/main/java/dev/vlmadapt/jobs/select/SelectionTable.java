package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.hub.RankingTable;
import dev.vlmadapt.runtime.hub.Ranking;
import dev.vlmadapt.runtime.select.AccuracyTable;
import dev.vlmadapt.runtime.select.DatasetEmbedding;
import dev.vlmadapt.runtime.select.DatasetText;
import dev.vlmadapt.runtime.text.SentenceEmbedder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * What language-only selection reads: the ranking table at {@code select.table} (the rankings table or one of
 * its partitions; empty = the one under {@code tables.root}), its rows of {@code select.source}, and each
 * dataset's text (from the catalog, else from the {@code dataset_texts} table beside the rankings).
 *
 * @param path the rankings table read
 * @param table accuracies, models × datasets
 * @param texts every dataset's text, by name
 * @param embeddings the embeddings stored with the texts (imported datasets; catalog datasets are embedded when
 *     needed)
 */
public record SelectionTable(String path, AccuracyTable table, Map<String, DatasetText> texts,
        Map<String, DatasetEmbedding> embeddings) {
    /**
     * @param config the job's config
     * @param spark the session
     * @return the table and texts
     * @throws IllegalArgumentException if the table is empty or a dataset has no text, saying how to add it
     * @throws IOException if the tables cannot be read
     */
    public static SelectionTable load(JobConfig config, SparkSession spark) throws IOException {
        String given = config.string("select.table");
        String rankings = given.isBlank() ? config.string("tables.root") + "/" + RankingTable.TABLE
                : given.replaceAll("/+$", "");
        // A partition path (…/rankings/source=imported/origin=x) reads with its partition columns.
        int cut = rankings.indexOf("/source=");
        String base = cut < 0 ? rankings : rankings.substring(0, cut);
        String source = config.string("select.source");
        List<Ranking> rows = RankingTable.readPath(spark, base, rankings, source.isBlank() ? null : source);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rankings" + (source.isBlank() ? "" : " of source=" + source)
                    + " in " + rankings + ": fill it with `hub-import --csv FILE --descriptions FILE` or `evaluate`");
        }
        AccuracyTable table = AccuracyTable.of(rows);
        String tablesRoot = base.contains("/") ? base.substring(0, base.lastIndexOf('/')) : ".";
        Map<String, DatasetTextTable.Stored> stored = DatasetTextTable.read(spark, tablesRoot);
        Map<String, DatasetEmbedding> embeddings = new LinkedHashMap<>();
        DatasetCatalog catalog = new DatasetCatalog(config);
        Map<String, DatasetText> texts = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String d : table.datasets()) {
            if (catalog.names().contains(d)) {
                texts.put(d, catalogText(catalog, d));
            } else if (stored.containsKey(d)) {
                texts.put(d, stored.get(d).text());
                embeddings.put(d, stored.get(d).embedding());
            } else {
                missing.add(d);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no domain, task and class names for " + missing.size() + " dataset(s) "
                    + "of " + rankings + ": " + missing + "; import them with `hub-import --csv FILE --descriptions "
                    + "FILE [--prompts FILE]` (they are read from " + tablesRoot + "/dataset_texts)");
        }
        return new SelectionTable(rankings, table, texts, embeddings);
    }

    /**
     * @param extra more texts to embed (targets)
     * @return the embeddings of every dataset of the table and of the extra texts: stored ones as stored, the
     *     others embedded now with MiniLM
     */
    public Map<String, DatasetEmbedding> embedAll(List<DatasetText> extra) {
        List<DatasetText> todo = new ArrayList<>();
        for (DatasetText t : texts.values()) {
            if (!embeddings.containsKey(t.name())) {
                todo.add(t);
            }
        }
        todo.addAll(extra);
        Map<String, DatasetEmbedding> out = new LinkedHashMap<>(embeddings);
        if (!todo.isEmpty()) {
            out.putAll(DatasetEmbedding.of(todo, SentenceEmbedder.miniLm()));
        }
        return out;
    }

    /**
     * @param catalog the dataset catalog
     * @param name one of its datasets
     * @return its text (the description stands in for a missing domain)
     */
    public static DatasetText catalogText(DatasetCatalog catalog, String name) {
        DatasetCatalog.DatasetInfo info = catalog.info(name);
        String domain = info.domain() == null || info.domain().isBlank() ? info.description() : info.domain();
        return new DatasetText(name, domain, info.task(), info.classes());
    }
}
