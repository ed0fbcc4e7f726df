package dev.perptrader.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Money;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code history}: closed pairs with their figures, and totals. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Closed pairs with PnL, fees, funding, volume and points, newest first, and totals.")
final class HistoryCommand implements Callable<Integer> {
    enum Format { table, csv, json }

    @Mixin
    ConfigOption config;

    @Mixin
    BookChoice choice;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "how many pairs (default 20)")
    int limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), csv or json")
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            throw new UsageError("--limit must be at least 1, got " + limit);
        }
        AppConfig cfg = choice.load(config);
        Book book = choice.read(choice.locate(cfg), cfg);
        List<HedgePair> pairs = book.store().closedPairs(limit);
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.table) {
            out.println(book.describe());
        } else {
            // csv and json stay machine-readable on stdout
            PrintWriter err = spec.commandLine().getErr();
            err.println(book.describe());
            err.flush();
        }
        switch (format) {
            case table -> table(pairs, out);
            case csv -> csv(pairs, out);
            case json -> json(pairs, out);
        }
        out.flush();
        return 0;
    }

    private static void table(List<HedgePair> pairs, PrintWriter out) {
        if (pairs.isEmpty()) {
            out.println("no closed pairs yet");
            return;
        }
        Table t = new Table("ID", "ASSET", "LONG", "SHORT", "QTY", "LEV", "OPENED (UTC)", "HELD", "REASON",
                "PNL", "FEES", "FUNDING", "NET", "VOLUME", "POINTS");
        for (HedgePair p : pairs) {
            t.row(p.id(), p.asset(), p.longVenue().configName(), p.shortVenue().configName(),
                    p.quantity().toPlainString(), p.leverage().toPlainString(), Stores.time(p.openedAt()),
                    p.openedAt() == null ? null : Stores.span(Duration.between(p.openedAt(), p.closedAt())),
                    p.closeReason(), Money.usd(p.realizedPnl()), Money.usd(p.fees()), Money.usd(p.funding()),
                    Money.usd(net(p)), Money.usd(p.volume()), p.points().stripTrailingZeros().toPlainString());
        }
        Totals s = Totals.of(pairs);
        t.row("TOTAL", pairs.size() + " pairs", "", "", "", "", "", "", "", Money.usd(s.pnl), Money.usd(s.fees),
                Money.usd(s.funding), Money.usd(s.net), Money.usd(s.volume), s.points.stripTrailingZeros().toPlainString());
        t.print(out);
    }

    private static void csv(List<HedgePair> pairs, PrintWriter out) {
        out.println("id,asset,long_venue,short_venue,quantity,leverage,notional,opened_at,closed_at,close_reason,"
                + "realized_pnl,fees,funding,net_pnl,volume,points");
        for (HedgePair p : pairs) {
            out.println(String.join(",", String.valueOf(p.id()), p.asset(), p.longVenue().configName(),
                    p.shortVenue().configName(), p.quantity().toPlainString(), p.leverage().toPlainString(),
                    p.notional().toPlainString(), Stores.time(p.openedAt()), Stores.time(p.closedAt()),
                    quote(p.closeReason()), p.realizedPnl().toPlainString(), p.fees().toPlainString(),
                    p.funding().toPlainString(), net(p).toPlainString(), p.volume().toPlainString(),
                    p.points().toPlainString()));
        }
    }

    private static void json(List<HedgePair> pairs, PrintWriter out) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ArrayNode arr = root.putArray("pairs");
        for (HedgePair p : pairs) {
            ObjectNode n = arr.addObject();
            n.put("id", p.id());
            n.put("asset", p.asset());
            n.put("long_venue", p.longVenue().configName());
            n.put("short_venue", p.shortVenue().configName());
            n.put("quantity", p.quantity().toPlainString());
            n.put("leverage", p.leverage().toPlainString());
            n.put("notional", p.notional().toPlainString());
            n.put("opened_at", p.openedAt() == null ? null : p.openedAt().toString());
            n.put("closed_at", p.closedAt().toString());
            n.put("close_reason", p.closeReason());
            n.put("realized_pnl", p.realizedPnl().toPlainString());
            n.put("fees", p.fees().toPlainString());
            n.put("funding", p.funding().toPlainString());
            n.put("net_pnl", net(p).toPlainString());
            n.put("volume", p.volume().toPlainString());
            n.put("points", p.points().toPlainString());
        }
        Totals s = Totals.of(pairs);
        ObjectNode totals = root.putObject("totals");
        totals.put("pairs", pairs.size());
        totals.put("realized_pnl", s.pnl.toPlainString());
        totals.put("fees", s.fees.toPlainString());
        totals.put("funding", s.funding.toPlainString());
        totals.put("net_pnl", s.net.toPlainString());
        totals.put("volume", s.volume.toPlainString());
        totals.put("points", s.points.toPlainString());
        out.println(mapper.writeValueAsString(root));
    }

    private static BigDecimal net(HedgePair p) {
        return p.realizedPnl().subtract(p.fees()).add(p.funding());
    }

    private static String quote(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private record Totals(BigDecimal pnl, BigDecimal fees, BigDecimal funding, BigDecimal net, BigDecimal volume,
                          BigDecimal points) {
        static Totals of(List<HedgePair> pairs) {
            BigDecimal pnl = BigDecimal.ZERO;
            BigDecimal fees = BigDecimal.ZERO;
            BigDecimal funding = BigDecimal.ZERO;
            BigDecimal volume = BigDecimal.ZERO;
            BigDecimal points = BigDecimal.ZERO;
            for (HedgePair p : pairs) {
                pnl = pnl.add(p.realizedPnl());
                fees = fees.add(p.fees());
                funding = funding.add(p.funding());
                volume = volume.add(p.volume());
                points = points.add(p.points());
            }
            return new Totals(pnl, fees, funding, pnl.subtract(fees).add(funding), volume, points);
        }
    }
}
