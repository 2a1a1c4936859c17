package dev.vlmadapt.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.vlmadapt.jobs.concepts.ConceptDatasets;
import dev.vlmadapt.runtime.data.IdxReader;
import dev.vlmadapt.runtime.data.ImageVariants;
import dev.vlmadapt.runtime.data.ImageFolderReader;
import dev.vlmadapt.runtime.data.LabeledImages;
import dev.vlmadapt.runtime.data.MnistJsonReader;
import dev.vlmadapt.runtime.data.UciDigitsReader;
import dev.vlmadapt.runtime.image.RasterImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The datasets declared under {@code vlmadapt.datasets} and how to read their splits. */
public final class DatasetCatalog {
    /** Splits every dataset has. */
    public static final List<String> SPLITS = List.of("train", "test");

    /**
     * What a dataset entry declares.
     *
     * @param name the key under {@code vlmadapt.datasets}
     * @param description one line for people
     * @param domain the image domain (used by model selection)
     * @param task the classification task (used by model selection)
     * @param classes class names in label order
     * @param templates prompt templates with a {@code {c}} placeholder
     */
    public record DatasetInfo(String name, String description, String domain, String task, List<String> classes,
            List<String> templates) {
    }

    private final Config datasets;
    private final ConceptDatasets concepts;

    /** @param config the job config */
    public DatasetCatalog(JobConfig config) {
        this.datasets = config.section("datasets");
        this.concepts = new ConceptDatasets(config.section("concepts"));
    }

    /**
     * @param name a dataset name
     * @return its source splits: train and test, and val where the dataset draws validation images from
     *     sources of their own (a concept dataset with {@code styles.val})
     */
    public List<String> sourceSplits(String name) {
        Config d = entry(name);
        boolean val = d.getString("reader").equals("concepts") && d.hasPath("styles.val")
                && !d.getStringList("styles.val").isEmpty();
        return val ? List.of("train", "val", "test") : SPLITS;
    }

    /**
     * @param name a dataset name
     * @return per class, captions besides the templates for pretraining (concept datasets with
     *     {@code tag-captions = true}); an empty list for none
     */
    public List<List<String>> extraCaptions(String name) {
        Config d = entry(name);
        return d.getString("reader").equals("concepts") ? concepts.extraCaptions(name, d) : List.of();
    }

    /** @return the concept artwork behind the datasets with {@code reader = "concepts"} */
    public ConceptDatasets concepts() {
        return concepts;
    }

    /** @return the declared dataset names, sorted */
    public List<String> names() {
        return List.copyOf(new TreeSet<>(datasets.root().keySet()));
    }

    /**
     * @param name a dataset name
     * @return its declaration
     * @throws IllegalArgumentException for an unknown name or an incomplete entry
     */
    public DatasetInfo info(String name) {
        Config d = entry(name);
        try {
            List<String> classes = d.getString("reader").equals("concepts") ? concepts.classes(name, d)
                    : d.getStringList("classes");
            return new DatasetInfo(name, d.getString("description"), d.getString("domain"), d.getString("task"),
                    classes, d.getStringList("templates"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("dataset entry vlmadapt.datasets." + name + " is incomplete: "
                    + e.getMessage(), e);
        }
    }

    /**
     * @param name a dataset name
     * @return its classes' declared WordNet synsets ({@code synsets { class = "lemma.n.NN" }}), class → name; empty
     *     when the entry declares none (concept datasets take theirs from the concept table)
     */
    public Map<String, String> synsets(String name) {
        Config d = entry(name);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (d.hasPath("synsets")) {
            Config s = d.getConfig("synsets");
            for (String c : d.getObject("synsets").keySet()) {
                out.put(c, s.getString(com.typesafe.config.ConfigUtil.joinPath(c)));
            }
        }
        return out;
    }

    /**
     * Reads one split.
     *
     * @param name a dataset name
     * @param split {@code train} or {@code test}
     * @return the images and labels
     * @throws IOException if the files are missing or malformed (the message names the file)
     */
    public LabeledImages load(String name, String split) throws IOException {
        return variants(name).apply(read(name, split), split);
    }

    /**
     * @param name a dataset name
     * @return the entry's {@code transform} (mirror, invert, rotate, downscale, noise, seed), or none
     */
    public ImageVariants variants(String name) {
        Config d = entry(name);
        if (!d.hasPath("transform")) {
            return ImageVariants.NONE;
        }
        Config t = d.getConfig("transform");
        try {
            for (String key : t.root().keySet()) {
                if (!List.of("mirror", "invert", "rotate", "downscale", "noise", "seed").contains(key)) {
                    throw new IllegalArgumentException("unknown key '" + key + "'; expected mirror, invert, rotate, "
                            + "downscale, noise or seed");
                }
            }
            return new ImageVariants(t.hasPath("mirror") && t.getBoolean("mirror"),
                    t.hasPath("invert") && t.getBoolean("invert"), t.hasPath("rotate") ? t.getInt("rotate") : 0,
                    t.hasPath("downscale") ? t.getInt("downscale") : 0, t.hasPath("noise") ? t.getDouble("noise") : 0,
                    t.hasPath("seed") ? t.getLong("seed") : 0);
        } catch (ConfigException | IllegalArgumentException e) {
            throw new IllegalArgumentException("vlmadapt.datasets." + name + ".transform: " + e.getMessage(), e);
        }
    }

    private LabeledImages read(String name, String split) throws IOException {
        if (!sourceSplits(name).contains(split)) {
            throw new IllegalArgumentException("dataset " + name + ": split '" + split + "'; expected one of "
                    + sourceSplits(name));
        }
        Config d = entry(name);
        List<String> classNames = info(name).classes();
        int classes = classNames.size();
        String reader = d.getString("reader");
        switch (reader) {
            case "idx": {
                Config s = d.getConfig("splits." + split);
                Path images = existing(Path.of(s.getString("images")), name);
                Path labels = existing(Path.of(s.getString("labels")), name);
                return IdxReader.read(images, labels, classes);
            }
            case "mnist-json": {
                LabeledImages all = MnistJsonReader.read(existing(Path.of(d.getString("path")), name));
                return holdout(all, d.getInt("holdout-every"), split.equals("test"), classes);
            }
            case "uci-digits": {
                LabeledImages all = UciDigitsReader.read(existing(Path.of(d.getString("path")), name));
                return holdout(all, d.getInt("holdout-every"), split.equals("test"), classes);
            }
            case "image-folder": {
                Path root = existing(Path.of(d.getString("splits." + split + ".path")), name);
                return ImageFolderReader.read(root, classNames);
            }
            case "concepts":
                return concepts.read(name, d, split);
            default:
                throw new IllegalArgumentException("vlmadapt.datasets." + name + ".reader = '" + reader
                        + "'; expected idx, mnist-json, uci-digits, image-folder or concepts");
        }
    }

    /** Every k-th image of each class (counting within the class, in file order) is held out for testing. */
    static LabeledImages holdout(LabeledImages all, int every, boolean test, int classes) {
        if (every < 2) {
            throw new IllegalArgumentException("holdout-every must be >= 2, got " + every);
        }
        int[] seen = new int[classes];
        List<RasterImage> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            int label = all.labels()[i];
            boolean heldOut = seen[label]++ % every == every - 1;
            if (heldOut == test) {
                images.add(all.images().get(i));
                labels.add(label);
            }
        }
        return new LabeledImages(images, labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private Config entry(String name) {
        if (!datasets.hasPath(quoted(name))) {
            throw new IllegalArgumentException("unknown dataset '" + name + "'; known datasets: " + names());
        }
        return datasets.getConfig(quoted(name));
    }

    private static String quoted(String name) {
        return "\"" + name + "\"";
    }

    private static Path existing(Path p, String dataset) throws IOException {
        if (!Files.exists(p)) {
            throw new IOException("dataset " + dataset + ": " + p + " does not exist (run `make data` to install "
                    + "the datasets)");
        }
        return p;
    }
}
