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
 * The texts of a published table's datasets: a descriptions file (dataset → {@code {"domain", "task",
 * "prompts"}} or {@code "classes"} inline), with the class names of a {@code prompts} key read from a prompts file
 * in the CLIP paper's layout (key → {@code {"classes": [...], "templates": [...]}}).
 */
public final class DescriptionFile {
    private DescriptionFile() {
    }

    /**
     * @param descriptions the descriptions file
     * @param prompts the prompts file, or null when every entry lists its classes
     * @return one text per described dataset, in file order
     * @throws IllegalArgumentException naming the file, dataset and field of a malformed entry
     * @throws IOException if a file cannot be read
     */
    public static List<DatasetText> read(Path descriptions, Path prompts) throws IOException {
        JsonNode d = object(descriptions);
        JsonNode p = prompts == null ? null : object(prompts);
        List<DatasetText> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = d.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = descriptions + ": dataset '" + e.getKey() + "'";
            JsonNode n = e.getValue();
            List<String> classes = new ArrayList<>();
            JsonNode inline = n.get("classes");
            if (inline == null) {
                JsonNode key = n.get("prompts");
                if (key == null || !key.isTextual()) {
                    throw new IllegalArgumentException(where + ": needs \"classes\" (a list) or \"prompts\" (a key of "
                            + "the prompts file)");
                }
                if (p == null) {
                    throw new IllegalArgumentException(where + ": names prompts '" + key.asText() + "' but no prompts "
                            + "file was given");
                }
                JsonNode entry = p.get(key.asText());
                if (entry == null || entry.get("classes") == null) {
                    throw new IllegalArgumentException(where + ": prompts '" + key.asText() + "' has no classes in "
                            + prompts);
                }
                inline = entry.get("classes");
            }
            if (!inline.isArray() || inline.isEmpty()) {
                throw new IllegalArgumentException(where + ": \"classes\" must be a non-empty list of strings");
            }
            inline.forEach(c -> classes.add(c.asText()));
            out.add(new DatasetText(e.getKey(), text(n, "domain"), text(n, "task"), classes));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static JsonNode object(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " does not exist");
        }
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object keyed by dataset");
        }
        return n;
    }
}
