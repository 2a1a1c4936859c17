package dev.vlmadapt.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;

/**
 * A small Parquet file written by the driver into a run's local work directory (metrics, results): no Spark
 * job, so it works the same in local mode and on a cluster, where executors cannot write the driver's disk.
 */
public final class DriverParquet {
    private DriverParquet() {
    }

    /**
     * @param file the file to write (without the checksum file Hadoop's local file system would add)
     * @param schema its schema
     * @param rows the rows
     * @param fill copies one row into a Parquet group
     * @param <T> row type
     * @throws IOException if writing fails
     */
    public static <T> void write(Path file, MessageType schema, Iterable<T> rows, BiConsumer<T, Group> fill)
            throws IOException {
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
                .withConf(new Configuration()).withType(schema).build()) {
            for (T row : rows) {
                Group g = groups.newGroup();
                fill.accept(row, g);
                w.write(g);
            }
        }
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    }
}
