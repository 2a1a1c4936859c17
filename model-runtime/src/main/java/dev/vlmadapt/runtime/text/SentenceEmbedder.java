package dev.vlmadapt.runtime.text;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Sentence embeddings with all-MiniLM-L6-v2 (384 dimensions), the ONNX model and tokenizer that ship inside
 * langchain4j's jar, so nothing downloads. Model selection compares class names, dataset descriptions and
 * WordNet node texts with it. Rows are unit length, so a dot product is the cosine similarity.
 */
public final class SentenceEmbedder {
    /** Embedding width. */
    public static final int DIMENSION = 384;

    private static volatile SentenceEmbedder shared;

    private final AllMiniLmL6V2EmbeddingModel model;

    private SentenceEmbedder() {
        // The caller's thread embeds: the default would start a thread pool per model instance.
        Executor sameThread = Runnable::run;
        this.model = new AllMiniLmL6V2EmbeddingModel(sameThread);
    }

    /** @return the JVM's embedder (loaded once; the ONNX session is thread-safe) */
    public static SentenceEmbedder miniLm() {
        SentenceEmbedder s = shared;
        if (s == null) {
            synchronized (SentenceEmbedder.class) {
                if (shared == null) {
                    shared = new SentenceEmbedder();
                }
                s = shared;
            }
        }
        return s;
    }

    /**
     * @param texts sentences (non-blank)
     * @return one unit-length row per text, {@code [texts.size()][384]}
     */
    public float[][] embed(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("text " + i + " to embed is blank");
            }
            segments.add(TextSegment.from(t));
        }
        List<Embedding> out = texts.isEmpty() ? List.of() : model.embedAll(segments).content();
        float[][] rows = new float[texts.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = unit(out.get(i).vector());
        }
        return rows;
    }

    /**
     * @param text a sentence
     * @return its unit-length embedding
     */
    public float[] embed(String text) {
        return embed(List.of(text))[0];
    }

    /**
     * @param rows unit-length rows
     * @return their mean, scaled back to unit length (the centroid direction)
     */
    public static float[] meanDirection(float[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("no rows to average");
        }
        float[] mean = new float[rows[0].length];
        for (float[] r : rows) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += r[j];
            }
        }
        return unit(mean);
    }

    /**
     * @param a a vector
     * @param b one of the same length
     * @return their dot product (the cosine when both are unit length)
     */
    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " and " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static float[] unit(float[] v) {
        double n = Math.sqrt(dot(v, v));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.max(n, 1e-12));
        }
        return out;
    }
}
