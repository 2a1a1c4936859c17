package dev.vlmadapt.runtime.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Learns a small CLIP-style byte-level BPE vocabulary from a corpus and writes it as a {@code tokenizer.json}
 * with the structure of OpenAI CLIP's (lower-casing, CLIP's word regex, byte-level alphabet, {@code </w>}
 * end-of-word suffix, SOT/EOT added by the post-processor, EOT the largest id).
 *
 * <p>Hand-written because Hugging Face tokenizers can load but not train through DJL. Real CLIP checkpoints
 * ship their own {@code tokenizer.json}; this is only for the tiny models the project trains. The 256 byte
 * symbols (and their end-of-word forms) are always in the vocabulary, so any text tokenizes without unknowns.
 */
public final class ClipBpeVocabulary {
    /** CLIP's pre-tokenization: contractions, letter runs, single digits, runs of other symbols. */
    public static final String WORD_REGEX = "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";
    private static final String EOW = "</w>";
    private static final Pattern WORD = Pattern.compile(WORD_REGEX);
    private static final char[] BYTE_TO_CHAR = byteToUnicode();

    private final Map<String, Integer> vocab;
    private final List<String> merges;

    private ClipBpeVocabulary(Map<String, Integer> vocab, List<String> merges) {
        this.vocab = vocab;
        this.merges = merges;
    }

    /**
     * Learns merges until every word of the corpus is a single token (or {@code maxMerges} is reached). Ties in
     * pair frequency are broken by the pair's text, so the result depends only on the corpus.
     *
     * @param corpus texts, e.g. every caption the model will see
     * @param maxMerges upper bound on merges
     * @return the vocabulary
     */
    public static ClipBpeVocabulary train(Collection<String> corpus, int maxMerges) {
        Map<String, Integer> wordFreq = new TreeMap<>();
        for (String text : corpus) {
            for (String w : words(text)) {
                wordFreq.merge(w, 1, Integer::sum);
            }
        }
        Map<String, List<String>> split = new LinkedHashMap<>();
        for (String w : wordFreq.keySet()) {
            split.put(w, symbols(w));
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (char c : BYTE_TO_CHAR) {
            vocab.put(String.valueOf(c), vocab.size());
        }
        for (char c : BYTE_TO_CHAR) {
            vocab.put(c + EOW, vocab.size());
        }
        List<String> merges = new ArrayList<>();
        while (merges.size() < maxMerges) {
            Map<String, Integer> pairs = new HashMap<>();
            for (Map.Entry<String, List<String>> e : split.entrySet()) {
                List<String> s = e.getValue();
                for (int i = 0; i + 1 < s.size(); i++) {
                    pairs.merge(s.get(i) + " " + s.get(i + 1), wordFreq.get(e.getKey()), Integer::sum);
                }
            }
            if (pairs.isEmpty()) {
                break;
            }
            String best = pairs.entrySet().stream()
                    .min((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey())
                            : Integer.compare(b.getValue(), a.getValue()))
                    .orElseThrow().getKey();
            merges.add(best);
            String[] ab = best.split(" ");
            vocab.putIfAbsent(ab[0] + ab[1], vocab.size());
            split.replaceAll((w, s) -> apply(s, ab[0], ab[1]));
        }
        vocab.put(ClipTokenizer.SOT, vocab.size());
        vocab.put(ClipTokenizer.EOT, vocab.size());
        return new ClipBpeVocabulary(vocab, merges);
    }

    /** @return number of tokens, special tokens included */
    public int size() {
        return vocab.size();
    }

    /** @return id of the start-of-text token */
    public int sotId() {
        return vocab.get(ClipTokenizer.SOT);
    }

    /** @return id of the end-of-text token (the largest id) */
    public int eotId() {
        return vocab.get(ClipTokenizer.EOT);
    }

    /**
     * Writes the vocabulary as a Hugging Face {@code tokenizer.json}.
     *
     * @param file the file to write
     * @throws IOException if writing fails
     */
    public void write(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : List.of(ClipTokenizer.SOT, ClipTokenizer.EOT)) {
            ObjectNode t = added.addObject();
            t.put("id", vocab.get(special));
            t.put("content", special);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", true);
            t.put("special", true);
        }
        ObjectNode norm = root.putObject("normalizer");
        norm.put("type", "Sequence");
        ArrayNode norms = norm.putArray("normalizers");
        norms.addObject().put("type", "NFC");
        ObjectNode replace = norms.addObject();
        replace.put("type", "Replace");
        replace.putObject("pattern").put("Regex", "\\s+");
        replace.put("content", " ");
        norms.addObject().put("type", "Lowercase");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode pres = pre.putArray("pretokenizers");
        ObjectNode splitter = pres.addObject();
        splitter.put("type", "Split");
        splitter.putObject("pattern").put("Regex", WORD_REGEX);
        splitter.put("behavior", "Removed");
        splitter.put("invert", true);
        ObjectNode byteLevel = pres.addObject();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("trim_offsets", true);
        byteLevel.put("use_regex", false);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "RobertaProcessing");
        post.putArray("sep").add(ClipTokenizer.EOT).add(eotId());
        post.putArray("cls").add(ClipTokenizer.SOT).add(sotId());
        post.put("trim_offsets", false);
        post.put("add_prefix_space", false);
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "ByteLevel");
        decoder.put("add_prefix_space", true);
        decoder.put("trim_offsets", true);
        decoder.put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", ClipTokenizer.EOT);
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", EOW);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode m = model.putArray("merges");
        merges.forEach(m::add);
        Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    /** Lower-cased words in CLIP's pre-tokenization, mapped to byte-level symbols. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT).trim());
        while (m.find()) {
            StringBuilder sb = new StringBuilder();
            for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) {
                sb.append(BYTE_TO_CHAR[b & 0xff]);
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static List<String> symbols(String word) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < word.length(); i++) {
            s.add(i == word.length() - 1 ? word.charAt(i) + EOW : String.valueOf(word.charAt(i)));
        }
        return s;
    }

    private static List<String> apply(List<String> s, String a, String b) {
        List<String> out = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            if (i + 1 < s.size() && s.get(i).equals(a) && s.get(i + 1).equals(b)) {
                out.add(a + b);
                i++;
            } else {
                out.add(s.get(i));
            }
        }
        return out;
    }

    /** GPT-2/CLIP's reversible map from bytes to printable characters, as the ByteLevel pre-tokenizer uses. */
    private static char[] byteToUnicode() {
        char[] map = new char[256];
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int next = 0;
        for (int b = 0; b < 256; b++) {
            map[b] = printable[b] ? (char) b : (char) (256 + next++);
        }
        return map;
    }
}
