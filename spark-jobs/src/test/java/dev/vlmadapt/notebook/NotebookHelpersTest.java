package dev.vlmadapt.notebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;

/** The notebook helpers without Jupyter: charts from known rows, HTML escaping, run lookup, rows to records. */
class NotebookHelpersTest {
    @TempDir
    Path dir;

    @Test
    void lineChartHasOneSeriesPerLineAndAMarkerSpanningTheirRange() {
        XYChart chart = Charts.lines("t", "queries", "loss", List.of(
                new Charts.Line("sharpzo s1", new double[] {0, 100, 200}, new double[] {2.0, 1.5, 1.0}),
                new Charts.Line("bbt s1", new double[] {0, 100, 200}, new double[] {2.5, 2.0, Double.NaN})));
        Charts.verticalMarker(chart, "change point", 100);
        assertEquals(List.of("sharpzo s1", "bbt s1", "change point"), List.copyOf(chart.getSeriesMap().keySet()));
        var marker = chart.getSeriesMap().get("change point");
        assertArrayEquals(new double[] {100, 100}, marker.getXData(), 0.0);
        assertArrayEquals(new double[] {1.0, 2.5}, marker.getYData(), 0.0, "from the lowest to the highest y, NaN skipped");
        assertEquals(Charts.colour("sharpzo s1"), chart.getSeriesMap().get("sharpzo s1").getLineColor(),
                "a series keeps its name's colour");
        BufferedImage image = Charts.image(chart);
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
    }

    @Test
    void barsCarryTheirErrorsAndMissingValuesDrawNoBar() {
        CategoryChart chart = Charts.bars("t", "task", "top-1", List.of("a", "b"), List.of(
                new Charts.Bars("zip", new double[] {50, Double.NaN}, new double[] {1.5, 2.0}),
                new Charts.Bars("bbt", new double[] {60, 70}, null)));
        var zip = chart.getSeriesMap().get("zip");
        assertEquals(List.of(50.0, 0.0), List.copyOf((java.util.Collection<? extends Number>) zip.getYData()));
        assertEquals(List.of(1.5, 0.0), List.copyOf((java.util.Collection<? extends Number>) zip.getExtraValues()));
        assertEquals(2, chart.getSeriesMap().size());
        assertThrows(IllegalArgumentException.class, () -> Charts.bars("t", "x", "y", List.of("a", "b"),
                List.of(new Charts.Bars("short", new double[] {1}, null))));
        assertEquals(Charts.WIDTH, Charts.image(chart).getWidth());
    }

    @Test
    void heatmapPutsTheFirstRowOnTopAndLeavesNaNCellsOut() {
        HeatMapChart chart = Charts.heatmap("t", List.of("d1", "d2"), List.of("m1", "m2"),
                new double[][] {{10, 20}, {30, Double.NaN}}, "0.0");
        var series = chart.getHeatMapSeries();
        assertEquals(List.of("m2", "m1"), series.getYData(), "XChart draws the first y label at the bottom");
        List<Number[]> cells = new java.util.ArrayList<Number[]>(series.getHeatData());
        assertEquals(3, cells.size(), "the NaN cell is not drawn");
        // m1 (row 0) is y index 1, the top row.
        assertTrue(cells.stream().anyMatch(c -> c[0].intValue() == 0 && c[1].intValue() == 1
                && c[2].doubleValue() == 10.0));
        assertEquals(10.0, chart.getStyler().getMin());
        assertEquals(30.0, chart.getStyler().getMax());
        Charts.image(chart);
    }

    @Test
    void meanAndSampleStandardDeviation() {
        assertArrayEquals(new double[] {2, 1}, Charts.meanAndStd(1, 2, 3), 1e-12);
        assertArrayEquals(new double[] {5, 0}, Charts.meanAndStd(5, Double.NaN), 1e-12);
        assertTrue(Double.isNaN(Charts.meanAndStd()[0]));
    }

    @Test
    void htmlTableEscapesTextAndFormatsNumbers() {
        String html = HtmlTable.of("model", "top-1 <%>").decimals(1).caption("a & b")
                .row("<script>x</script>", 0.456)
                .row("m \"q\"", Double.NaN).row("n", 42L).html();
        assertTrue(html.contains("<th style=\"border-bottom:1px solid #999;padding:2px 8px\">top-1 &lt;%&gt;</th>"), html);
        assertTrue(html.contains("&lt;script&gt;x&lt;/script&gt;"), html);
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains(">0.5</td>"), html);
        assertTrue(html.contains("m &quot;q&quot;"), html);
        assertTrue(html.contains(">–</td>"), "NaN as a dash: " + html);
        assertTrue(html.contains(">42</td>"), html);
        assertTrue(html.contains("a &amp; b"), html);
        assertThrows(IllegalArgumentException.class, () -> HtmlTable.of("a", "b").row("only one"));
        assertTrue(HtmlTable.missing("No <run>", "runs/x", "make run").contains("No &lt;run&gt;"));
    }

    @Test
    void outputsPicksTheNewestFinishedRunThatHasTheFile() throws Exception {
        Outputs out = new Outputs(dir.resolve("runs"), dir.resolve("runs/tables"), dir.resolve("models"));
        assertTrue(out.latest("experiment").isEmpty(), "no runs folder yet");
        run("old", 1000, true);
        run("new", 3000, false);
        run("middle", 2000, true);
        Files.createDirectories(dir.resolve("runs/experiment/unfinished"));   // no summary.json: not a run
        assertEquals(List.of("old", "middle", "new"), out.runs("experiment").stream().map(Outputs.Run::id).toList());
        assertEquals("new", out.latest("experiment").orElseThrow().id());
        assertEquals("middle", out.latest("experiment", "results.parquet").orElseThrow().id());
        assertEquals(7, ((Number) out.run("experiment", "old").orElseThrow().summary().get("budget")).intValue());
        assertTrue(out.run("experiment", "unfinished").isEmpty());
    }

    private void run(String id, long modifiedMillis, boolean withResults) throws Exception {
        Path d = Files.createDirectories(dir.resolve("runs/experiment").resolve(id));
        Path summary = Files.writeString(d.resolve("summary.json"), "{\"job\": \"experiment\", \"budget\": 7}");
        Files.setLastModifiedTime(summary, FileTime.fromMillis(modifiedMillis));
        if (withResults) {
            Files.writeString(d.resolve("results.parquet"), "");
        }
    }

    @Test
    void aTableCountsOnlyWhenItHoldsVisibleParquet() throws Exception {
        Outputs out = new Outputs(dir.resolve("runs"), dir.resolve("tables"), dir.resolve("models"));
        assertFalse(out.hasTable("rankings"));
        Files.createDirectories(dir.resolve("tables/rankings/.staging/source=evaluated"));
        Files.writeString(dir.resolve("tables/rankings/.staging/source=evaluated/part-0.parquet"), "");
        assertFalse(out.hasTable("rankings"), "a staging folder is not read");
        Files.createDirectories(dir.resolve("tables/rankings/source=evaluated/origin=evaluate"));
        Files.writeString(dir.resolve("tables/rankings/source=evaluated/origin=evaluate/part-0.parquet"), "");
        assertTrue(out.hasTable("rankings"));
    }

    @Test
    void environmentVariablesNameTheRoots() {
        Outputs out = Outputs.fromVariables(Map.of("VLMADAPT_PROJECT", "/p", "VLMADAPT_RUNS", "r",
                "VLMADAPT_MODELS", "/abs/models"));
        assertEquals(Path.of("/p/r"), out.runs());
        assertEquals(Path.of("/p/r/tables"), out.tables(), "tables default to <runs>/tables");
        assertEquals(Path.of("/abs/models"), out.models());
        assertEquals(Path.of("/t"), Outputs.fromVariables(Map.of("VLMADAPT_TABLES", "/t")).tables());
    }

    /** A record as a notebook declares one. */
    record Point(int step, long queries, double valAcc, String stage) {
    }

    @Test
    void rowsBecomeRecordsByColumnName() {
        StructType schema = new StructType().add("queries", DataTypes.LongType).add("step", DataTypes.IntegerType)
                .add("val_acc", DataTypes.DoubleType, true).add("stage", DataTypes.StringType);
        List<Row> rows = List.of(new GenericRowWithSchema(new Object[] {100L, 1, 0.5, "stage1"}, schema),
                new GenericRowWithSchema(new Object[] {200L, 2, null, "stage2"}, schema));
        List<Point> points = Outputs.records(rows, Point.class);
        assertEquals(new Point(1, 100, 0.5, "stage1"), points.get(0));
        assertTrue(Double.isNaN(points.get(1).valAcc()), "a null double reads as NaN");
        assertEquals("stage2", points.get(1).stage());
        List<Row> without = List.of(new GenericRowWithSchema(new Object[] {1}, new StructType()
                .add("step", DataTypes.IntegerType)));
        var e = assertThrows(IllegalArgumentException.class, () -> Outputs.records(without, Point.class));
        assertTrue(e.getMessage().contains("'queries'") && e.getMessage().contains("[step]"), e.getMessage());
        assertEquals("train_acc", Outputs.snakeCase("trainAcc"));
        assertEquals("top5_recall", Outputs.snakeCase("top5Recall"));
        assertTrue(Outputs.records(List.<Row>of(RowFactory.create()).subList(0, 0), Point.class).isEmpty());
    }
}
