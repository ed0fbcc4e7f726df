package dev.perptrader.cli;

import dev.perptrader.domain.CollateralStats;
import dev.perptrader.domain.CostSummary;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.PairCost;
import dev.perptrader.domain.Venue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report as one HTML page that needs nothing else: styles inline, charts as PNG data URIs, no
 * script and no link out. The table of figures gives each row a stable {@code data-key} (the
 * names {@code simulate --json} uses, where it has one) and the exact figure in {@code
 * data-value} (empty when there is none), so a script can read the page as well as a person.
 */
final class ReportHtml {
    private static final String STYLE = """
            body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 2em; }
            table { border-collapse: collapse; } th, td { padding: 0.25em 0.8em; border-bottom: 1px solid #ddd; }
            th { text-align: left; font-weight: normal; color: #555; } td { text-align: right; font-variant-numeric: tabular-nums; }
            td.note { text-align: left; color: #555; }
            figure { margin: 1em 0; } img { max-width: 100%; border: 1px solid #eee; }
            figcaption, .source, .coverage, dl { color: #555; font-size: 0.9em; }
            .empty { font-size: 1.1em; padding: 1em; background: #f6f6f6; }
            """;

    /** One row of the figures table. */
    record Row(String key, String label, String shown, String exact, String note) {}

    private ReportHtml() {}

    /**
     * The page. {@code source} says which database (and mode) it reads; {@code active} is how many
     * pairs had not ended (not counted).
     */
    static String page(
            String source,
            Instant generatedAt,
            CostSummary s,
            CollateralStats collateral,
            int active,
            List<ReportCharts.Chart> charts) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>perp-trader report</title>\n<style>\n")
                .append(STYLE)
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>What does a point cost?</h1>\n");
        h.append("<p class=\"source\">")
                .append(esc(source))
                .append("; written ")
                .append(esc(Stores.time(generatedAt)))
                .append(" UTC by perp-trader report</p>\n");
        if (s.pairs() == 0) {
            h.append("<p class=\"empty\" id=\"empty\">No pair has ended in this database yet: there is no cost to"
                            + " report.")
                    .append(active > 0 ? " " + active + " pair(s) still open are counted once they end." : "")
                    .append("</p>\n");
        } else {
            h.append("<p class=\"coverage\" id=\"coverage\">")
                    .append(esc(coverage(s, active)))
                    .append("</p>\n");
            h.append("<h2>Figures</h2>\n<table id=\"figures\">\n");
            for (Row r : rows(s, collateral)) {
                h.append("<tr data-key=\"")
                        .append(esc(r.key()))
                        .append("\" data-value=\"")
                        .append(esc(r.exact()))
                        .append("\"><th>")
                        .append(esc(r.label()))
                        .append("</th><td>")
                        .append(esc(r.shown()))
                        .append("</td><td class=\"note\">")
                        .append(esc(r.note()))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
            h.append("""
                    <dl>
                    <dt>net cost</dt><dd>fees + slippage − funding received. The legs' price PnL (near zero for a \
                    hedge) is not a cost and is shown apart: net PnL = price PnL − net cost.</dd>
                    <dt>cost per $1M</dt><dd>net cost / volume × 1,000,000.</dd>
                    <dt>cost per point</dt><dd>net cost / points; none when no points were earned.</dd>
                    <dt>slippage</dt><dd>each fill against its own leg's mark from the monitor row nearest the \
                    order; both legs use the same row, so a price move common to both venues cancels.</dd>
                    </dl>
                    """);
        }
        for (ReportCharts.Chart c : charts) {
            h.append("<h2>").append(esc(c.title())).append("</h2>\n");
            h.append("<figure id=\"")
                    .append(esc(c.id()))
                    .append("\" data-points=\"")
                    .append(c.points())
                    .append("\"><img alt=\"")
                    .append(esc(c.title()))
                    .append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(c.png()))
                    .append("\"><figcaption>")
                    .append(esc(c.caption()))
                    .append("</figcaption></figure>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    /** The rows of the figures table, in order. */
    static List<Row> rows(CostSummary s, CollateralStats collateral) {
        List<Row> rows = new ArrayList<>();
        rows.add(count(
                "pairs",
                "pairs ended",
                s.pairs(),
                s.closed() + " closed, " + s.rollbacks() + " rolled back, " + s.failed() + " failed"));
        rows.add(count("closed_pairs", "closed pairs", s.closed(), "the pairs history lists"));
        rows.add(count("rollbacks", "rollbacks", s.rollbacks(), "opens where one leg failed and the other was undone"));
        rows.add(count("liquidations", "liquidations", s.liquidations(), "pairs ended by a venue liquidating a leg"));
        rows.add(usd("volume_usd", "volume (USD)", s.volume(), "every fill of both legs"));
        rows.add(new Row("points", "points", two(s.points()), Money.plain(s.points()), "estimated"));
        rows.add(usd("fees_usd", "fees (USD)", s.fees(), "paid"));
        venues(rows, "fees_usd_", "fees on ", s.feesByVenue());
        rows.add(usd(
                "slippage_usd",
                "slippage (USD)",
                s.slippage(),
                "paid over the marks; measured on " + s.fillsMeasured() + " of " + s.fills() + " fills"));
        rows.add(usd("funding_usd", "funding (USD)", s.funding(), "received (below 0: paid)"));
        venues(rows, "funding_usd_", "funding on ", s.fundingByVenue());
        rows.add(usd("net_cost_usd", "net cost (USD)", s.netCost(), "fees + slippage − funding"));
        rows.add(optional(
                "cost_per_1m_usd",
                "cost per $1M volume (USD)",
                s.costPer1m(),
                2,
                "no volume",
                "net cost / volume × 1,000,000"));
        rows.add(optional(
                "cost_per_point_usd", "cost per point (USD)", s.costPerPoint(), 4, "no points", "net cost / points"));
        rows.add(usd("realized_pnl_usd", "realized PnL (USD)", s.realizedPnl(), "both legs, at their fill prices"));
        rows.add(usd("price_pnl_usd", "price PnL (USD)", s.pricePnl(), "both legs, at the marks: realized + slippage"));
        rows.add(usd("net_pnl_usd", "net PnL (USD)", s.netPnl(), "price PnL − net cost = realized − fees + funding"));
        Optional<PairCost> worst = s.worst();
        rows.add(new Row(
                "worst_pair_net_pnl_usd",
                "worst pair, net PnL (USD)",
                worst.map(w -> Money.usd(w.netPnl()).toPlainString()).orElse("none"),
                worst.map(w -> Money.plain(w.netPnl())).orElse(""),
                worst.map(w -> "pair " + w.pairId() + ", " + w.asset() + ", " + w.status() + " "
                                + Stores.time(w.endedAt()) + (w.endReason() == null ? "" : " (" + w.endReason() + ")"))
                        .orElse("")));
        rows.add(usd(
                "max_drawdown_usd",
                "max drawdown (USD)",
                s.maxDrawdown(),
                "largest fall of cumulative net PnL, pairs in the order they ended"));
        Optional<CollateralStats.RatioStats> all = collateral.overall();
        String perVenue = perVenue(collateral);
        rows.add(optional(
                "collateral_ratio_avg",
                "collateral ratio, average",
                all.map(CollateralStats.RatioStats::average),
                2,
                "no readings",
                all.isPresent() ? all.get().readings() + " venue readings; " + perVenue : "no readings"));
        rows.add(optional(
                "collateral_ratio_max",
                "collateral ratio, highest",
                all.map(CollateralStats.RatioStats::max),
                2,
                "no readings",
                "equity / maintenance margin"));
        rows.add(optional(
                "collateral_ratio_min",
                "collateral ratio, lowest",
                all.map(CollateralStats.RatioStats::min),
                2,
                "no readings",
                "the closest any venue came to liquidation"));
        return rows;
    }

    private static String coverage(CostSummary s, int active) {
        String text = "Covers " + s.pairs() + " ended pair" + (s.pairs() == 1 ? "" : "s") + ": the " + s.closed()
                + " closed (the pairs history lists)";
        int others = s.rollbacks() + s.failed();
        if (others > 0) {
            text += " and " + others + " rolled back or failed open" + (others == 1 ? "" : "s")
                    + ", whose fees and volume are part of what the points cost";
        }
        text += ".";
        if (active > 0) {
            text += " " + active + " pair" + (active == 1 ? " has" : "s have") + " not ended and "
                    + (active == 1 ? "is" : "are") + " not counted.";
        }
        return text;
    }

    private static void venues(List<Row> rows, String key, String label, Map<Venue, BigDecimal> byVenue) {
        byVenue.forEach((v, amount) -> rows.add(usd(key + v.configName(), label + v.configName(), amount, "")));
    }

    private static String perVenue(CollateralStats c) {
        List<String> parts = new ArrayList<>();
        c.byVenue()
                .forEach((v, r) -> parts.add(v.configName() + " avg " + two(r.average()) + ", lowest " + two(r.min())
                        + ", highest " + two(r.max())));
        return String.join("; ", parts);
    }

    private static Row count(String key, String label, int n, String note) {
        return new Row(key, label, Integer.toString(n), Integer.toString(n), note);
    }

    private static Row usd(String key, String label, BigDecimal v, String note) {
        return new Row(key, label, Money.usd(v).toPlainString(), Money.plain(v), note);
    }

    private static Row optional(String key, String label, Optional<BigDecimal> v, int scale, String none, String note) {
        return new Row(
                key,
                label,
                v.map(x -> x.setScale(scale, RoundingMode.HALF_EVEN).toPlainString())
                        .orElse("none (" + none + ")"),
                v.map(Money::plain).orElse(""),
                note);
    }

    private static String two(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Text made safe for HTML content and attribute values. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
