package dev.vlmadapt.jobs.concepts;

import com.typesafe.config.Config;
import dev.vlmadapt.jobs.Job;
import dev.vlmadapt.jobs.JobConfig;
import dev.vlmadapt.jobs.RunDirectory;
import dev.vlmadapt.jobs.SparkSessions;
import dev.vlmadapt.jobs.TableStore;
import dev.vlmadapt.runtime.concepts.Concept;
import dev.vlmadapt.runtime.concepts.ConceptSenses;
import dev.vlmadapt.runtime.concepts.StyleArtwork;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The concept table {@code <tables.root>/concepts/catalog=emoji/}: one row per concept with its label, tags,
 * category, subcategory, the styles that draw it and its WordNet meaning (synset, lemmas, gloss and the rule
 * that chose it, or why none was). Model selection builds its semantic graph from it.
 */
public final class ConceptsJob implements Job {
    /** The table's columns. */
    public static final StructType SCHEMA = new StructType()
            .add("code", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, false)
            .add("tags", DataTypes.createArrayType(DataTypes.StringType), false)
            .add("category", DataTypes.StringType, false)
            .add("subcategory", DataTypes.StringType, false)
            .add("styles", DataTypes.createArrayType(DataTypes.StringType), false)
            .add("synset", DataTypes.StringType, true)
            .add("synset_offset", DataTypes.LongType, true)
            .add("lemmas", DataTypes.createArrayType(DataTypes.StringType), false)
            .add("gloss", DataTypes.StringType, false)
            .add("sense_rule", DataTypes.StringType, false);

    @Override
    public String name() {
        return "concepts";
    }

    @Override
    public Map<String, Object> run(JobConfig config) throws Exception {
        ConceptDatasets concepts = new ConceptDatasets(config.section("concepts"));
        ConceptSenses senses = new ConceptSenses(ancestors(config.section("concepts.senses.subcategory-ancestors")),
                ancestors(config.section("concepts.senses.category-ancestors")));
        try (RunDirectory run = RunDirectory.create(config, name())) {
            List<StyleArtwork> styles = new ArrayList<>();
            for (String s : concepts.styles().keySet()) {
                styles.add(concepts.open(s));
            }
            List<Row> rows = new ArrayList<>();
            Map<String, Integer> drawn = new TreeMap<>();
            Map<String, int[]> mapped = new TreeMap<>();
            for (Concept c : concepts.catalog().concepts()) {
                List<String> by = new ArrayList<>();
                for (StyleArtwork s : styles) {
                    if (s.has(c)) {
                        by.add(s.style().name());
                        drawn.merge(s.style().name(), 1, Integer::sum);
                    }
                }
                ConceptSenses.Sense sense = senses.map(c);
                mapped.computeIfAbsent(c.category(), k -> new int[2])[sense.mapped() ? 0 : 1]++;
                rows.add(RowFactory.create(c.code(), c.label(), c.tags().toArray(new String[0]), c.category(),
                        c.subcategory(), by.toArray(new String[0]), sense.synset(),
                        sense.mapped() ? sense.offset() : null, sense.lemmas().toArray(new String[0]), sense.gloss(),
                        sense.rule()));
            }
            SparkSession spark = SparkSessions.getOrCreate(config, name());
            TableStore store = new TableStore(spark, config.string("tables.root"));
            store.publish(spark.createDataFrame(rows, SCHEMA).coalesce(1), TableStore.CONCEPTS, "catalog=emoji",
                    run.runId());
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("concepts", rows.size());
            results.put("concepts_per_style", drawn);
            Map<String, Object> senseCounts = new LinkedHashMap<>();
            int total = 0;
            for (Map.Entry<String, int[]> e : mapped.entrySet()) {
                senseCounts.put(e.getKey(), Map.of("mapped", e.getValue()[0], "unmapped", e.getValue()[1]));
                total += e.getValue()[0];
            }
            results.put("mapped_to_wordnet", total);
            results.put("senses_per_category", senseCounts);
            results.put("table", store.partition(TableStore.CONCEPTS, "catalog=emoji"));
            System.out.printf("%d concepts, %d with a WordNet sense, into %s%n", rows.size(), total,
                    results.get("table"));
            return run.commit(config, results);
        }
    }

    /** {@code name = [synset, ...]} entries of a config section (names may be quoted, e.g. "sky & weather"). */
    private static Map<String, List<String>> ancestors(Config section) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String key : section.root().keySet()) {
            out.put(key, section.getStringList("\"" + key + "\""));
        }
        return out;
    }
}
