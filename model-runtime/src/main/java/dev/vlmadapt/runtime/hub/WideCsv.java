package dev.vlmadapt.runtime.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A published zero-shot table in open_clip's wide layout ({@code docs/openclip_results.csv}): one row per model
 * with {@code name}, {@code pretrained}, {@code params (M)}, {@code FLOPs (B)}, then one column per dataset
 * holding top-1 accuracy in [0, 1] (an empty cell: not evaluated). Parsed with Commons CSV; every malformed row
 * is reported with its line number.
 */
public final class WideCsv {
    /** The leading columns, in this order. */
    public static final List<String> MODEL_COLUMNS = List.of("name", "pretrained", "params (M)", "FLOPs (B)");

    /**
     * The result of reading a file.
     *
     * @param rankings one per model and evaluated dataset, in file order
     * @param datasets the dataset columns, in file order
     * @param rejected malformed rows: {@code line N: reason}
     */
    public record Parsed(List<Ranking> rankings, List<String> datasets, List<String> rejected) {
    }

    private WideCsv() {
    }

    /**
     * @param file the CSV file
     * @param evaluatedAt the time to record (the import's), ISO-8601
     * @return the rankings of the well-formed rows and the malformed rows' reasons
     * @throws IOException if the file cannot be read or its header is not this layout
     */
    public static Parsed read(Path file, String evaluatedAt) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        try (CSVParser parser = CSVParser.parse(Files.newBufferedReader(file, StandardCharsets.UTF_8), format)) {
            List<String> header = parser.getHeaderNames();
            if (header.size() <= MODEL_COLUMNS.size() || !header.subList(0, MODEL_COLUMNS.size()).equals(MODEL_COLUMNS)) {
                throw new IOException(file + ": header " + header + " is not open_clip's wide layout; expected "
                        + MODEL_COLUMNS + " followed by one column per dataset");
            }
            List<String> datasets = List.copyOf(header.subList(MODEL_COLUMNS.size(), header.size()));
            List<Ranking> rankings = new ArrayList<>();
            List<String> rejected = new ArrayList<>();
            Map<String, Long> seen = new HashMap<>();
            for (CSVRecord r : parser) {
                long line = r.getParser().getCurrentLineNumber();
                try {
                    if (r.size() != header.size()) {
                        throw new IllegalArgumentException(r.size() + " cells, expected " + header.size());
                    }
                    String name = r.get(0).strip();
                    String tag = r.get(1).strip();
                    if (name.isEmpty() || tag.isEmpty()) {
                        throw new IllegalArgumentException("empty name or pretrained tag");
                    }
                    String model = name + ":" + tag;
                    Long first = seen.putIfAbsent(model, line);
                    if (first != null) {
                        throw new IllegalArgumentException(model + " is already on line " + first);
                    }
                    double params = number(r.get(2), "params (M)", Double.POSITIVE_INFINITY);
                    double flops = number(r.get(3), "FLOPs (B)", Double.POSITIVE_INFINITY);
                    List<Ranking> row = new ArrayList<>();
                    for (int j = 0; j < datasets.size(); j++) {
                        double top1 = number(r.get(MODEL_COLUMNS.size() + j), datasets.get(j), 1);
                        if (!Double.isNaN(top1)) {
                            row.add(new Ranking(model, datasets.get(j), "test", top1, Double.NaN, Double.NaN, -1,
                                    null, params, flops, Double.NaN, Ranking.IMPORTED, evaluatedAt));
                        }
                    }
                    rankings.addAll(row);
                } catch (IllegalArgumentException e) {
                    rejected.add("line " + line + ": " + e.getMessage());
                }
            }
            return new Parsed(List.copyOf(rankings), datasets, List.copyOf(rejected));
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            // Commons CSV reports unbalanced quotes this way.
            throw new IOException(file + ": not valid CSV: " + e.getMessage(), e);
        }
    }

    /** A cell as a number in [0, max], or NaN when empty. */
    private static double number(String cell, String column, double max) {
        String s = cell.strip();
        if (s.isEmpty()) {
            return Double.NaN;
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " = '" + s + "' is not a number");
        }
        if (!(v >= 0 && v <= max)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s = %s is out of range [0, %s]", column,
                    s, max == 1 ? "1" : "∞"));
        }
        return v;
    }
}
