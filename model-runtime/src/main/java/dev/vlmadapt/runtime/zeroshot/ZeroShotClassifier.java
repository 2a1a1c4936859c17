package dev.vlmadapt.runtime.zeroshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.vlmadapt.runtime.clip.ClipModel;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIP zero-shot classification as CLIP_benchmark does it: every class name is put into every template, each
 * text feature is L2-normalised, the features of one class are averaged over templates and renormalised; an
 * image's logits are its normalised feature against these class weights, times the logit scale.
 */
public final class ZeroShotClassifier {
    private static final int TEXT_CHUNK = 512;

    private ZeroShotClassifier() {
    }

    /**
     * Fills a template with a class name. Templates use {@code {c}} (CLIP_benchmark) or {@code {}}.
     *
     * @param template e.g. {@code "a photo of a {c}."}
     * @param className e.g. {@code "sandal"}
     * @return the prompt
     */
    public static String fill(String template, String className) {
        if (template.contains("{c}")) {
            return template.replace("{c}", className);
        }
        if (template.contains("{}")) {
            return template.replace("{}", className);
        }
        throw new IllegalArgumentException("template '" + template + "' has no {c} or {} placeholder");
    }

    /**
     * Every class name in every template, class-major: the prompt of class k and template t is at
     * {@code k * T + t}.
     *
     * @param classNames K class names
     * @param templates T templates
     * @return the K·T prompts
     */
    public static List<String> prompts(List<String> classNames, List<String> templates) {
        List<String> texts = new ArrayList<>(classNames.size() * templates.size());
        for (String c : classNames) {
            for (String t : templates) {
                texts.add(fill(t, c));
            }
        }
        return texts;
    }

    /**
     * @param model the CLIP
     * @param classNames K class names
     * @param templates T prompt templates
     * @param out where the result is created
     * @return {@code (K, P)} unit-norm class weights
     */
    public static NDArray classWeights(ClipModel model, List<String> classNames, List<String> templates,
            NDManager out) {
        if (classNames.isEmpty() || templates.isEmpty()) {
            throw new IllegalArgumentException("need at least one class name and one template");
        }
        List<String> texts = prompts(classNames, templates);
        try (NDManager m = out.newSubManager()) {
            NDList chunks = new NDList();
            for (int i = 0; i < texts.size(); i += TEXT_CHUNK) {
                chunks.add(model.encodeText(texts.subList(i, Math.min(texts.size(), i + TEXT_CHUNK)), m));
            }
            NDArray f = NDArrays.concat(chunks, 0);                                   // (K·T, P)
            f = normalize(f).reshape(classNames.size(), templates.size(), -1);        // (K, T, P)
            NDArray w = normalize(f.mean(new int[] {1}));                              // (K, P)
            w.attach(out);
            return w;
        }
    }

    /**
     * @param imageFeatures {@code (N, P)} image features (any norm)
     * @param classWeights {@code (K, P)} unit-norm class weights
     * @param logitScale {@code exp(logit_scale)} of the model
     * @return {@code (N, K)} logits
     */
    public static NDArray logits(NDArray imageFeatures, NDArray classWeights, float logitScale) {
        return normalize(imageFeatures).matMul(classWeights.transpose()).mul(logitScale);
    }

    /**
     * @param x {@code (..., P)}
     * @return x divided by its L2 norm over the last axis
     */
    public static NDArray normalize(NDArray x) {
        return x.div(x.norm(new int[] {-1}, true));
    }
}
