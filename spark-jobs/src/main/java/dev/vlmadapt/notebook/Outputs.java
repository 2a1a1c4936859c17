package dev.vlmadapt.notebook;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where a notebook finds the jobs' outputs: runs under {@code <runs>/<job>/<run-id>/}, tables under
 * {@code <tables>/<table>/}, models under {@code <models>/}. The roots come from the environment variables the
 * notebook runner sets ({@code VLMADAPT_RUNS}, {@code VLMADAPT_TABLES}, {@code VLMADAPT_MODELS}), so the same
 * notebook reads this checkout's outputs or a test's.
 *
 * @param runs the runs root ({@code output.root})
 * @param tables the tables root ({@code tables.root})
 * @param models the models folder
 */
public record Outputs(Path runs, Path tables, Path models) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @return the roots named by {@code VLMADAPT_RUNS}, {@code VLMADAPT_TABLES}, {@code VLMADAPT_MODELS}; unset
     *     ones default to {@code runs}, {@code <runs>/tables} and {@code models} under {@code VLMADAPT_PROJECT}
     *     (else the working directory)
     */
    public static Outputs fromEnvironment() {
        return fromVariables(System.getenv());
    }

    /**
     * @param env environment variables
     * @return the roots those variables name, as {@link #fromEnvironment()} reads them
     */
    public static Outputs fromVariables(Map<String, String> env) {
        Path project = Path.of(env.getOrDefault("VLMADAPT_PROJECT", "")).toAbsolutePath();
        Path runs = project.resolve(env.getOrDefault("VLMADAPT_RUNS", "runs"));
        Path tables = env.containsKey("VLMADAPT_TABLES") ? project.resolve(env.get("VLMADAPT_TABLES"))
                : runs.resolve("tables");
        return new Outputs(runs, tables, project.resolve(env.getOrDefault("VLMADAPT_MODELS", "models")));
    }

    /**
     * One finished run of a job: a folder holding {@code summary.json} (a run is complete exactly when its
     * summary exists).
     *
     * @param job the job
     * @param id the run id
     * @param dir its folder
     */
    public record Run(String job, String id, Path dir) {
        /**
         * @return {@code summary.json} as a map (numbers as Integer, Long or Double, lists as List)
         */
        public Map<String, Object> summary() {
            return json(dir.resolve("summary.json"));
        }

        /**
         * @param name a file or folder of the run, e.g. {@code results.parquet}
         * @return whether the run has it
         */
        public boolean has(String name) {
            return Files.exists(dir.resolve(name));
        }

        /**
         * @param name a file or folder of the run
         * @return its path (it may not exist)
         */
        public Path file(String name) {
            return dir.resolve(name);
        }

        /**
         * @param spark the session
         * @param name a Parquet file of the run, e.g. {@code metrics.parquet}
         * @return its rows
         */
        public Dataset<Row> parquet(SparkSession spark, String name) {
            return read(spark, file(name));
        }
    }

    /**
     * @param job a job name, e.g. {@code experiment}
     * @return its finished runs, oldest first (by the time their summary was written, then by id)
     */
    public List<Run> runs(String job) {
        Path dir = runs.resolve(job);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(
                    p.resolve("summary.json")))
                    .sorted(Comparator.comparing((Path p) -> modified(p.resolve("summary.json")))
                            .thenComparing(p -> p.getFileName().toString()))
                    .map(p -> new Run(job, p.getFileName().toString(), p)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the runs in " + dir, e);
        }
    }

    /**
     * @param job a job name
     * @param needed files the run must have (e.g. {@code results.parquet}); none = any finished run
     * @return the newest finished run of the job that has them, if any
     */
    public Optional<Run> latest(String job, String... needed) {
        List<Run> all = runs(job);
        for (int i = all.size() - 1; i >= 0; i--) {
            Run r = all.get(i);
            if (Arrays.stream(needed).allMatch(r::has)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * The run a notebook should show: the one an environment variable names, else the newest that has the files.
     *
     * @param job a job name
     * @param variable an environment variable that may name a run id (e.g. {@code VLMADAPT_EXPERIMENT_RUN})
     * @param needed files the run must have
     * @return that run, if it exists and is finished
     */
    public Optional<Run> chosen(String job, String variable, String... needed) {
        String id = System.getenv(variable);
        if (id == null || id.isBlank()) {
            return latest(job, needed);
        }
        return run(job, id.trim());
    }

    /**
     * @param job a job name
     * @param id a run id
     * @return that run, if it is finished
     */
    public Optional<Run> run(String job, String id) {
        Path dir = runs.resolve(job).resolve(id);
        return Files.isRegularFile(dir.resolve("summary.json")) ? Optional.of(new Run(job, id, dir))
                : Optional.empty();
    }

    /**
     * @param name a table under the tables root, e.g. {@code rankings}
     * @return its folder (it may not exist)
     */
    public Path table(String name) {
        return tables.resolve(name);
    }

    /**
     * @param name a table under the tables root
     * @return whether it holds at least one Parquet file (staging folders, whose names start with '.' or '_',
     *     do not count, as Spark does not read them)
     */
    public boolean hasTable(String name) {
        Path dir = table(name);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(p -> isVisibleParquet(dir, p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static boolean isVisibleParquet(Path root, Path p) {
        if (!p.getFileName().toString().endsWith(".parquet")) {
            return false;
        }
        for (Path part : root.relativize(p)) {
            String s = part.toString();
            if (s.startsWith(".") || s.startsWith("_")) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param spark the session
     * @param path a Parquet file or folder (partition columns are read from Hive-style folder names)
     * @return its rows
     */
    public static Dataset<Row> read(SparkSession spark, Path path) {
        return spark.read().parquet(path.toString());
    }

    /**
     * @param file a JSON object file (a summary, a model card)
     * @return it as a map
     */
    public static Map<String, Object> json(Path file) {
        try {
            return JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * @param object a JSON object read by {@link #json}
     * @param key a key holding a number
     * @return that number as a double, NaN if the key is missing or null
     */
    public static double number(Map<String, Object> object, String key) {
        return object.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /**
     * Reads rows into records, column by component: {@code trainAcc} reads column {@code train_acc} (or
     * {@code trainAcc}). Numbers convert to the component's numeric type; a null reads as NaN for a double and
     * as null otherwise.
     *
     * @param rows the rows
     * @param type a record type whose components name columns of the rows
     * @param <R> the record type
     * @return one record per row, in the rows' order
     * @throws IllegalArgumentException naming the component and the columns there are, if a column is missing
     */
    public static <R extends Record> List<R> records(Dataset<Row> rows, Class<R> type) {
        return records(rows.collectAsList(), type);
    }

    /**
     * @param rows collected rows
     * @param type a record type whose components name columns of the rows
     * @param <R> the record type
     * @return one record per row, as {@link #records(Dataset, Class)}
     */
    public static <R extends Record> List<R> records(List<Row> rows, Class<R> type) {
        RecordComponent[] components = type.getRecordComponents();
        List<R> out = new ArrayList<>(rows.size());
        if (rows.isEmpty()) {
            return out;
        }
        List<String> columns = Arrays.asList(rows.get(0).schema().fieldNames());
        int[] index = new int[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            String snake = snakeCase(name);
            index[i] = columns.contains(snake) ? columns.indexOf(snake) : columns.indexOf(name);
            if (index[i] < 0) {
                throw new IllegalArgumentException(type.getSimpleName() + "." + name + " needs a column '" + snake
                        + "', and the rows have " + columns);
            }
            types[i] = components[i].getType();
        }
        try {
            Constructor<R> make = type.getDeclaredConstructor(types);
            make.setAccessible(true);
            for (Row row : rows) {
                Object[] args = new Object[components.length];
                for (int i = 0; i < components.length; i++) {
                    args[i] = convert(row.isNullAt(index[i]) ? null : row.get(index[i]), types[i]);
                }
                out.add(make.newInstance(args));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot build " + type.getName() + " from rows", e);
        }
        return out;
    }

    /**
     * @param camel a Java name, e.g. {@code trainAcc}
     * @return the column name, e.g. {@code train_acc}
     */
    static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Object convert(Object v, Class<?> to) {
        if (v == null) {
            return to == double.class ? Double.NaN : to == float.class ? Float.NaN : to.isPrimitive()
                    ? defaultOf(to) : null;
        }
        if (v instanceof Number n) {
            if (to == double.class || to == Double.class) {
                return n.doubleValue();
            } else if (to == float.class || to == Float.class) {
                return n.floatValue();
            } else if (to == long.class || to == Long.class) {
                return n.longValue();
            } else if (to == int.class || to == Integer.class) {
                return n.intValue();
            }
        }
        if (to == String.class) {
            return v.toString();
        }
        if (to == List.class && v instanceof scala.collection.Seq<?> seq) {
            return scala.jdk.javaapi.CollectionConverters.asJava(seq);
        }
        return v;
    }

    private static Object defaultOf(Class<?> primitive) {
        if (primitive == boolean.class) {
            return false;
        }
        return primitive == long.class ? 0L : primitive == int.class ? 0 : (Object) (short) 0;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
