package dev.vlmadapt.jobs.concepts;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.vlmadapt.runtime.concepts.ArtStyle;
import dev.vlmadapt.runtime.concepts.Concept;
import dev.vlmadapt.runtime.concepts.ConceptCatalog;
import dev.vlmadapt.runtime.concepts.ConceptImages;
import dev.vlmadapt.runtime.concepts.StyleArtwork;
import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.zeroshot.ZeroShotClassifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Datasets over the concept artwork ({@code reader = "concepts"} in {@code datasets.conf}). An entry says
 * which concepts are its classes and which styles each source split draws from:
 * <pre>
 * classes-from = concept        # one class per concept (its label), optionally only of some categories
 * categories = ["Food &amp; Drink"]   # and/or subcategories
 * subcategories = [food-fruit, food-vegetable]
 * # or: classes-from = groups, one class per group of subcategories
 * groups = [ { name = fruit, subcategories = [food-fruit] }, { name = vegetable, subcategories = [food-vegetable] } ]
 * styles { train = [google, twitter], val = [noto-v1], test = [openmoji] }
 * </pre>
 * The styles of the splits are disjoint, so a concept dataset's test split is a domain shift; {@code val}
 * (optional) gives the splits job a validation pool of its own styles.
 */
public final class ConceptDatasets {
    private final Config concepts;
    private final Map<String, ArtStyle> styles;
    private ConceptCatalog catalog;
    private final Map<String, StyleArtwork> opened = new HashMap<>();

    /** @param concepts the {@code vlmadapt.concepts} section */
    public ConceptDatasets(Config concepts) {
        this.concepts = concepts;
        Map<String, ArtStyle> s = new LinkedHashMap<>();
        Config declared = concepts.getConfig("styles");
        for (String name : new TreeSet<>(declared.root().keySet())) {
            Config c = declared.getConfig(quoted(name));
            try {
                s.put(name, new ArtStyle(name, ArtStyle.Kind.parse(c.getString("kind")), c.getString("path"),
                        c.getString("licence"), c.getString("attribution")));
            } catch (ConfigException | IllegalArgumentException e) {
                throw new IllegalArgumentException("vlmadapt.concepts.styles." + name + ": " + e.getMessage(), e);
            }
        }
        this.styles = java.util.Collections.unmodifiableMap(s);
    }

    /** @return the declared styles by name, sorted */
    public Map<String, ArtStyle> styles() {
        return styles;
    }

    /**
     * @param dataset the dataset's name (for messages)
     * @param entry its entry
     * @return its class names, in label order
     */
    public List<String> classes(String dataset, Config entry) {
        return assignment(dataset, entry).classes;
    }

    /**
     * Captions beyond the templates (one-concept classes only), per class: with {@code tag-captions = true} the
     * concept's label followed by its emojibase tags ("dog face: adorbs, animal, dog, pet"); with
     * {@code kind-captions = true} the templates filled with the concept's kind ({@code vlmadapt.concepts.kinds}
     * of its subcategory: "an emoji of a mammal."), which every concept of that kind shares, and "dog face, a
     * mammal".
     *
     * @param dataset the dataset's name (for messages)
     * @param entry its entry
     * @return one list per class, or an empty list for none
     */
    public List<List<String>> extraCaptions(String dataset, Config entry) {
        boolean tags = entry.hasPath("tag-captions") && entry.getBoolean("tag-captions");
        boolean kinds = entry.hasPath("kind-captions") && entry.getBoolean("kind-captions");
        if (!tags && !kinds) {
            return List.of();
        }
        if (entry.hasPath("classes-from") && !entry.getString("classes-from").equals("concept")) {
            throw new IllegalArgumentException("vlmadapt.datasets." + dataset + ": tag-captions and kind-captions "
                    + "need classes-from = concept (a class per concept)");
        }
        Assignment a = assignment(dataset, entry);
        List<List<String>> out = new ArrayList<>();
        for (int c = 0; c < a.classes.size(); c++) {
            out.add(new ArrayList<>());
        }
        List<String> templates = entry.getStringList("templates");
        for (Concept c : catalog().concepts()) {
            Integer y = a.labels.get(c.code());
            if (y == null) {
                continue;
            }
            if (tags && !c.tags().isEmpty()) {
                out.get(y).add(c.label() + ": " + String.join(", ", c.tags()));
            }
            String kind = kinds ? kindOf(c) : null;
            if (kind != null) {
                templates.forEach(t -> out.get(y).add(ZeroShotClassifier.fill(t, kind)));
                out.get(y).add(c.label() + ", a " + kind);
            }
        }
        return out;
    }

    /** The concept's kind in plain words, or null when its subcategory has none. */
    private String kindOf(Concept c) {
        String key = "kinds." + quoted(c.subcategory());
        return concepts.hasPath(key) ? concepts.getString(key) : null;
    }

    /**
     * @param dataset the dataset's name (for messages)
     * @param entry its entry
     * @param split {@code train}, {@code val} or {@code test}
     * @return the split's images (named {@code <style>/<code>}), with any artwork that failed to render listed
     *     as skipped
     * @throws IOException if the artwork is not installed
     */
    public LabeledImages read(String dataset, Config entry, String split) throws IOException {
        Assignment a = assignment(dataset, entry);
        List<StyleArtwork> from = new ArrayList<>();
        for (String style : stylesOf(dataset, entry, split)) {
            from.add(open(style));
        }
        int size = concepts.getInt("image-size");
        return ConceptImages.render(catalog(), from, c -> a.labels.getOrDefault(c.code(), -1), size, background());
    }

    /**
     * @param dataset the dataset's name (for messages)
     * @param entry its entry
     * @param split {@code train} or {@code test}
     * @return the styles the split draws from (empty when the entry names none)
     */
    public List<String> stylesOf(String dataset, Config entry, String split) {
        String key = "styles." + split;
        List<String> names = entry.hasPath(key) ? entry.getStringList(key) : List.of();
        for (String n : names) {
            if (!styles.containsKey(n)) {
                throw new IllegalArgumentException("vlmadapt.datasets." + dataset + "." + key + ": unknown style '"
                        + n + "'; declared styles: " + styles.keySet());
            }
        }
        for (String other : List.of("train", "val", "test")) {
            if (other.equals(split) || !entry.hasPath("styles." + other)) {
                continue;
            }
            for (String n : names) {
                if (entry.getStringList("styles." + other).contains(n)) {
                    throw new IllegalArgumentException("vlmadapt.datasets." + dataset + ".styles: style '" + n
                            + "' is in both " + split + " and " + other + "; a style belongs to one split");
                }
            }
        }
        return names;
    }

    /** @return the catalog of concepts (read once) */
    public synchronized ConceptCatalog catalog() {
        if (catalog == null) {
            try {
                catalog = ConceptCatalog.load(Path.of(concepts.getString("modules")),
                        new LinkedHashSet<>(concepts.getStringList("categories")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return catalog;
    }

    /**
     * @param style a declared style
     * @return its artwork
     * @throws IOException if it is not installed
     */
    public synchronized StyleArtwork open(String style) throws IOException {
        StyleArtwork a = opened.get(style);
        if (a == null) {
            ArtStyle s = styles.get(style);
            if (s == null) {
                throw new IllegalArgumentException("unknown style '" + style + "'; declared styles: " + styles.keySet());
            }
            a = StyleArtwork.open(s, Path.of(concepts.getString("modules")));
            opened.put(style, a);
        }
        return a;
    }

    private int background() {
        String hex = concepts.getString("background");
        if (!hex.matches("#[0-9a-fA-F]{6}")) {
            throw new IllegalArgumentException("vlmadapt.concepts.background = '" + hex + "'; expected #RRGGBB");
        }
        return Integer.parseInt(hex.substring(1), 16);
    }

    /** Class names and each concept's class index. */
    private record Assignment(List<String> classes, Map<String, Integer> labels) {
    }

    private Assignment assignment(String dataset, Config entry) {
        String where = "vlmadapt.datasets." + dataset;
        String from = entry.hasPath("classes-from") ? entry.getString("classes-from") : "concept";
        List<String> classes = new ArrayList<>();
        Map<String, Integer> labels = new HashMap<>();
        switch (from) {
            case "concept": {
                List<String> subs = entry.hasPath("subcategories") ? entry.getStringList("subcategories") : null;
                if (subs != null) {
                    checkSubcategories(where + ".subcategories", subs);
                }
                List<String> cats = entry.hasPath("categories") ? entry.getStringList("categories") : null;
                if (cats != null) {
                    java.util.Set<String> known = new TreeSet<>();
                    catalog().concepts().forEach(c -> known.add(c.category()));
                    for (String cat : cats) {
                        if (!known.contains(cat)) {
                            throw new IllegalArgumentException(where + ".categories: unknown category '" + cat
                                    + "'; known: " + known);
                        }
                    }
                }
                for (Concept c : catalog().concepts()) {
                    if ((subs == null || subs.contains(c.subcategory()))
                            && (cats == null || cats.contains(c.category()))) {
                        labels.put(c.code(), classes.size());
                        classes.add(c.label());
                    }
                }
                break;
            }
            case "groups": {
                List<? extends Config> groups = entry.getConfigList("groups");
                Map<String, Integer> bySub = new HashMap<>();
                for (Config g : groups) {
                    String name = g.getString("name");
                    List<String> subs = g.getStringList("subcategories");
                    checkSubcategories(where + ".groups." + name, subs);
                    for (String s : subs) {
                        if (bySub.putIfAbsent(s, classes.size()) != null) {
                            throw new IllegalArgumentException(where + ".groups: subcategory '" + s
                                    + "' is in more than one group");
                        }
                    }
                    classes.add(name);
                }
                for (Concept c : catalog().concepts()) {
                    Integer y = bySub.get(c.subcategory());
                    if (y != null) {
                        labels.put(c.code(), y);
                    }
                }
                break;
            }
            default:
                throw new IllegalArgumentException(where + ".classes-from = '" + from + "'; expected concept or groups");
        }
        if (classes.isEmpty()) {
            throw new IllegalArgumentException(where + ": no concept is a class of it");
        }
        return new Assignment(List.copyOf(classes), labels);
    }

    private void checkSubcategories(String where, List<String> subs) {
        java.util.Set<String> known = new TreeSet<>();
        for (Concept c : catalog().concepts()) {
            known.add(c.subcategory());
        }
        for (String s : subs) {
            if (!known.contains(s)) {
                throw new IllegalArgumentException(where + ": unknown subcategory '" + s + "'; known: " + known);
            }
        }
    }

    private static String quoted(String name) {
        return "\"" + name + "\"";
    }
}
