package dev.vlmadapt.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.vlmadapt.runtime.text.TokenBatch;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Access to the committed golden files written by {@code tools/goldens/make_goldens.py}. */
public final class Goldens {
    private Goldens() {
    }

    /** @return the golden directory on the test classpath */
    public static Path dir() {
        try {
            return Path.of(Goldens.class.getResource("/golden").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param file a safetensors file
     * @param manager owner of the arrays
     * @return name to array
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Map<String, NDArray> out = new HashMap<>();
            for (NDArray a : NDList.decode(manager, in)) {
                out.put(a.getName(), a);
            }
            return out;
        }
    }

    /**
     * @param ids {@code (B, L)} int64 ids
     * @param eot {@code (B)} int64 EOT positions
     * @return the batch
     */
    public static TokenBatch tokens(NDArray ids, NDArray eot) {
        long[] e = eot.toLongArray();
        int[] ei = new int[e.length];
        for (int i = 0; i < e.length; i++) {
            ei[i] = (int) e[i];
        }
        return new TokenBatch(ids.toLongArray(), ei, (int) ids.getShape().get(1));
    }

    /**
     * Asserts equal shapes and a max absolute difference within {@code tol}, reporting the difference found.
     *
     * @return the max absolute difference
     */
    public static double assertClose(NDArray expected, NDArray actual, double tol, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + ": shape");
        double diff = expected.toType(DataType.FLOAT32, false).sub(actual.toType(DataType.FLOAT32, false))
                .abs().max().getFloat();
        assertTrue(diff <= tol, what + ": max |difference| " + diff + " exceeds " + tol);
        return diff;
    }
}
