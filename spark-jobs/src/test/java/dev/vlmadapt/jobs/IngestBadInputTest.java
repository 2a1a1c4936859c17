package dev.vlmadapt.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlmadapt.jobs.cli.Main;
import dev.vlmadapt.runtime.image.ImageCodec;
import dev.vlmadapt.runtime.image.RasterImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad dataset files stop `ingest` with a message naming the file and leave nothing at the output paths. */
class IngestBadInputTest {

    @Test
    void truncatedIdxFile(@TempDir Path dir) throws IOException {
        String conf = ToyData.write(dir.resolve("toy"), 4, 2);
        Path images = dir.resolve("toy/train-images.gz");
        byte[] all = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(all, all.length / 2));
        assertFailsNaming(dir, conf, "toy", images.toString());
    }

    @Test
    void labelOutsideTheClassList(@TempDir Path dir) throws IOException {
        // The files have labels 0..2; the entry declares two classes.
        String conf = ToyData.write(dir.resolve("toy"), 4, 2).replace("classes = [stripes, dot, frame]",
                "classes = [stripes, dot]");
        String err = assertFailsNaming(dir, conf, "toy", dir.resolve("toy/train-labels.gz").toString());
        assertTrue(err.contains("2"), err);
    }

    @Test
    void emptyClassFolder(@TempDir Path dir) throws IOException {
        Path root = folderDataset(dir);
        Files.walk(root.resolve("train/dot")).filter(Files::isRegularFile).forEach(p -> p.toFile().delete());
        String err = assertFailsNaming(dir, folderConf(root), "shapes", root.resolve("train").toString());
        assertTrue(err.contains("class folder \"dot\" has no images"), err);
    }

    @Test
    void corruptImage(@TempDir Path dir) throws IOException {
        Path root = folderDataset(dir);
        Path bad = root.resolve("test/stripes/broken.png");
        Files.write(bad, "not a png".getBytes(StandardCharsets.US_ASCII));
        assertFailsNaming(dir, folderConf(root), "shapes", bad.toString());
    }

    /** Runs ingest, expects failure, checks the message and that no table, staging or run directory is left. */
    private static String assertFailsNaming(Path dir, String conf, String dataset, String expected)
            throws IOException {
        Path confFile = dir.resolve("data.conf");
        Files.writeString(confFile, conf);
        Path out = dir.resolve("runs");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = Main.execute("ingest", "--conf", confFile.toString(), "--dataset", dataset,
                    "output.root=" + out, "run-id=bad");
        } finally {
            System.setErr(old);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, message);
        assertTrue(message.contains(expected), "message names " + expected + ": " + message);
        if (Files.exists(out)) {
            try (Stream<Path> s = Files.walk(out)) {
                assertFalse(s.anyMatch(Files::isRegularFile), "no files left after a failed ingest");
            }
        }
        return message;
    }

    private static Path folderDataset(Path dir) throws IOException {
        Path root = dir.resolve("shapes");
        for (String split : new String[] {"train", "test"}) {
            for (String cls : new String[] {"stripes", "dot"}) {
                Path d = Files.createDirectories(root.resolve(split).resolve(cls));
                for (int i = 0; i < 2; i++) {
                    byte[] px = new byte[8 * 8];
                    Arrays.fill(px, (byte) (cls.equals("dot") ? 40 * i : 200 - 40 * i));
                    Files.write(d.resolve("img" + i + ".png"), ImageCodec.encodePng(new RasterImage(8, 8, 1, px)));
                }
            }
        }
        return root;
    }

    private static String folderConf(Path root) {
        String p = root.toAbsolutePath().toString().replace("\\", "/");
        return "vlmadapt.datasets.shapes {\n"
                + "  description = \"shapes\", domain = \"synthetic\", task = \"shape\"\n"
                + "  reader = image-folder\n"
                + "  splits.train.path = \"" + p + "/train\"\n"
                + "  splits.test.path = \"" + p + "/test\"\n"
                + "  classes = [stripes, dot]\n"
                + "  templates = [\"a {c}.\"]\n"
                + "}\n";
    }
}
