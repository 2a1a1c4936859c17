package dev.vlmadapt.jobs;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Small gzipped IDX datasets and a config that declares them, for job tests. */
final class ToyData {
    private ToyData() {
    }

    /**
     * Writes train/test IDX files of 3 classes (stripes, dot, frame) and returns the HOCON declaring dataset
     * {@code toy}.
     */
    static String write(Path dir, int trainPerClass, int testPerClass) throws IOException {
        Files.createDirectories(dir);
        for (String split : new String[] {"train", "test"}) {
            int n = 3 * (split.equals("train") ? trainPerClass : testPerClass);
            Random rng = new Random(split.hashCode());
            try (DataOutputStream img = idx(dir.resolve(split + "-images.gz"), 0x803, n, 28, 28);
                    DataOutputStream lab = idx(dir.resolve(split + "-labels.gz"), 0x801, n)) {
                for (int i = 0; i < n; i++) {
                    int label = i % 3;
                    for (int y = 0; y < 28; y++) {
                        for (int x = 0; x < 28; x++) {
                            boolean on = switch (label) {
                                case 0 -> y % 6 < 3;
                                case 1 -> (x - 14) * (x - 14) + (y - 14) * (y - 14) < 40;
                                default -> x < 4 || x > 23 || y < 4 || y > 23;
                            };
                            img.writeByte((on ? 210 : 25) + rng.nextInt(30) - 15);
                        }
                    }
                    lab.writeByte(label);
                }
            }
        }
        String p = dir.toAbsolutePath().toString().replace("\\", "/");
        return "vlmadapt.datasets.toy {\n"
                + "  description = \"toy shapes\", domain = \"synthetic shapes\", task = \"name the shape\"\n"
                + "  reader = idx\n"
                + "  splits.train { images = \"" + p + "/train-images.gz\", labels = \"" + p + "/train-labels.gz\" }\n"
                + "  splits.test { images = \"" + p + "/test-images.gz\", labels = \"" + p + "/test-labels.gz\" }\n"
                + "  classes = [stripes, dot, frame]\n"
                + "  templates = [\"a photo of {c}.\", \"a {c}.\"]\n"
                + "}\n";
    }

    /** @return a 28×28 gray PNG of uniform value {@code v} */
    static byte[] png(int v) {
        byte[] px = new byte[28 * 28];
        java.util.Arrays.fill(px, (byte) v);
        return dev.vlmadapt.runtime.image.ImageCodec.encodePng(new dev.vlmadapt.runtime.image.RasterImage(28, 28, 1, px));
    }

    private static DataOutputStream idx(Path file, int magic, int... dims) throws IOException {
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(magic);
        for (int dim : dims) {
            d.writeInt(dim);
        }
        return d;
    }
}
