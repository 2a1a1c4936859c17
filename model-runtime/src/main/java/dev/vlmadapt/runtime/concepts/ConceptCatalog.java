package dev.vlmadapt.runtime.concepts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlmadapt.runtime.data.DatasetFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The concepts of the chosen emoji categories, read from the npm packages {@code emoji-datasource-google}
 * ({@code emoji.json}: category, subcategory, short name, sort order) and {@code emojibase-data}
 * ({@code en/data.json}: English label and tags), in emoji-datasource's sort order.
 */
public final class ConceptCatalog {
    /** The categories of everyday things: no people, smileys, flags or symbols. */
    public static final List<String> DEFAULT_CATEGORIES = List.of("Animals & Nature", "Food & Drink",
            "Travel & Places", "Objects", "Activities");

    private final List<Concept> concepts;
    private final Map<String, Concept> byCode;

    private ConceptCatalog(List<Concept> concepts) {
        this.concepts = List.copyOf(concepts);
        Map<String, Concept> m = new LinkedHashMap<>();
        for (Concept c : concepts) {
            m.put(c.code(), c);
        }
        this.byCode = Collections.unmodifiableMap(m);
    }

    /**
     * @param modules an npm {@code node_modules} folder holding both packages
     * @param categories emoji-datasource categories to keep
     * @return the catalog
     * @throws IOException if a file is missing or malformed (the message names it), or a concept has no
     *     emojibase label, or two concepts share a label (labels are class names and must be unique)
     */
    public static ConceptCatalog load(Path modules, Set<String> categories) throws IOException {
        Path datasource = modules.resolve("emoji-datasource-google/emoji.json");
        Path emojibase = modules.resolve("emojibase-data/en/data.json");
        Map<String, JsonNode> labels = new HashMap<>();
        for (JsonNode e : readArray(emojibase)) {
            labels.put(canonical(text(e, "hexcode", emojibase)), e);
        }
        List<JsonNode> kept = new ArrayList<>();
        for (JsonNode e : readArray(datasource)) {
            if (categories.contains(text(e, "category", datasource))) {
                kept.add(e);
            }
        }
        kept.sort(Comparator.comparingInt(e -> e.path("sort_order").asInt()));
        List<Concept> concepts = new ArrayList<>();
        Map<String, String> labelOwner = new HashMap<>();
        for (JsonNode e : kept) {
            String code = canonical(text(e, "unified", datasource));
            JsonNode base = labels.get(code);
            if (base == null) {
                throw new DatasetFormatException(emojibase + ": no entry for " + code + " (" + e.path("name").asText()
                        + ") of " + datasource);
            }
            String label = text(base, "label", emojibase).toLowerCase(Locale.ROOT);
            String other = labelOwner.putIfAbsent(label, code);
            if (other != null) {
                throw new DatasetFormatException(emojibase + ": label '" + label + "' names both " + other + " and "
                        + code + "; class names must be unique");
            }
            List<String> tags = new ArrayList<>();
            base.path("tags").forEach(t -> tags.add(t.asText()));
            concepts.add(new Concept(code, label, tags, text(e, "category", datasource),
                    text(e, "subcategory", datasource), text(e, "short_name", datasource), text(e, "image", datasource)));
        }
        return new ConceptCatalog(concepts);
    }

    /** @return the concepts, in emoji-datasource's sort order */
    public List<Concept> concepts() {
        return concepts;
    }

    /**
     * @param code a code point sequence (variation selectors are ignored)
     * @return its concept, or null if the catalog does not hold it
     */
    public Concept byCode(String code) {
        return byCode.get(canonical(code));
    }

    /**
     * @param code hex code points joined by '-', any case, with or without FE0F
     * @return upper case without FE0F
     */
    static String canonical(String code) {
        StringBuilder out = new StringBuilder();
        for (String part : code.toUpperCase(Locale.ROOT).split("-")) {
            if (!part.equals("FE0F")) {
                out.append(out.length() == 0 ? "" : "-").append(part);
            }
        }
        return out.toString();
    }

    private static JsonNode readArray(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " does not exist (run `make data` to install the concept artwork)");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new DatasetFormatException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new DatasetFormatException(file + ": expected a JSON array of emoji entries");
        }
        return root;
    }

    private static String text(JsonNode e, String field, Path file) throws DatasetFormatException {
        JsonNode v = e.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new DatasetFormatException(file + ": entry " + e.path("unified").asText(e.path("hexcode").asText())
                    + " has no text field '" + field + "'");
        }
        return v.asText();
    }
}
