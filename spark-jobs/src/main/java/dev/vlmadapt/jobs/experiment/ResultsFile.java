package dev.vlmadapt.jobs.experiment;

import dev.vlmadapt.jobs.DriverParquet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.Row;

/** {@code results.parquet} of an experiment, written on the driver (one row per run). */
final class ResultsFile {
    /** task, method, seed, queries, zero_shot_acc, val_acc, test_acc, tuning_seconds, run (the tune run id). */
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message results {"
            + " required binary task (UTF8); required binary method (UTF8); required int32 seed;"
            + " required int64 queries; required double zero_shot_acc; required double val_acc;"
            + " required double test_acc; required double tuning_seconds; required binary run (UTF8); }");

    private ResultsFile() {
    }

    static void write(Path file, List<Row> rows) throws IOException {
        DriverParquet.write(file, SCHEMA, rows, (r, g) -> g.append("task", r.getString(0))
                .append("method", r.getString(1)).append("seed", r.getInt(2)).append("queries", r.getLong(3))
                .append("zero_shot_acc", r.getDouble(4)).append("val_acc", r.getDouble(5))
                .append("test_acc", r.getDouble(6)).append("tuning_seconds", r.getDouble(7))
                .append("run", r.getString(8)));
    }
}
