package dev.vlmadapt.jobs.select;

import dev.vlmadapt.jobs.DatasetCatalog;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.concepts.WordNet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The WordNet meaning of every class of the sample datasets (the images model labels are computed on): a concept
 * dataset's classes through the concept table (the concepts job's senses), another dataset's through its declared
 * {@code synsets}. A class without one is kept as unmapped (its images then belong to no node), and counted.
 *
 * @param byDataset dataset → class name → synset offset (absent when unmapped)
 * @param unmapped dataset → its classes without a synset
 */
public record SampleClasses(Map<String, Map<String, Long>> byDataset, Map<String, List<String>> unmapped) {
    /**
     * @param datasets the sample datasets
     * @param catalog the catalog
     * @param store the tables (the concept table, for concept datasets)
     * @return their classes' synsets
     */
    public static SampleClasses of(List<String> datasets, DatasetCatalog catalog, TableStore store) {
        Map<String, Long> byLabel = null;
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        Map<String, List<String>> unmapped = new LinkedHashMap<>();
        for (String d : datasets) {
            List<String> classes = catalog.info(d).classes();
            Map<String, String> declared = catalog.synsets(d);
            Map<String, Long> mine = new LinkedHashMap<>();
            List<String> missing = new ArrayList<>();
            if (declared.isEmpty()) {
                if (byLabel == null) {
                    byLabel = conceptSynsets(store);
                }
                for (String c : classes) {
                    if (byLabel.get(c) != null) {
                        mine.put(c, byLabel.get(c));
                    } else {
                        missing.add(c);
                    }
                }
            } else {
                for (String c : classes) {
                    String name = declared.get(c);
                    if (name == null) {
                        missing.add(c);
                        continue;
                    }
                    try {
                        mine.put(c, WordNet.get().byName(name).getOffset());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("vlmadapt.datasets." + d + ".synsets." + c + ": "
                                + e.getMessage(), e);
                    }
                }
            }
            out.put(d, mine);
            unmapped.put(d, missing);
        }
        return new SampleClasses(out, unmapped);
    }

    /** Concept label → synset offset, from the concept table. */
    private static Map<String, Long> conceptSynsets(TableStore store) {
        try {
            if (!store.exists(TableStore.CONCEPTS)) {
                throw new IllegalArgumentException("no concept table at " + store.table(TableStore.CONCEPTS)
                        + "; run `bin/vlmadapt concepts` first (it gives each concept its WordNet sense)");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, Long> out = new HashMap<>();
        for (Row r : store.read(TableStore.CONCEPTS).select("label", "synset_offset").collectAsList()) {
            out.put(r.getString(0), r.isNullAt(1) ? null : r.getLong(1));
        }
        return out;
    }

    /** @return every mapped synset offset */
    public List<Long> offsets() {
        List<Long> out = new ArrayList<>();
        byDataset.values().forEach(m -> out.addAll(m.values()));
        return out;
    }
}
