package dev.vlmadapt.runtime.concepts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlmadapt.runtime.data.DatasetFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An Iconify JSON icon set ({@code icons.json}: SVG bodies keyed by names such as {@code dog-face}, aliases
 * pointing at a parent icon, default and per-icon view boxes), read so that an icon becomes a standalone SVG
 * document. Concepts are matched by name: the label, then the short name, then the Unicode name, each as a
 * lower-case hyphenated slug. Written here because no Java library reads this format; it is a plain JSON
 * layout (iconify.design, "IconifyJSON").
 */
final class IconifySet {
    private final Path file;
    private final JsonNode root;

    private IconifySet(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    static IconifySet read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new DatasetFormatException(file + ": not a readable Iconify JSON file: " + e.getMessage(), e);
        }
        if (root == null || !root.path("icons").isObject()) {
            throw new DatasetFormatException(file + ": expected an object with 'icons' (Iconify JSON)");
        }
        return new IconifySet(file, root);
    }

    /**
     * @param concept a concept
     * @return the name of its icon here, or null
     */
    String match(Concept concept) {
        for (String candidate : List.of(concept.label(), concept.shortName())) {
            String slug = slug(candidate);
            if (root.path("icons").has(slug) || root.path("aliases").has(slug)) {
                return slug;
            }
        }
        return null;
    }

    /**
     * @param name an icon or alias name of this set
     * @return a standalone SVG document of it
     * @throws IOException if the name or an alias's parent is missing
     */
    String svg(String name) throws IOException {
        boolean hFlip = false;
        boolean vFlip = false;
        int rotate = 0;
        String current = name;
        List<String> seen = new ArrayList<>();
        while (!root.path("icons").has(current)) {
            JsonNode alias = root.path("aliases").get(current);
            if (alias == null || seen.contains(current)) {
                throw new DatasetFormatException(file + ": icon '" + name + "' " + (alias == null
                        ? "does not exist" : "has an alias cycle through '" + current + "'"));
            }
            seen.add(current);
            // Transformations of alias and parent combine: flips toggle, rotations add.
            hFlip ^= alias.path("hFlip").asBoolean(false);
            vFlip ^= alias.path("vFlip").asBoolean(false);
            rotate += alias.path("rotate").asInt(0);
            current = alias.path("parent").asText();
        }
        JsonNode icon = root.path("icons").get(current);
        hFlip ^= icon.path("hFlip").asBoolean(false);
        vFlip ^= icon.path("vFlip").asBoolean(false);
        rotate += icon.path("rotate").asInt(0);
        double left = number(icon, "left", 0);
        double top = number(icon, "top", 0);
        double width = number(icon, "width", 16);
        double height = number(icon, "height", 16);
        String body = icon.path("body").asText();
        List<String> transforms = new ArrayList<>();
        double cx = left + width / 2;
        double cy = top + height / 2;
        if (rotate % 4 != 0) {
            transforms.add(String.format(Locale.ROOT, "rotate(%d %s %s)", 90 * (rotate % 4), num(cx), num(cy)));
        }
        if (hFlip || vFlip) {
            transforms.add(String.format(Locale.ROOT, "translate(%s %s) scale(%d %d) translate(%s %s)", num(cx),
                    num(cy), hFlip ? -1 : 1, vFlip ? -1 : 1, num(-cx), num(-cy)));
        }
        if (!transforms.isEmpty()) {
            body = "<g transform=\"" + String.join(" ", transforms) + "\">" + body + "</g>";
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\""
                + num(left) + " " + num(top) + " " + num(width) + " " + num(height) + "\" width=\"" + num(width)
                + "\" height=\"" + num(height) + "\">" + body + "</svg>";
    }

    /** A per-icon value, else the set's default, else {@code fallback} (Iconify's own default is 16). */
    private double number(JsonNode icon, String key, double fallback) {
        return icon.has(key) ? icon.get(key).asDouble() : root.has(key) ? root.get(key).asDouble() : fallback;
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * @param text a label or name
     * @return Iconify's form of it: accents and apostrophes dropped ("piñata" → pinata, "woman’s boot" →
     *     womans-boot), lower case, other runs of non-alphanumerics as one hyphen
     */
    static String slug(String text) {
        String s = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}+", "")
                .replaceAll("['’]", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return s.replaceAll("^-+|-+$", "");
    }
}
