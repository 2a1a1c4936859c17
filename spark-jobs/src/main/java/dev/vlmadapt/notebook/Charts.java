package dev.vlmadapt.notebook;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The notebooks' plots, built with XChart in one style at one size: line charts (with vertical markers), grouped
 * bars with error bars, and heatmaps. Each builder returns the chart, so a notebook can adjust it, and
 * {@link #image} turns any of them into the image the kernel's {@code display} shows.
 */
public final class Charts {
    /** Width of every chart, in pixels. */
    public static final int WIDTH = 900;
    /** Height of every chart, in pixels. */
    public static final int HEIGHT = 480;

    /** Colours given to series names in order of first use, so a method keeps its colour across charts. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf), new Color(0x393b79), new Color(0xad494a)};
    private static final java.util.Map<String, Color> COLOURS = new java.util.LinkedHashMap<>();

    private Charts() {
    }

    /**
     * @param name a series name, e.g. a method
     * @return its colour: the same for the same name in every chart of this JVM (the palette repeats after twelve)
     */
    public static synchronized Color colour(String name) {
        return COLOURS.computeIfAbsent(name, n -> PALETTE[COLOURS.size() % PALETTE.length]);
    }

    /**
     * A line of an XY chart.
     *
     * @param name the legend's label
     * @param x the x values
     * @param y the y values, as many as x
     */
    public record Line(String name, double[] x, double[] y) {
        /**
         * @throws IllegalArgumentException if x and y differ in length
         */
        public Line {
            if (x.length != y.length) {
                throw new IllegalArgumentException("line '" + name + "' has " + x.length + " x values and "
                        + y.length + " y values");
            }
        }

        /**
         * @param name the legend's label
         * @param x the x values
         * @param y the y values
         * @return the line
         */
        public static Line of(String name, List<? extends Number> x, List<? extends Number> y) {
            return new Line(name, x.stream().mapToDouble(Number::doubleValue).toArray(),
                    y.stream().mapToDouble(Number::doubleValue).toArray());
        }
    }

    /**
     * One group member of a bar chart: a value per category, with an optional error bar each.
     *
     * @param name the legend's label
     * @param values a value per category (NaN: no bar)
     * @param errors the error bar's half-length per category, or null for none
     */
    public record Bars(String name, double[] values, double[] errors) {
    }

    /**
     * @param title the chart's title
     * @param xTitle the x axis's label
     * @param yTitle the y axis's label
     * @param lines the lines, in legend order
     * @return a line chart (no markers on the points, legend outside on the right)
     */
    public static XYChart lines(String title, String xTitle, String yTitle, List<Line> lines) {
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        style(chart.getStyler());
        chart.getStyler().setMarkerSize(4);
        for (Line l : lines) {
            XYSeries s = chart.addSeries(l.name(), l.x(), l.y());
            // Points are drawn only where there are few of them (a budget curve), not on long training curves.
            s.setMarker(l.x().length <= 12 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            s.setLineColor(colour(l.name()));
            s.setMarkerColor(colour(l.name()));
        }
        return chart;
    }

    /**
     * Adds a dashed vertical line at x across the y range of the chart's lines, e.g. where a method changed
     * stage.
     *
     * @param chart a chart with at least one line
     * @param name the marker's legend label
     * @param x where to draw it
     * @return the marker's series
     */
    public static XYSeries verticalMarker(XYChart chart, String name, double x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (XYSeries s : chart.getSeriesMap().values()) {
            for (double y : s.getYData()) {
                if (!Double.isNaN(y)) {
                    lo = Math.min(lo, y);
                    hi = Math.max(hi, y);
                }
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        XYSeries marker = chart.addSeries(name, new double[] {x, x}, new double[] {lo, hi});
        marker.setMarker(SeriesMarkers.NONE);
        marker.setLineColor(Color.DARK_GRAY);
        marker.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        return marker;
    }

    /**
     * @param title the chart's title
     * @param xTitle the category axis's label
     * @param yTitle the value axis's label
     * @param categories the groups along the x axis
     * @param bars one series per group member (e.g. a method), each with a value per category
     * @return a grouped bar chart, with error bars where given
     * @throws IllegalArgumentException if a series has not one value per category
     */
    public static CategoryChart bars(String title, String xTitle, String yTitle, List<String> categories,
            List<Bars> bars) {
        CategoryChart chart = new CategoryChart(WIDTH, HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        style(chart.getStyler());
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setXAxisLabelRotation(categories.size() > 6 ? 45 : 0);
        chart.getStyler().setErrorBarsColor(Color.BLACK);
        for (Bars b : bars) {
            if (b.values().length != categories.size()
                    || b.errors() != null && b.errors().length != categories.size()) {
                throw new IllegalArgumentException("bars '" + b.name() + "' need one value (and error) for each of "
                        + categories.size() + " categories, got " + b.values().length);
            }
            // XChart cannot draw NaN bars; a missing value is drawn as no bar (0) and left out of the errors.
            List<Double> values = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (int i = 0; i < categories.size(); i++) {
                double v = b.values()[i];
                values.add(Double.isNaN(v) ? 0.0 : v);
                double e = b.errors() == null ? 0.0 : b.errors()[i];
                errors.add(Double.isNaN(v) || Double.isNaN(e) ? 0.0 : e);
            }
            CategorySeries s = b.errors() == null ? chart.addSeries(b.name(), categories, values)
                    : chart.addSeries(b.name(), categories, values, errors);
            s.setMarker(SeriesMarkers.NONE);
            s.setFillColor(colour(b.name()));
        }
        return chart;
    }

    /**
     * @param title the chart's title
     * @param columns the x labels (e.g. datasets)
     * @param rows the y labels (e.g. models), drawn top to bottom in this order
     * @param values values[row][column]; NaN cells are left empty
     * @param decimalPattern how the value in each cell is written, e.g. {@code "0.0"}; null writes none
     * @return a heatmap, light (low) to dark (high), with its colour scale
     */
    public static HeatMapChart heatmap(String title, List<String> columns, List<String> rows, double[][] values,
            String decimalPattern) {
        // The theme's constructor: HeatMapChart(width, height) alone leaves the styler half set up (no title, axes
        // or colour scale are drawn).
        HeatMapChart chart = new HeatMapChart(Math.max(WIDTH, 420 + 48 * columns.size()),
                Math.max(HEIGHT, 160 + 26 * rows.size()), Styler.ChartTheme.XChart);
        chart.setTitle(title);
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setRangeColors(new Color[] {new Color(0xf7fbff), new Color(0x9ecae1), new Color(0x3182bd)});
        chart.getStyler().setXAxisLabelRotation(columns.size() > 6 ? 45 : 0);
        if (decimalPattern != null) {
            chart.getStyler().setShowValue(true);
            chart.getStyler().setHeatMapValueDecimalPattern(decimalPattern);
            chart.getStyler().setValueFontColor(Color.BLACK);
            chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        }
        // XChart draws the first y label at the bottom: reverse, so rows read top to bottom as given.
        List<String> ys = new ArrayList<>(rows);
        java.util.Collections.reverse(ys);
        List<Number[]> cells = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < rows.size(); r++) {
            if (values[r].length != columns.size()) {
                throw new IllegalArgumentException("heatmap row '" + rows.get(r) + "' has " + values[r].length
                        + " values for " + columns.size() + " columns");
            }
            for (int c = 0; c < columns.size(); c++) {
                double v = values[r][c];
                if (!Double.isNaN(v)) {
                    cells.add(new Number[] {c, rows.size() - 1 - r, v});
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo <= hi) {
            // Whole numbers at the ends of the colour scale: its labels print the bounds as they are.
            chart.getStyler().setMin(Math.floor(lo));
            chart.getStyler().setMax(Math.ceil(hi) > Math.floor(lo) ? Math.ceil(hi) : Math.floor(lo) + 1);
        }
        chart.addSeries(title, columns, ys, cells);
        return chart;
    }

    /**
     * @param chart any chart of these helpers
     * @return it drawn as an image (what {@code display(...)} shows as a PNG)
     */
    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * @param values numbers
     * @return their mean and sample standard deviation (0 for one value), NaN for none
     */
    public static double[] meanAndStd(double... values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).toArray();
        if (v.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double ss = Arrays.stream(v).map(d -> (d - mean) * (d - mean)).sum();
        return new double[] {mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0.0};
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        if (s instanceof AxesChartStyler a) {
            a.setLocale(Locale.ROOT);
        }
        s.setAntiAlias(true);
        if (s instanceof AxesChartStyler a) {
            a.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            a.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            a.setPlotGridLinesColor(new Color(0xe0e0e0));
            a.setPlotBorderVisible(false);
        }
    }
}
