package dev.perptrader.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.store.Store;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code history}: closed pairs with their figures, or their totals grouped by day, week, venue
 * or asset; a TOTAL that says what it covers. Table, CSV and JSON carry the same snake_case
 * names as the {@code hedge_pairs} columns.
 */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "Closed pairs with PnL, fees, funding, volume and points, newest first, or totals by day, week,"
                + " venue or asset; a TOTAL over all time or the selection.")
final class HistoryCommand implements Callable<Integer> {
    enum Format {
        table,
        csv,
        json
    }

    /** How --by groups the selected pairs; the name is the group's column. */
    enum By {
        day,
        week,
        venue,
        asset
    }

    /** The columns of one pair, in every format (the table shows them all but notional). */
    private static final List<String> PAIR_COLUMNS = List.of(
            "id",
            "asset",
            "long_venue",
            "short_venue",
            "quantity",
            "leverage",
            "notional",
            "opened_at",
            "closed_at",
            "close_reason",
            "realized_pnl",
            "fees",
            "funding",
            "net_pnl",
            "volume",
            "points");

    /** The figures of a group or a total, after its name (or {@code pairs}, the count). */
    private static final List<String> FIGURE_COLUMNS =
            List.of("pairs", "realized_pnl", "fees", "funding", "net_pnl", "volume", "points");

    @Mixin
    ConfigOption config;

    @Mixin
    BookChoice choice;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            description = "how many pairs to list (default 20); totals cover all selected pairs")
    int limit;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "table (default), csv or json")
    Format format;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            converter = UtcTime.class,
            description = "only pairs closed at or after TIME, UTC: 2026-03-02 or 2026-03-02T10:00[:00][Z]")
    Instant since;

    @Option(
            names = "--until",
            paramLabel = "TIME",
            converter = UtcTime.class,
            description = "only pairs closed before TIME, UTC (same forms as --since)")
    Instant until;

    @Option(
            names = "--by",
            paramLabel = "GROUP",
            description = "totals by day, week (ISO, from Monday), venue (each leg under its venue) or asset")
    By by;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            throw new UsageError("--limit must be at least 1, got " + limit);
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new UsageError("--since (" + since + ") must be before --until (" + until + ")");
        }
        AppConfig cfg = choice.load(config);
        Book book = choice.read(choice.locate(cfg), cfg);
        Store store = book.store();
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.table) {
            out.println(book.describe());
        } else {
            // csv and json stay machine-readable on stdout
            PrintWriter err = spec.commandLine().getErr();
            err.println(book.describe());
            err.flush();
        }
        List<HedgePair> selected = store.closedPairs(since, until);
        Figures total = selected.stream().map(Figures::of).reduce(Figures.NONE, Figures::plus);
        if (by == null) {
            List<HedgePair> shown = selected.subList(0, Math.min(limit, selected.size()));
            List<Map<String, Object>> rows =
                    shown.stream().map(HistoryCommand::pairRow).toList();
            switch (format) {
                case table -> pairTable(shown, selected.size(), total, out);
                case csv -> csv(PAIR_COLUMNS, rows, out);
                case json -> json("pairs", rows, total, null, out);
            }
        } else {
            Map<String, Figures> groups = group(store, selected);
            List<Map<String, Object>> rows = new ArrayList<>();
            groups.forEach((name, f) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put(by.name(), name);
                row.putAll(figures(f));
                rows.add(row);
            });
            List<String> columns = new ArrayList<>();
            columns.add(by.name());
            columns.addAll(FIGURE_COLUMNS);
            switch (format) {
                case table -> groupTable(groups, total, out);
                case csv -> csv(columns, rows, out);
                case json -> json("groups", rows, total, by.name(), out);
            }
        }
        out.flush();
        return 0;
    }

    // ------------------------------------------------------------------ grouping

    /** The selected pairs' figures by group: days and weeks newest first, venues and assets by name. */
    private Map<String, Figures> group(Store store, List<HedgePair> selected) {
        Map<String, Figures> groups =
                by == By.day || by == By.week ? new TreeMap<>(Comparator.reverseOrder()) : new TreeMap<>();
        if (by == By.venue) {
            byVenue(store, selected, groups);
            return groups;
        }
        for (HedgePair p : selected) {
            groups.merge(key(p), Figures.of(p), Figures::plus);
        }
        return groups;
    }

    private String key(HedgePair p) {
        LocalDate day = p.closedAt().atZone(ZoneOffset.UTC).toLocalDate();
        return switch (by) {
            case day -> day.toString();
            case week ->
                String.format(
                        "%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case asset -> p.asset();
            case venue -> throw new AssertionError(by);
        };
    }

    /**
     * Each pair counts under both its venues, each with its own leg's figures: the leg's realized
     * PnL, fees and funding, the volume of the leg's own fills, and the pair's points in
     * proportion to that volume.
     */
    private void byVenue(Store store, List<HedgePair> selected, Map<String, Figures> groups) {
        Map<Long, HedgePair> pairs = selected.stream().collect(Collectors.toMap(HedgePair::id, p -> p));
        Map<Long, BigDecimal> legVolume = new HashMap<>();
        for (OrderRecord o : store.ordersOfClosedPairs(since, until)) {
            if (o.avgPrice() != null && o.filledQty().signum() > 0) {
                legVolume.merge(o.legId(), o.filledQty().multiply(o.avgPrice()), BigDecimal::add);
            }
        }
        Map<String, Set<Long>> pairsByVenue = new HashMap<>();
        for (Leg l : store.legsOfClosedPairs(since, until)) {
            HedgePair p = pairs.get(l.pairId());
            if (p == null) {
                continue; // closed between the two reads
            }
            String venue = l.venue().configName();
            BigDecimal volume = legVolume.getOrDefault(l.id(), BigDecimal.ZERO);
            BigDecimal points = p.volume().signum() == 0
                    ? BigDecimal.ZERO
                    : p.points().multiply(volume).divide(p.volume(), 8, RoundingMode.HALF_EVEN);
            int counted =
                    pairsByVenue.computeIfAbsent(venue, v -> new HashSet<>()).add(p.id()) ? 1 : 0;
            groups.merge(
                    venue, new Figures(counted, l.realizedPnl(), l.fees(), l.funding(), volume, points), Figures::plus);
        }
    }

    // ------------------------------------------------------------------ output

    private static Map<String, Object> pairRow(HedgePair p) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", p.id());
        row.put("asset", p.asset());
        row.put("long_venue", p.longVenue().configName());
        row.put("short_venue", p.shortVenue().configName());
        row.put("quantity", p.quantity().toPlainString());
        row.put("leverage", p.leverage().toPlainString());
        row.put("notional", p.notional().toPlainString());
        row.put("opened_at", p.openedAt() == null ? null : p.openedAt().toString());
        row.put("closed_at", p.closedAt().toString());
        row.put("close_reason", p.closeReason());
        Figures f = Figures.of(p);
        row.put("realized_pnl", f.realizedPnl().toPlainString());
        row.put("fees", f.fees().toPlainString());
        row.put("funding", f.funding().toPlainString());
        row.put("net_pnl", f.netPnl().toPlainString());
        row.put("volume", f.volume().toPlainString());
        row.put("points", f.points().toPlainString());
        return row;
    }

    private static Map<String, Object> figures(Figures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pairs", f.pairs());
        m.put("realized_pnl", f.realizedPnl().toPlainString());
        m.put("fees", f.fees().toPlainString());
        m.put("funding", f.funding().toPlainString());
        m.put("net_pnl", f.netPnl().toPlainString());
        m.put("volume", f.volume().toPlainString());
        m.put("points", f.points().toPlainString());
        return m;
    }

    private void pairTable(List<HedgePair> shown, int selected, Figures total, PrintWriter out) {
        if (shown.isEmpty()) {
            out.println(filtered() ? "no closed pairs in the selection (" + selection() + ")" : "no closed pairs yet");
            return;
        }
        Table t = new Table(
                "ID",
                "ASSET",
                "LONG_VENUE",
                "SHORT_VENUE",
                "QUANTITY",
                "LEVERAGE",
                "OPENED_AT",
                "CLOSED_AT",
                "CLOSE_REASON",
                "REALIZED_PNL",
                "FEES",
                "FUNDING",
                "NET_PNL",
                "VOLUME",
                "POINTS");
        for (HedgePair p : shown) {
            Figures f = Figures.of(p);
            t.row(
                    p.id(),
                    p.asset(),
                    p.longVenue().configName(),
                    p.shortVenue().configName(),
                    p.quantity().toPlainString(),
                    p.leverage().toPlainString(),
                    Stores.time(p.openedAt()),
                    Stores.time(p.closedAt()),
                    p.closeReason(),
                    Money.usd(f.realizedPnl()),
                    Money.usd(f.fees()),
                    Money.usd(f.funding()),
                    Money.usd(f.netPnl()),
                    Money.usd(f.volume()),
                    points(f.points()));
        }
        t.spanned(
                totalLabel(total),
                9,
                Money.usd(total.realizedPnl()),
                Money.usd(total.fees()),
                Money.usd(total.funding()),
                Money.usd(total.netPnl()),
                Money.usd(total.volume()),
                points(total.points()));
        t.print(out);
        if (shown.size() < selected) {
            out.println("showing the newest " + shown.size() + " of " + selected + " pairs (--limit N shows more);"
                    + " TOTAL covers all " + selected);
        }
    }

    private void groupTable(Map<String, Figures> groups, Figures total, PrintWriter out) {
        if (groups.isEmpty()) {
            out.println(filtered() ? "no closed pairs in the selection (" + selection() + ")" : "no closed pairs yet");
            return;
        }
        Table t = new Table(
                by.name().toUpperCase(Locale.ROOT),
                "PAIRS",
                "REALIZED_PNL",
                "FEES",
                "FUNDING",
                "NET_PNL",
                "VOLUME",
                "POINTS");
        groups.forEach((name, f) -> t.row(
                name,
                f.pairs(),
                Money.usd(f.realizedPnl()),
                Money.usd(f.fees()),
                Money.usd(f.funding()),
                Money.usd(f.netPnl()),
                Money.usd(f.volume()),
                points(f.points())));
        t.spanned(
                totalLabel(total),
                1,
                total.pairs(),
                Money.usd(total.realizedPnl()),
                Money.usd(total.fees()),
                Money.usd(total.funding()),
                Money.usd(total.netPnl()),
                Money.usd(total.volume()),
                points(total.points()));
        t.print(out);
        if (by == By.venue) {
            out.println("each pair counts under both its venues, with its own leg's figures");
        }
    }

    private void csv(List<String> columns, List<Map<String, Object>> rows, PrintWriter out) throws Exception {
        CsvSchema.Builder schema = CsvSchema.builder();
        columns.forEach(schema::addColumn);
        CsvMapper mapper = new CsvMapper();
        // the header even when the selection is empty
        out.print(mapper.writer(schema.build().withHeader()).writeValueAsString(rows));
    }

    private void json(String name, List<Map<String, Object>> rows, Figures total, String groupedBy, PrintWriter out)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        if (groupedBy != null) {
            root.put("by", groupedBy);
        }
        root.set(name, mapper.valueToTree(rows));
        ObjectNode totals = root.putObject("totals");
        totals.put("covers", filtered() ? "selection" : "all time");
        totals.put("since", since == null ? null : since.toString());
        totals.put("until", until == null ? null : until.toString());
        totals.setAll((ObjectNode) mapper.valueToTree(figures(total)));
        out.println(mapper.writeValueAsString(root));
    }

    private boolean filtered() {
        return since != null || until != null;
    }

    /** "since 2026-03-02T00:00:00Z, until 2026-03-03T00:00:00Z". */
    private String selection() {
        List<String> parts = new ArrayList<>();
        if (since != null) {
            parts.add("since " + since);
        }
        if (until != null) {
            parts.add("until " + until);
        }
        return String.join(", ", parts);
    }

    /** "TOTAL (all time, 57 pairs)" or "TOTAL (selection: since 2026-03-02T00:00:00Z, 3 pairs)". */
    private String totalLabel(Figures total) {
        return "TOTAL (" + (filtered() ? "selection: " + selection() : "all time") + ", " + total.pairs() + " pairs)";
    }

    private static String points(BigDecimal p) {
        return p.stripTrailingZeros().toPlainString();
    }
}
