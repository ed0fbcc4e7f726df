package dev.perptrader.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.store.Store;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code status}: whether opening is allowed, and the pairs that hold (or may hold) positions
 * now, as last marked; as a table or as JSON named like the database's columns.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show open pairs: legs, entry, mark, PnL, collateral ratio, time left.")
final class StatusCommand implements Callable<Integer> {
    enum Format {
        table,
        json
    }

    @Mixin
    ConfigOption config;

    @Mixin
    BookChoice choice;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table (default) or json")
    Format format;

    @Spec
    CommandSpec spec;

    private final Clock clock;

    StatusCommand() {
        this(Clock.systemUTC());
    }

    StatusCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        AppConfig cfg = choice.load(config);
        Book book = choice.read(choice.locate(cfg), cfg);
        Store store = book.store();
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            // stdout stays machine-readable
            PrintWriter err = spec.commandLine().getErr();
            err.println(book.describe());
            err.flush();
            out.println(json(store));
            out.flush();
            return 0;
        }
        out.println(book.describe());
        out.println("opening: " + opening(store));
        store.venueReads().forEach(r -> out.println(venueRead(r)));
        List<HedgePair> pairs = store.pairs(PairStatus.active());
        if (pairs.isEmpty()) {
            out.println("no open pairs");
            out.flush();
            return 0;
        }
        for (HedgePair p : pairs) {
            String timeLeft = p.closeAt() == null ? "-" : Stores.span(Duration.between(clock.instant(), p.closeAt()));
            out.printf(
                    "pair %d  %s  %s  %sx  qty %s  notional %s  opened %s  closes in %s%n",
                    p.id(),
                    p.asset(),
                    p.status(),
                    p.leverage().toPlainString(),
                    p.quantity().toPlainString(),
                    Money.usd(p.notional()),
                    Stores.time(p.openedAt()),
                    timeLeft);
            Table legs = new Table(
                    "  SIDE", "VENUE", "SYMBOL", "HELD", "ENTRY_PRICE", "CURRENT_PRICE", "UNREALIZED_PNL", "STATUS");
            for (Leg l : store.legs(p.id())) {
                legs.row(
                        "  " + l.side(),
                        l.venue().configName(),
                        l.symbol(),
                        l.size().toPlainString(),
                        plain(l.entryPrice()),
                        plain(l.markPrice()),
                        l.unrealizedPnl() == null ? null : Money.usd(l.unrealizedPnl()),
                        l.suspect() ? "SUSPECT" : l.status());
            }
            legs.print(out);
            if (pnlPending(store, p)) {
                out.println("  PnL pending: the price and fee of a fill are still being read from the venue");
            }
            for (Leg l : store.legs(p.id())) {
                if (l.suspect()) {
                    out.printf(
                            "  %s leg SUSPECT since %s: %s%n",
                            l.side(), Stores.time(l.suspectSince()), l.suspectReason());
                }
            }
            Optional<Store.Mark> mark = store.latestMark(p.id());
            mark.ifPresent(m -> out.printf(
                    "  collateral ratio: %s %s, %s %s   divergence %s%%   (marked %s)%n",
                    p.longVenue().configName(),
                    ratio(m.longVenueRatio()),
                    p.shortVenue().configName(),
                    ratio(m.shortVenueRatio()),
                    m.divergence().movePointRight(2).setScale(3, RoundingMode.HALF_EVEN),
                    Stores.time(m.at())));
            out.println();
        }
        out.flush();
        return 0;
    }

    /** The same facts as the table, named as the database names them (opening_pause, hedge_pairs, positions, marks). */
    private String json(Store store) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode opening = root.putObject("opening");
        Optional<Store.Pause> pause = store.openingPause();
        Optional<Store.Gate> gate = store.gate();
        if (pause.isPresent()) {
            opening.put("state", "paused");
            opening.put("cause", pause.get().cause());
            opening.put("paused_at", iso(pause.get().pausedAt()));
        } else if (gate.isPresent() && gate.get().reason() != null) {
            opening.put("state", "held_back");
            opening.put("reason", gate.get().reason());
            opening.put("checked_at", iso(gate.get().checkedAt()));
        } else {
            opening.put("state", "allowed");
        }
        ArrayNode pairs = root.putArray("pairs");
        for (HedgePair p : store.pairs(PairStatus.active())) {
            ObjectNode n = pairs.addObject();
            n.put("id", p.id());
            n.put("asset", p.asset());
            n.put("status", p.status().name());
            n.put("long_venue", p.longVenue().configName());
            n.put("short_venue", p.shortVenue().configName());
            n.put("leverage", p.leverage().toPlainString());
            n.put("quantity", p.quantity().toPlainString());
            n.put("notional", p.notional().toPlainString());
            n.put("opened_at", iso(p.openedAt()));
            n.put("close_at", iso(p.closeAt()));
            n.put(
                    "seconds_left",
                    p.closeAt() == null
                            ? null
                            : Duration.between(clock.instant(), p.closeAt()).toSeconds());
            // true while a fill's price and fee are still being read: entry price and PnL are empty
            n.put("pnl_pending", pnlPending(store, p));
            ArrayNode legs = n.putArray("legs");
            for (Leg l : store.legs(p.id())) {
                ObjectNode leg = legs.addObject();
                leg.put("side", l.side().name());
                leg.put("venue", l.venue().configName());
                leg.put("symbol", l.symbol());
                leg.put("held", l.size().toPlainString());
                leg.put("entry_price", plain(l.entryPrice()));
                leg.put("current_price", plain(l.markPrice()));
                leg.put("unrealized_pnl", plain(l.unrealizedPnl()));
                leg.put("status", l.status().name());
                leg.put("suspect_since", iso(l.suspectSince()));
                leg.put("suspect_reason", l.suspectReason());
            }
            Optional<Store.Mark> mark = store.latestMark(p.id());
            if (mark.isPresent()) {
                Store.Mark m = mark.get();
                ObjectNode mk = n.putObject("mark");
                mk.put("at", iso(m.at()));
                mk.put("long_venue_ratio", plain(m.longVenueRatio()));
                mk.put("short_venue_ratio", plain(m.shortVenueRatio()));
                mk.put("divergence", plain(m.divergence()));
            } else {
                n.putNull("mark");
            }
        }
        return mapper.writeValueAsString(root);
    }

    /** Whether a fill of {@code pair} is recorded without its price and fee yet. */
    private static boolean pnlPending(Store store, HedgePair pair) {
        return store.orders(pair.id()).stream().anyMatch(o -> !o.priced());
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    /** Whether the bot may open pairs: paused (until 'resume'), held back by the exposure gate, or allowed. */
    static String opening(Store store) {
        Optional<Store.Pause> pause = store.openingPause();
        if (pause.isPresent()) {
            return "PAUSED since " + Stores.time(pause.get().pausedAt()) + ": "
                    + pause.get().cause() + " ('perp-trader resume' lifts it)";
        }
        Optional<Store.Gate> gate = store.gate();
        if (gate.isPresent() && gate.get().reason() != null) {
            return "held back (checked " + Stores.time(gate.get().checkedAt()) + "): "
                    + gate.get().reason();
        }
        return "allowed";
    }

    /** One line per venue: its last successful read as the running bot recorded it, and any failure since. */
    private String venueRead(Store.VenueRead r) {
        String ok = r.lastOk()
                .map(t -> "last read OK " + Stores.time(t) + " (" + Stores.span(Duration.between(t, clock.instant()))
                        + " ago)")
                .orElse("never read OK");
        String failed = r.lastErrorAt()
                .map(t -> "; UNREACHABLE at " + Stores.time(t) + ": "
                        + r.lastError().orElse(""))
                .orElse("");
        return "venue " + r.venue().configName() + ": " + ok + failed;
    }

    private static String plain(BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros().toPlainString();
    }

    private static String ratio(BigDecimal r) {
        return r == null ? "n/a" : r.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
