package dev.vlmadapt.runtime.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A task a user wants models for, known by text only: {@code {"name", "domain", "task", "classes": [...],
 * "templates": [...]}}. A target file holds one such object, or a map of name → object (the name then defaults
 * to the key; a file whose every value is an object is such a map).
 *
 * @param text name, domain, task and class names
 * @param templates prompt templates with {@code {c}} for the class name (may be empty)
 */
public record SelectionTarget(DatasetText text, List<String> templates) {
    /** Copies the templates. */
    public SelectionTarget {
        templates = List.copyOf(templates);
    }

    /**
     * @param file a target file
     * @return its targets, in file order
     * @throws IllegalArgumentException naming the file, the target and the field, if one is malformed
     * @throws IOException if the file cannot be read
     */
    public static List<SelectionTarget> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("target file " + file + " does not exist");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object (one target, or a map of targets)");
        }
        List<SelectionTarget> out = new ArrayList<>();
        if (root.isEmpty()) {
            throw new IllegalArgumentException(file + ": no target in it; expected {\"name\", \"domain\", "
                    + "\"task\", \"classes\": [...], \"templates\": [...]} or a map of them");
        }
        boolean map = true;
        for (JsonNode v : root) {
            map &= v.isObject();
        }
        if (!map) {
            out.add(parse(file + "", root, null));
        } else {
            Iterator<Map.Entry<String, JsonNode>> it = root.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.add(parse(file + ": target '" + e.getKey() + "'", e.getValue(), e.getKey()));
            }
        }
        return out;
    }

    private static SelectionTarget parse(String where, JsonNode n, String key) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(where + ": expected an object with name, domain, task, classes");
        }
        String name = optionalText(where, n, "name", key);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(where + ": field \"name\" is missing or blank");
        }
        List<String> classes = texts(where, n, "classes", true);
        List<String> templates = texts(where, n, "templates", false);
        for (String t : templates) {
            if (!t.contains("{c}")) {
                throw new IllegalArgumentException(where + ": field \"templates\": '" + t + "' has no {c} for the "
                        + "class name");
            }
        }
        return new SelectionTarget(new DatasetText(name, optionalText(where, n, "domain", ""),
                optionalText(where, n, "task", ""), classes), templates);
    }

    private static String optionalText(String where, JsonNode n, String field, String fallback) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + ": field \"" + field + "\" must be a string, found "
                    + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return v.asText();
    }

    private static List<String> texts(String where, JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + ": field \"" + field + "\" is missing; expected a "
                        + "non-empty list of strings");
            }
            return List.of();
        }
        if (!v.isArray() || (required && v.isEmpty())) {
            throw new IllegalArgumentException(where + ": field \"" + field + "\" must be a "
                    + (required ? "non-empty " : "") + "list of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual() || e.asText().isBlank()) {
                throw new IllegalArgumentException(where + ": field \"" + field + "\", item " + i
                        + ": expected a non-blank string, found " + e);
            }
            out.add(e.asText().strip());
        }
        if (required && out.stream().distinct().count() != out.size()) {
            throw new IllegalArgumentException(where + ": field \"" + field + "\" names a class twice");
        }
        return out;
    }
}
