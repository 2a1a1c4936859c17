package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.select.SemanticGraph;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The semantic graph table {@code <tables.root>/semantic_graph/graph=<name>/}: one row per node with its WordNet
 * synset, level, parents, text and the text's MiniLM embedding (so that selection embeds only the target).
 */
public final class GraphTable {
    /** Table name. */
    public static final String TABLE = "semantic_graph";

    /** The columns. */
    public static final StructType SCHEMA = new StructType()
            .add("offset", DataTypes.LongType, false)
            .add("name", DataTypes.StringType, false)
            .add("lemmas", DataTypes.createArrayType(DataTypes.StringType), false)
            .add("gloss", DataTypes.StringType, false)
            .add("level", DataTypes.IntegerType, false)
            .add("parents", DataTypes.createArrayType(DataTypes.LongType), false)
            .add("text", DataTypes.StringType, false)
            .add("embedding", DataTypes.createArrayType(DataTypes.FloatType), false);

    private GraphTable() {
    }

    /**
     * @param graph the graph
     * @param embeddings each node's text embedding, in node order
     * @return the rows
     */
    public static List<Row> rows(SemanticGraph graph, float[][] embeddings) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            SemanticGraph.Node n = graph.nodes().get(i);
            Float[] e = new Float[embeddings[i].length];
            for (int j = 0; j < e.length; j++) {
                e[j] = embeddings[i][j];
            }
            out.add(RowFactory.create(n.offset(), n.name(), n.lemmas().toArray(new String[0]), n.gloss(), n.level(),
                    n.parents().toArray(new Long[0]), n.text(), e));
        }
        return out;
    }

    /**
     * @param store the tables
     * @param name the graph's name
     * @return the graph and its node embeddings, in the stored node order
     * @throws IllegalArgumentException if there is no such graph, saying which job makes it
     */
    public static Loaded read(TableStore store, String name) {
        List<Row> rows;
        try {
            if (!store.exists(TABLE)) {
                throw new IllegalArgumentException("no semantic graph at " + store.table(TABLE) + "; run "
                        + "`bin/vlmadapt semantic-graph` first");
            }
            rows = store.read(TABLE).where(org.apache.spark.sql.functions.col("graph").equalTo(name))
                    .orderBy("level", "name", "offset").collectAsList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no graph=" + name + " in " + store.table(TABLE) + "; run "
                    + "`bin/vlmadapt semantic-graph select.mll.graph=" + name + "`");
        }
        List<SemanticGraph.Node> nodes = new ArrayList<>();
        float[][] emb = new float[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            nodes.add(new SemanticGraph.Node(r.getAs("offset"), r.getAs("name"), r.getList(r.fieldIndex("lemmas")),
                    r.getAs("gloss"), r.getAs("level"), r.getList(r.fieldIndex("parents"))));
            List<Float> e = r.getList(r.fieldIndex("embedding"));
            emb[i] = new float[e.size()];
            for (int j = 0; j < emb[i].length; j++) {
                emb[i][j] = e.get(j);
            }
        }
        return new Loaded(new SemanticGraph(nodes), emb);
    }

    /**
     * A stored graph.
     *
     * @param graph the graph
     * @param embeddings MiniLM embedding of each node's text, in node order
     */
    public record Loaded(SemanticGraph graph, float[][] embeddings) {
    }
}
