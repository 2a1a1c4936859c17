package dev.vlmadapt.runtime.prompt;

import dev.vlmadapt.runtime.clip.ClipModel;
import dev.vlmadapt.runtime.text.TokenBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * CoOp's unified-context class prompts {@code [SOT, ctx_1 … ctx_n, "<class name>.", EOT]}: the K class prompts
 * are tokenized once with the initial context text in the context span, whose token embeddings are the
 * initial context p0 and are replaced by candidate contexts at query time.
 */
public final class ClassPrompts {
    /** Position of the first context token (right after SOT). */
    public static final int START = 1;

    private final TokenBatch tokens;
    private final int contextTokens;
    private final float[] initialContext;
    private final int width;

    private ClassPrompts(TokenBatch tokens, int contextTokens, float[] initialContext, int width) {
        this.tokens = tokens;
        this.contextTokens = contextTokens;
        this.initialContext = initialContext;
        this.width = width;
    }

    /**
     * @param model the CLIP whose tokenizer and token embeddings are used
     * @param classNames K class names
     * @param initText the initial context, e.g. {@code "a photo of a"} (its tokens form the context span)
     * @return the prompts
     */
    public static ClassPrompts create(ClipModel model, List<String> classNames, String initText) {
        long[] ctx = model.tokenizer().tokenIds(initText);
        if (ctx.length == 0) {
            throw new IllegalArgumentException("initial context '" + initText + "' has no tokens");
        }
        List<String> texts = new ArrayList<>(classNames.size());
        for (String c : classNames) {
            texts.add(initText + " " + c + ".");
        }
        TokenBatch tokens = model.tokenizer().encode(texts);
        for (int k = 0; k < tokens.size(); k++) {
            long[] row = tokens.row(k);
            for (int j = 0; j < ctx.length; j++) {
                if (row[START + j] != ctx[j]) {
                    throw new IllegalStateException("prompt '" + texts.get(k) + "' does not start with the tokens of '"
                            + initText + "'");
                }
            }
        }
        int width = model.config().text().width();
        float[] p0;
        try (var m = model.weights().manager().newSubManager()) {
            // (n, D): the initial context is the token embeddings of the context span of the first prompt.
            p0 = model.textTower().embedTokens(tokens.select(new int[] {0}), START + ctx.length, m)
                    .get(":, {}:, :", START).toFloatArray();
        }
        return new ClassPrompts(tokens, ctx.length, p0, width);
    }

    /** @return the K tokenized prompts */
    public TokenBatch tokens() {
        return tokens;
    }

    /** @return n, the number of context tokens */
    public int contextTokens() {
        return contextTokens;
    }

    /** @return D, the token embedding width */
    public int width() {
        return width;
    }

    /** @return p0, the initial context as {@code n·D} floats (row-major (n, D)) */
    public float[] initialContext() {
        return initialContext.clone();
    }

    /** @return K */
    public int classes() {
        return tokens.size();
    }
}
