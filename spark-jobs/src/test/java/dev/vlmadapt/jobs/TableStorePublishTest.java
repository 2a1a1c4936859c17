package dev.vlmadapt.jobs;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.fs.LocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition appears in one rename. Hadoop's local file system falls back to copying file by file (readers
 * then see a partial partition) when the destination's parent does not exist, as for the first partition of a
 * new model; the cluster test saw such a copy half done.
 */
class TableStorePublishTest {
    /** The local file system, recording each rename and whether the destination's parent existed. */
    public static final class RecordingFs extends LocalFileSystem {
        static final List<String> RENAMES = new CopyOnWriteArrayList<>();

        @Override
        public boolean rename(org.apache.hadoop.fs.Path src, org.apache.hadoop.fs.Path dst) throws IOException {
            RENAMES.add(src.getName() + " -> " + dst + (exists(dst.getParent()) ? "" : " (parent missing)"));
            return super.rename(src, dst);
        }
    }

    @Test
    void aNewNestedPartitionIsRenamedOntoAnExistingParent(@TempDir Path dir) {
        Map<String, String> conf = Map.of("spark.hadoop.fs.file.impl", RecordingFs.class.getName(),
                "spark.hadoop.fs.file.impl.disable.cache", "true");
        long rows = TestSpark.with(conf, s -> {
            try {
                new TableStore(s, dir.toString()).publish(s.range(5).toDF("id").withColumn("split", lit("train")),
                        TableStore.FEATURES, "model=m/dataset=d/k=1", "r1", "split");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return s.read().parquet(dir.resolve("features").toString()).where("model = 'm'").count();
        });
        assertEquals(5, rows);
        List<String> publish = RecordingFs.RENAMES.stream().filter(r -> r.contains(".staging-r1 -> ")).toList();
        assertEquals(1, publish.size(), RecordingFs.RENAMES.toString());
        assertFalse(publish.get(0).endsWith("(parent missing)"), publish.get(0));
    }

    @Test
    void aTableOfEmptyOrHiddenFoldersDoesNotExist(@TempDir Path dir) throws IOException {
        java.nio.file.Files.createDirectories(dir.resolve("rankings/source=evaluated/origin=gone"));
        java.nio.file.Files.createDirectories(dir.resolve("rankings/.source=x.staging-r1/origin=y"));
        java.nio.file.Files.writeString(dir.resolve("rankings/.source=x.staging-r1/origin=y/part-0.parquet"), "x");
        java.nio.file.Files.writeString(dir.resolve("rankings/_SUCCESS"), "");
        boolean[] seen = TestSpark.with(s -> {
            try {
                TableStore store = new TableStore(s, dir.toString());
                boolean before = store.exists("rankings");
                store.publish(s.range(2).toDF("id"), "rankings", "source=evaluated/origin=o", "r2");
                return new boolean[] {before, store.exists("rankings"), store.exists(TableStore.SPLITS)};
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertFalse(seen[0], "empty partition folders and staged files are no table");
        org.junit.jupiter.api.Assertions.assertTrue(seen[1], "a published partition is");
        assertFalse(seen[2], "a table that was never written is not");
    }
}
