package dev.perptrader.cli;

import dev.perptrader.domain.CostSummary;
import dev.perptrader.domain.PairCost;
import dev.perptrader.domain.Venue;
import dev.perptrader.domain.VenueRatio;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, drawn with JFreeChart to PNG in memory (no window: AWT runs headless).
 * Amounts become doubles here only to be drawn; every figure the report states is computed
 * exactly elsewhere.
 */
final class ReportCharts {
    static final int WIDTH = 960;
    static final int HEIGHT = 420;

    /** Readings per venue the ratio chart draws at most; more are bucketed by time, lowest kept. */
    static final int MAX_RATIO_POINTS = 2000;

    static final Color VOLUME = new Color(0x1F, 0x77, 0xB4);
    static final Color POINTS = new Color(0x2C, 0xA0, 0x2C);
    static final Color COST = new Color(0xD6, 0x27, 0x28);
    static final Color FEES = new Color(0xD6, 0x27, 0x28);
    static final Color FUNDING = new Color(0x2C, 0xA0, 0x2C);
    static final Color PNL = new Color(0x1F, 0x77, 0xB4);
    /** The collateral line of each venue, by its place in {@link Venue}. */
    static final List<Color> VENUE_LINES =
            List.of(new Color(0x94, 0x67, 0xBD), new Color(0xFF, 0x7F, 0x0E), new Color(0x17, 0xBE, 0xCF));

    private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);

    /** A drawn chart: its id in the page, what it shows, how many data points it drew, the PNG. */
    record Chart(String id, String title, String caption, int points, byte[] png) {}

    private ReportCharts() {}

    /** Cumulative volume, points and net cost, one panel each, over the pairs' end times. */
    static Chart cumulative(List<PairCost> ended) {
        XYSeries volume = new XYSeries("volume", true, true);
        XYSeries points = new XYSeries("points", true, true);
        XYSeries cost = new XYSeries("net cost", true, true);
        BigDecimal v = BigDecimal.ZERO;
        BigDecimal p = BigDecimal.ZERO;
        BigDecimal c = BigDecimal.ZERO;
        for (PairCost pc : ended) {
            long at = pc.endedAt().toEpochMilli();
            v = v.add(pc.volume());
            p = p.add(pc.points());
            c = c.add(pc.netCost());
            volume.add(at, v.doubleValue());
            points.add(at, p.doubleValue());
            cost.add(at, c.doubleValue());
        }
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(timeAxis());
        plot.setGap(12);
        plot.add(panel(volume, "volume (USD)", VOLUME), 1);
        plot.add(panel(points, "points", POINTS), 1);
        plot.add(panel(cost, "net cost (USD)", COST), 1);
        JFreeChart chart =
                new JFreeChart("Cumulative volume, points and net cost", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        return new Chart(
                "chart-cumulative",
                "Volume, points and net cost over time",
                "Running totals as pairs end (UTC); net cost = fees + slippage − funding received.",
                ended.size(),
                png(chart, WIDTH, 560));
    }

    /** Fees paid and funding received, side by side for each venue. */
    static Chart feesVersusFunding(CostSummary s) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        Set<Venue> venues = new TreeSet<>();
        venues.addAll(s.feesByVenue().keySet());
        venues.addAll(s.fundingByVenue().keySet());
        for (Venue venue : venues) {
            data.addValue(
                    s.feesByVenue().getOrDefault(venue, BigDecimal.ZERO).doubleValue(),
                    "fees paid",
                    venue.configName());
            data.addValue(
                    s.fundingByVenue().getOrDefault(venue, BigDecimal.ZERO).doubleValue(),
                    "funding received (below 0: paid)",
                    venue.configName());
        }
        JFreeChart chart = ChartFactory.createBarChart("Fees versus funding per venue", "venue", "USD", data);
        style(chart);
        BarRenderer bars = (BarRenderer) chart.getCategoryPlot().getRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, FEES);
        bars.setSeriesPaint(1, FUNDING);
        return new Chart(
                "chart-fees-funding",
                "Fees versus funding per venue",
                "All fees each venue charged the pairs' legs, and the funding they received there.",
                venues.size() * 2,
                png(chart, WIDTH, HEIGHT));
    }

    /** How many pairs ended with each net PnL. */
    static Chart netPnlHistogram(List<PairCost> ended) {
        double[] values =
                ended.stream().mapToDouble(c -> c.netPnl().doubleValue()).toArray();
        double min = Arrays.stream(values).min().orElse(0);
        double max = Arrays.stream(values).max().orElse(0);
        if (max - min < 0.01) {
            // one value (or all equal): a bin a cent either side, so it has a width to draw
            min -= 0.01;
            max += 0.01;
        }
        int bins = Math.max(5, Math.min(30, (int) Math.ceil(Math.sqrt(values.length))));
        HistogramDataset data = new HistogramDataset();
        data.addSeries("pairs", values, bins, min, max);
        JFreeChart chart = ChartFactory.createHistogram("Net PnL per pair", "net PnL (USD)", "pairs", data);
        style(chart);
        chart.removeLegend();
        XYBarRenderer bars = (XYBarRenderer) chart.getXYPlot().getRenderer();
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, PNL);
        return new Chart(
                "chart-net-pnl",
                "Net PnL per pair",
                "Each ended pair's realized PnL − fees + funding, in " + bins + " bins.",
                values.length,
                png(chart, WIDTH, HEIGHT));
    }

    /** Each venue's collateral ratio over time, from {@code ratios}. */
    static Chart collateral(Ratios ratios) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        int points = 0;
        boolean thinned = false;
        for (Map.Entry<Venue, Readings> e : ratios.byVenue.entrySet()) {
            Readings r = e.getValue();
            XYSeries s = new XYSeries(e.getKey().configName(), true, true);
            thinned |= r.n > MAX_RATIO_POINTS;
            r.drawInto(s);
            points += s.getItemCount();
            lines.setSeriesPaint(
                    data.getSeriesCount(), VENUE_LINES.get(e.getKey().ordinal() % VENUE_LINES.size()));
            // a venue drawn over another is dashed, so two venues with the same ratio both show
            lines.setSeriesStroke(
                    data.getSeriesCount(),
                    data.getSeriesCount() == 0
                            ? new BasicStroke(2f)
                            : new BasicStroke(
                                    2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 8f}, 0f));
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createTimeSeriesChart(
                "Collateral ratio per venue", "time (UTC)", "equity / maintenance margin", data);
        style(chart);
        chart.getXYPlot().setRenderer(lines);
        chart.getXYPlot().setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // the dashed ones on top
        chart.getXYPlot().setDomainAxis(timeAxis());
        ((NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(true);
        return new Chart(
                "chart-collateral",
                "Collateral ratio over time per venue",
                "Equity / maintenance margin as the monitor saw it at each tick"
                        + (thinned ? " (the lowest of each of " + MAX_RATIO_POINTS + " equal spans of time)" : "")
                        + ".",
                points,
                png(chart, WIDTH, HEIGHT));
    }

    /** Collateral ratio readings per venue, kept compactly (a year of ticks is 525,600 per venue). */
    static final class Ratios {
        private final Map<Venue, Readings> byVenue = new TreeMap<>();

        void add(VenueRatio r) {
            byVenue.computeIfAbsent(r.venue(), v -> new Readings()).add(r.at().toEpochMilli(), r.ratio());
        }

        boolean isEmpty() {
            return byVenue.isEmpty();
        }
    }

    private static final class Readings {
        private long[] at = new long[64];
        private double[] ratio = new double[64];
        private int n;

        void add(long t, BigDecimal r) {
            if (n == at.length) {
                at = Arrays.copyOf(at, n * 2);
                ratio = Arrays.copyOf(ratio, n * 2);
            }
            at[n] = t;
            ratio[n] = r.doubleValue();
            n++;
        }

        /** Every reading, or when there are too many the lowest of each equal span of time. */
        void drawInto(XYSeries s) {
            if (n <= MAX_RATIO_POINTS) {
                for (int i = 0; i < n; i++) {
                    s.add(at[i], ratio[i]);
                }
                return;
            }
            long first = at[0];
            double span = Math.max(1, at[n - 1] - first) / (double) MAX_RATIO_POINTS;
            int bucket = -1;
            int lowest = -1;
            for (int i = 0; i < n; i++) {
                int b = Math.min(MAX_RATIO_POINTS - 1, (int) ((at[i] - first) / span));
                if (b != bucket) {
                    if (lowest >= 0) {
                        s.add(at[lowest], ratio[lowest]);
                    }
                    bucket = b;
                    lowest = i;
                } else if (ratio[i] < ratio[lowest]) {
                    lowest = i;
                }
            }
            s.add(at[lowest], ratio[lowest]);
        }
    }

    private static XYPlot panel(XYSeries series, String label, Color color) {
        XYStepRenderer renderer = new XYStepRenderer();
        renderer.setSeriesPaint(0, color);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(new XYSeriesCollection(series), null, axis, renderer);
        plain(plot);
        return plot;
    }

    private static DateAxis timeAxis() {
        // the axis picks its tick units (and their format) for the span shown, in UTC
        return new DateAxis("time (UTC)", TimeZone.getTimeZone("UTC"), Locale.ROOT);
    }

    private static void style(JFreeChart chart) {
        plain(chart.getPlot());
        chart.setBackgroundPaint(Color.WHITE);
    }

    private static void plain(Plot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(GRID);
            xy.setRangeGridlinePaint(GRID);
        } else if (plot instanceof CategoryPlot cat) {
            cat.setRangeGridlinePaint(GRID);
        }
    }

    private static byte[] png(JFreeChart chart, int width, int height) {
        chart.setBackgroundPaint(Color.WHITE);
        BufferedImage image = chart.createBufferedImage(width, height);
        try {
            return ChartUtils.encodeAsPNG(image);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a chart as PNG: " + e.getMessage(), e);
        }
    }
}
