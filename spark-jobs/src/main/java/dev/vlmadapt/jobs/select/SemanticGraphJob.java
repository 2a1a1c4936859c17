package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.select.SemanticGraph;
import dev.vlmadapt.runtime.text.SentenceEmbedder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * MLL's semantic graph over the sample datasets ({@code select.mll.sample-datasets}): their classes' WordNet
 * synsets and the hypernyms above them up to {@code select.mll.graph-depth} levels, each node's text embedded
 * with MiniLM, into {@code <tables.root>/semantic_graph/graph=<select.mll.graph>/}.
 */
public final class SemanticGraphJob implements Job {
    @Override
    public String name() {
        return "semantic-graph";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        List<String> datasets = config.strings("select.mll.sample-datasets");
        int depth = config.integer("select.mll.graph-depth", 0);
        String graphName = config.string("select.mll.graph");
        SparkSession spark = SparkSessions.getOrCreate(config, name());
        TableStore store = new TableStore(spark, config.string("tables.root"));
        try (RunDirectory run = RunDirectory.create(config, name())) {
            SampleClasses classes = SampleClasses.of(datasets, new DatasetCatalog(config), store);
            SemanticGraph graph = SemanticGraph.build(classes.offsets(), depth);
            List<String> texts = new ArrayList<>();
            graph.nodes().forEach(n -> texts.add(n.text()));
            float[][] embeddings = SentenceEmbedder.miniLm().embed(texts);
            store.publish(spark.createDataFrame(GraphTable.rows(graph, embeddings), GraphTable.SCHEMA).coalesce(1),
                    GraphTable.TABLE, "graph=" + graphName, run.runId());
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("graph", graphName);
            results.put("nodes", graph.nodes().size());
            results.put("nodes_per_level", graph.levels());
            results.put("sample_datasets", datasets);
            Map<String, Object> unmapped = new LinkedHashMap<>();
            classes.unmapped().forEach((d, cs) -> unmapped.put(d, cs.size()));
            results.put("unmapped_classes", unmapped);
            results.put("table", store.partition(GraphTable.TABLE, "graph=" + graphName));
            System.out.printf("semantic graph %s: %d nodes (per level %s) over the classes of %d sample datasets; "
                    + "classes without a synset: %s%n", graphName, graph.nodes().size(), graph.levels(),
                    datasets.size(), unmapped);
            return run.commit(config, results);
        }
    }
}
