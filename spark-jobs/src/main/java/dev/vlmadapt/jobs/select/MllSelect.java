package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.select.MllSelection;
import dev.vlmadapt.runtime.select.NodeMatch;
import dev.vlmadapt.runtime.select.SelectionTarget;
import dev.vlmadapt.runtime.text.SentenceEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * MLL's selection for one target over the labelled hub: the target's class names matched to graph nodes by
 * MiniLM similarity, each model's node scores read from its label, the per-class α mix, and the top-k models
 * per class.
 */
public final class MllSelect {
    /**
     * One target's selection.
     *
     * @param target the target
     * @param models the labelled models, in the order of the selection's indices
     * @param match the class-to-node match
     * @param nodeScores per model, its score on each selected node
     * @param selection scores and choices
     * @param seconds wall time from the target's texts to the choices (labels read, embeddings included)
     */
    public record Result(SelectionTarget target, List<String> models, NodeMatch match, double[][] nodeScores,
            MllSelection selection, double seconds) {
        /**
         * @param y a class
         * @return the names of the models chosen for it
         */
        public List<String> chosen(int y) {
            List<String> out = new ArrayList<>();
            for (int m : selection.chosen().get(y)) {
                out.add(models.get(m));
            }
            return out;
        }
    }

    private final SparkSession spark;
    private final TableStore store;
    private final String graphName;
    private final GraphTable.Loaded graph;
    private final int nodesPerClass;
    private final double alpha;

    /**
     * @param config the job's config ({@code select.mll.*})
     * @param spark the session
     * @param store the tables (semantic graph, model labels)
     */
    public MllSelect(JobConfig config, SparkSession spark, TableStore store) {
        this.spark = spark;
        this.store = store;
        this.graphName = config.string("select.mll.graph");
        this.graph = GraphTable.read(store, graphName);
        this.nodesPerClass = config.integer("select.mll.nodes-per-class", 1);
        this.alpha = config.nonNegative("select.mll.alpha");
        if (alpha > 1) {
            throw new IllegalArgumentException("vlmadapt.select.mll.alpha = " + alpha + " is out of range; expected "
                    + "a value in [0, 1]");
        }
    }

    /** @return α */
    public double alpha() {
        return alpha;
    }

    /** @return the graph read */
    public GraphTable.Loaded graph() {
        return graph;
    }

    /**
     * @param target the target
     * @param k models per class
     * @return the selection
     */
    public Result select(SelectionTarget target, int k) {
        long start = System.nanoTime();
        // The class name alone: a domain sentence appended would outweigh a one-word class in MiniLM's mean pooling.
        float[][] classes = SentenceEmbedder.miniLm().embed(target.text().classes());
        NodeMatch match = NodeMatch.of(classes, graph.embeddings(), nodesPerClass);
        Map<String, double[]> scores = HubLabels.nodeScores(spark, store, graphName, graph.graph(), match.selected());
        List<String> models = new ArrayList<>(scores.keySet());
        double[][] byModel = new double[models.size()][];
        for (int m = 0; m < byModel.length; m++) {
            byModel[m] = scores.get(models.get(m));
        }
        MllSelection selection = MllSelection.of(byModel, match, alpha, k);
        return new Result(target, models, match, byModel, selection, (System.nanoTime() - start) / 1e9);
    }
}
