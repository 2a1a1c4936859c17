package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.select.NodeScores;
import dev.vlmadapt.runtime.select.SemanticGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import scala.Tuple2;

/**
 * Reads the hub's model labels for one selection: only the similarities to the selected nodes leave the Parquet
 * scan (an array of those elements), each partition counts its images into per-model {@link NodeScores}, and the
 * counts are merged by model.
 */
public final class HubLabels {
    private HubLabels() {
    }

    /**
     * @param spark the session
     * @param store the tables
     * @param graphName the graph
     * @param graph the graph's nodes (in the labels' order)
     * @param selected graph indices of the selected nodes
     * @return per labelled model (sorted by name), its score on each selected node
     */
    public static Map<String, double[]> nodeScores(SparkSession spark, TableStore store, String graphName,
            SemanticGraph graph, int[] selected) {
        try {
            if (!store.exists(LabelTable.TABLE)) {
                throw new IllegalArgumentException("no model labels at " + store.table(LabelTable.TABLE)
                        + "; run `bin/vlmadapt label` first");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Dataset<Row> labels = store.read(LabelTable.TABLE).where(functions.col("graph").equalTo(graphName));
        Column[] at = new Column[selected.length];
        for (int i = 0; i < selected.length; i++) {
            at[i] = functions.col("sims").getItem(selected[i]);
        }
        Map<Long, int[]> memberOf = new HashMap<>();
        for (Row r : labels.select("synset_offset").distinct().collectAsList()) {
            memberOf.put(r.getLong(0), graph.selfAndAncestors(r.getLong(0)));
        }
        JavaSparkContext jsc = new JavaSparkContext(spark.sparkContext());
        Broadcast<Map<Long, int[]>> members = jsc.broadcast(memberOf);
        int[] sel = selected.clone();
        Map<String, NodeScores> merged = labels.select(functions.col("model"), functions.col("synset_offset"),
                        functions.array(at).as("at")).toJavaRDD()
                .mapPartitionsToPair((Iterator<Row> rows) -> {
                    Map<String, NodeScores> local = new HashMap<>();
                    while (rows.hasNext()) {
                        Row r = rows.next();
                        List<Float> s = r.getList(2);
                        float[] sims = new float[s.size()];
                        for (int i = 0; i < sims.length; i++) {
                            sims[i] = s.get(i);
                        }
                        local.computeIfAbsent(r.getString(0), m -> new NodeScores(sel))
                                .addSelected(sims, members.value().get(r.getLong(1)));
                    }
                    List<Tuple2<String, NodeScores>> out = new ArrayList<>();
                    local.forEach((m, n) -> out.add(new Tuple2<>(m, n)));
                    return out.iterator();
                })
                .reduceByKey((a, b) -> {
                    a.merge(b);
                    return a;
                }).collectAsMap();
        Map<String, double[]> out = new TreeMap<>();
        merged.forEach((m, n) -> out.put(m, n.scores()));
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no model labels for graph=" + graphName + " in "
                    + store.table(LabelTable.TABLE) + "; run `bin/vlmadapt label select.mll.graph=" + graphName + "`");
        }
        return out;
    }
}
