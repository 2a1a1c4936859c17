package dev.vlmadapt.runtime.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WideCsvTest {
    private static final String HEADER = "name,pretrained,params (M),FLOPs (B),ImageNet 1k,\"Oxford-IIIT Pet\",MNIST\n";

    @TempDir
    Path dir;

    @Test
    void wellFormedRowsBecomeOneRankingPerEvaluatedDataset() throws IOException {
        Path csv = Files.writeString(dir.resolve("t.csv"), HEADER
                + "ViT-B-32,openai,151.28,8.82,0.6332,0.8736,0.4826\n"
                + "RN50,yfcc15m,102.01,18.18,0.3222,,0.0\n");
        WideCsv.Parsed p = WideCsv.read(csv, "2026-12-01T00:00:00Z");
        assertEquals(List.of("ImageNet 1k", "Oxford-IIIT Pet", "MNIST"), p.datasets());
        assertEquals(5, p.rankings().size(), "the empty cell is no result");
        Ranking first = p.rankings().get(0);
        assertEquals("ViT-B-32:openai", first.model());
        assertEquals("ImageNet 1k", first.dataset());
        assertEquals(0.6332, first.top1());
        assertEquals(151.28, first.paramsM());
        assertEquals(8.82, first.gflops());
        assertEquals(Ranking.IMPORTED, first.source());
        assertTrue(Double.isNaN(first.top5()));
        assertEquals(0.0, p.rankings().get(4).top1());
        assertTrue(p.rejected().isEmpty());
    }

    @Test
    void malformedRowsAreRejectedWithTheirLineNumbers() throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"), HEADER
                + "ViT-B-32,openai,151.28,8.82,0.6332,0.8736,0.4826\n"   // line 2
                + "RN50,openai,102,18,63.3,0.8,0.5\n"                    // 3: a percentage, not a fraction
                + "RN101,openai,x,18,0.6,0.8,0.5\n"                      // 4
                + "RN50x4,openai,178,51,0.6,0.8\n"                       // 5: a cell short
                + "ViT-B-32,openai,151.28,8.82,0.6,0.8,0.5\n"            // 6: the same model again
                + ",openai,1,1,0.1,0.1,0.1\n");                          // 7
        WideCsv.Parsed p = WideCsv.read(csv, "t");
        assertEquals(3, p.rankings().size());
        assertEquals(List.of("line 3: ImageNet 1k = 63.3 is out of range [0, 1]",
                "line 4: params (M) = 'x' is not a number",
                "line 5: 6 cells, expected 7",
                "line 6: ViT-B-32:openai is already on line 2",
                "line 7: empty name or pretrained tag"), p.rejected());
    }

    @Test
    void aFileInAnotherLayoutIsRefusedNamingIt() throws IOException {
        Path csv = Files.writeString(dir.resolve("other.csv"), "model,dataset,top1\nx,y,0.5\n");
        IOException e = assertThrows(IOException.class, () -> WideCsv.read(csv, "t"));
        assertTrue(e.getMessage().startsWith(csv + ": header [model, dataset, top1]"), e.getMessage());
    }

    @Test
    void theRealOpenClipTableHas121ModelsOn19Datasets() throws IOException {
        Path real = Path.of("../../shared/data/model-hub/openclip_zeroshot_subset.csv");
        Assumptions.assumeTrue(Files.isRegularFile(real), "../shared is not here");
        WideCsv.Parsed p = WideCsv.read(real, "t");
        assertEquals(19, p.datasets().size());
        assertEquals(121 * 19, p.rankings().size());
        assertTrue(p.rejected().isEmpty(), p.rejected().toString());
        Ranking top = p.rankings().get(0);
        assertEquals("ViT-H-14-378-quickgelu:dfn5b", top.model());
        assertEquals(0.8437, top.top1());
    }
}
