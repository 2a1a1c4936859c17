package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.image.ImageCodec;
import dev.vlmadapt.runtime.image.RasterImage;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The images model labels are computed on: of each sample dataset, the images of its train split (the test split
 * where a dataset has only that, as each artwork style does), at most {@code perClass} per class (the first by
 * id), of the classes that have a WordNet synset. Shipped to the executors in one broadcast.
 *
 * @param ids image ids
 * @param datasets each image's dataset
 * @param synsets each image's class synset offset
 * @param pngs each image's PNG bytes
 */
public record SampleImages(List<String> ids, List<String> datasets, long[] synsets, List<byte[]> pngs)
        implements Serializable {
    /**
     * @param store the tables (the image table must hold every sample dataset)
     * @param classes the sample datasets' class synsets
     * @param perClass images per class and dataset at most
     * @return the sample
     */
    public static SampleImages load(TableStore store, SampleClasses classes, int perClass) {
        List<String> ids = new ArrayList<>();
        List<String> datasets = new ArrayList<>();
        List<Long> synsets = new ArrayList<>();
        List<byte[]> pngs = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> e : classes.byDataset().entrySet()) {
            String d = e.getKey();
            var rows = store.read(TableStore.IMAGES).where(functions.col("dataset").equalTo(d));
            String split = rows.where(functions.col("source_split").equalTo("train")).isEmpty() ? "test" : "train";
            List<Row> picked = rows.where(functions.col("source_split").equalTo(split))
                    .withColumn("n", functions.row_number().over(org.apache.spark.sql.expressions.Window
                            .partitionBy("class_name").orderBy("id")))
                    .where(functions.col("n").leq(perClass)).orderBy("id")
                    .select("id", "class_name", "image").collectAsList();
            if (picked.isEmpty()) {
                throw new IllegalArgumentException("sample dataset " + d + " has no images in "
                        + store.table(TableStore.IMAGES) + "; run `bin/vlmadapt ingest --dataset " + d + "`");
            }
            for (Row r : picked) {
                Long synset = e.getValue().get(r.getString(1));
                if (synset != null) {
                    ids.add(r.getString(0));
                    datasets.add(d);
                    synsets.add(synset);
                    pngs.add((byte[]) r.get(2));
                }
            }
        }
        return new SampleImages(ids, datasets, synsets.stream().mapToLong(Long::longValue).toArray(), pngs);
    }

    /**
     * @return the images decoded
     * @throws IOException naming an image that does not decode
     */
    public List<RasterImage> decode() throws IOException {
        List<RasterImage> out = new ArrayList<>(pngs.size());
        for (int i = 0; i < pngs.size(); i++) {
            out.add(ImageCodec.decode(pngs.get(i), ids.get(i)));
        }
        return out;
    }

    /** @return images per dataset */
    public Map<String, Integer> perDataset() {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        datasets.forEach(d -> out.merge(d, 1, Integer::sum));
        return out;
    }

    /**
     * The word each node is named by in a CLIP prompt: a class node by its sample class's own name (the words the
     * hub's models were trained on: "7", "dog face"), a node above them by its first lemma ("mammal").
     *
     * @param graph the graph
     * @param classes the sample classes
     * @return one word per node, in node order
     */
    public static List<String> probeWords(dev.vlmadapt.runtime.select.SemanticGraph graph, SampleClasses classes) {
        Map<Long, String> byOffset = new HashMap<>();
        classes.byDataset().values().forEach(m -> m.forEach((name, offset) -> byOffset.putIfAbsent(offset, name)));
        List<String> out = new ArrayList<>();
        for (var n : graph.nodes()) {
            out.add(byOffset.getOrDefault(n.offset(), n.word().replace('_', ' ')));
        }
        return out;
    }
}
