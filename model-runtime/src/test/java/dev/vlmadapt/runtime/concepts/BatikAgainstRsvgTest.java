package dev.vlmadapt.runtime.concepts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlmadapt.runtime.image.Artwork;
import dev.vlmadapt.runtime.image.ImageCodec;
import dev.vlmadapt.runtime.image.RasterImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batik's rasters of real artwork against an independent renderer, librsvg's {@code rsvg-convert} (Debian's
 * librsvg2-bin, which `make setup` installs): the mean absolute difference must stay within 8/255 per channel
 * (about 5/255 was measured on the OpenMoji set). Antialiasing differs between the two, so not 0.
 */
class BatikAgainstRsvgTest {
    @TempDir
    Path dir;

    @Test
    void batikMatchesRsvgOnOpenMojiAndIconifyArtwork() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/rsvg-convert")),
                "rsvg-convert is missing: run `make setup` (make test does), or apt-get install librsvg2-bin");
        Path modules = ConceptArtwork.modules();
        Map<String, String> svgs = new LinkedHashMap<>();
        for (String code : new String[] {"1F436", "1F34C", "1F697", "1F3B8", "2615"}) {
            svgs.put("openmoji " + code, Files.readString(modules.resolve("openmoji/color/svg/" + code + ".svg"),
                    StandardCharsets.UTF_8));
        }
        for (String set : new String[] {"fluent-emoji-flat", "fluent-emoji-high-contrast", "fxemoji"}) {
            IconifySet icons = IconifySet.read(modules.resolve("@iconify-json/" + set + "/icons.json"));
            String name = set.equals("fxemoji") ? "banana" : "dog-face";
            svgs.put(set + " " + name, icons.svg(name));
        }
        double total = 0;
        for (Map.Entry<String, String> e : svgs.entrySet()) {
            RasterImage batik = Artwork.fromSvg(e.getValue(), 64, 0xFFFFFF, e.getKey());
            RasterImage rsvg = rsvg(e.getValue());
            assertEquals(64, rsvg.width(), e.getKey());
            assertEquals(3, rsvg.channels(), e.getKey());
            double mad = 0;
            for (int i = 0; i < batik.pixels().length; i++) {
                mad += Math.abs((batik.pixels()[i] & 0xFF) - (rsvg.pixels()[i] & 0xFF));
            }
            mad /= batik.pixels().length;
            assertTrue(mad <= 12, e.getKey() + ": mean absolute difference " + mad + "/255 against rsvg-convert");
            total += mad;
        }
        double mean = total / svgs.size();
        assertTrue(mean <= 8, "mean absolute difference " + mean + "/255 against rsvg-convert (limit 8)");
    }

    private RasterImage rsvg(String svg) throws Exception {
        Path in = Files.writeString(dir.resolve("in.svg"), svg, StandardCharsets.UTF_8);
        Path out = dir.resolve("out.png");
        Process p = new ProcessBuilder("rsvg-convert", "-w", "64", "-h", "64", "-b", "white", "-f", "png", "-o",
                out.toString(), in.toString()).redirectErrorStream(true).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "rsvg-convert did not finish");
            assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
        return ImageCodec.decode(Files.readAllBytes(out), out.toString());
    }
}
