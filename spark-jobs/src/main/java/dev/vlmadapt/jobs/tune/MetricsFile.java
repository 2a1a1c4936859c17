package dev.vlmadapt.jobs.tune;

import dev.vlmadapt.jobs.DriverParquet;
import dev.vlmadapt.runtime.tune.TuningLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** {@code metrics.parquet} of a tuning run, written on the driver (a few hundred rows). */
final class MetricsFile {
    /**
     * step, stage, queries, loss, train_acc, val_acc, elapsed_s, recomputed (queries or CoOp batches so far),
     * test_acc (of the parameters reported at a {@code tune.test-at} point; NaN elsewhere).
     */
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message metrics {"
            + " required int32 step; required binary stage (UTF8); required int64 queries;"
            + " required double loss; required double train_acc; required double val_acc;"
            + " required double elapsed_s; required int64 recomputed; required double test_acc; }");

    private MetricsFile() {
    }

    static void write(Path file, List<TuningLoop.Metrics> rows) throws IOException {
        DriverParquet.write(file, SCHEMA, rows, (m, g) -> g.append("step", m.step()).append("stage", m.stage())
                .append("queries", m.queries()).append("loss", m.loss()).append("train_acc", m.trainAcc())
                .append("val_acc", m.valAcc()).append("elapsed_s", m.elapsedSeconds())
                .append("recomputed", m.recomputed()).append("test_acc", m.testAcc()));
    }
}
