package dev.vlmadapt.runtime.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void isTheFirstEightBytesOfSha256OverNulSeparatedParts() throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest("7\u0000img/1\u00003".getBytes(StandardCharsets.UTF_8));
        long expected = java.nio.ByteBuffer.wrap(d, 0, 8).getLong();
        assertEquals(expected, Seeds.derive(7, "img/1", 3));
    }

    @Test
    void separatorsKeepCoordinatesApart() {
        assertNotEquals(Seeds.derive(1, "ab", "c"), Seeds.derive(1, "a", "bc"));
        assertNotEquals(Seeds.derive(1, 2), Seeds.derive(2, 1));
        assertEquals(Seeds.derive(1, 2, 3), Seeds.derive(1, 2, 3));
    }
}
