package dev.vlmadapt.runtime.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * CLIP tokenization from a model directory's {@code tokenizer.json} (Hugging Face tokenizers through DJL, so
 * the real CLIP BPE and this project's generated vocabularies load the same way). Sequences get SOT/EOT from
 * the tokenizer's post-processor, are truncated so that EOT is kept, and are padded to the context length.
 */
public final class ClipTokenizer implements AutoCloseable {
    /** CLIP's start-of-text token. */
    public static final String SOT = "<|startoftext|>";
    /** CLIP's end-of-text token; its position is where the text feature is read. */
    public static final String EOT = "<|endoftext|>";

    private final HuggingFaceTokenizer tokenizer;
    private final int contextLength;
    private final long sotId;
    private final long eotId;

    private ClipTokenizer(HuggingFaceTokenizer tokenizer, int contextLength, long sotId, long eotId) {
        this.tokenizer = tokenizer;
        this.contextLength = contextLength;
        this.sotId = sotId;
        this.eotId = eotId;
    }

    /**
     * Loads {@code tokenizer.json}.
     *
     * @param tokenizerJson path of the file
     * @param contextLength the model's context length (77 for public CLIPs)
     * @return the tokenizer
     * @throws IOException if the file is missing, unreadable, or has no CLIP special tokens
     */
    public static ClipTokenizer load(Path tokenizerJson, int contextLength) throws IOException {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IOException("tokenizer file " + tokenizerJson + " does not exist (a CLIP model directory "
                    + "needs the tokenizer.json of its vocabulary)");
        }
        HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                "addSpecialTokens", "true",
                "truncation", "true",
                "maxLength", Integer.toString(contextLength),
                "padding", "false"));
        long sot = singleId(hf, SOT, tokenizerJson);
        long eot = singleId(hf, EOT, tokenizerJson);
        return new ClipTokenizer(hf, contextLength, sot, eot);
    }

    private static long singleId(HuggingFaceTokenizer hf, String token, Path file) throws IOException {
        long[] ids = hf.encode(token, false, false).getIds();
        if (ids.length != 1) {
            hf.close();
            throw new IOException(file + " has no single token for " + token + " (found " + ids.length + " ids)");
        }
        return ids[0];
    }

    /** @return the padded length */
    public int contextLength() {
        return contextLength;
    }

    /** @return id of {@value #SOT} */
    public long sotId() {
        return sotId;
    }

    /** @return id of {@value #EOT} */
    public long eotId() {
        return eotId;
    }

    /**
     * Tokenizes texts into one batch.
     *
     * @param texts B texts
     * @return the batch; rows longer than the context are truncated with EOT kept at the last position
     */
    public TokenBatch encode(List<String> texts) {
        long[] ids = new long[texts.size() * contextLength];
        int[] eot = new int[texts.size()];
        for (int r = 0; r < texts.size(); r++) {
            long[] row = tokenize(texts.get(r));
            System.arraycopy(row, 0, ids, r * contextLength, row.length);
            eot[r] = row.length - 1;
        }
        return new TokenBatch(ids, eot, contextLength);
    }

    /**
     * @param text one text
     * @return its ids, SOT first and EOT last, at most the context length
     */
    public long[] tokenize(String text) {
        Encoding enc = tokenizer.encode(text);
        long[] row = enc.getIds();
        if (row.length == 0 || row[0] != sotId || row[row.length - 1] != eotId) {
            throw new IllegalStateException("tokenizer did not wrap '" + text + "' in " + SOT + " … " + EOT
                    + "; its post_processor must add them");
        }
        return row;
    }

    /**
     * @param text a text without special tokens
     * @return the ids of its tokens alone (no SOT/EOT)
     */
    public long[] tokenIds(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
