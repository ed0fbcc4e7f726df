package dev.perptrader.trader;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Confirmation;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Pnl;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.Futures;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks every open pair: one marks call and one account call per venue per tick, however many
 * pairs are open, all venues read at once; the tick's writes are one transaction. Stores marks and unrealized PnL, raises LOW_COLLATERAL, PNL_DIVERGENCE,
 * PRICE_SUSPECT and CLOCK_SKEW, and returns what it saw ({@link Findings}): pairs to close for
 * protection, legs the venues disagree with, positions no pair accounts for. It acts on none of
 * the last two: the {@link Reconciler} does, after confirming.
 */
public final class Monitor {
    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);
    private static final Duration MAX_CLOCK_OFFSET = Duration.ofSeconds(1);

    /** A pair to close now, and why. */
    public record CloseRequest(HedgePair pair, String reason) {}

    /**
     * A leg of an OPEN pair whose venue position read differently from the book: {@code others}
     * are the legs of the other OPEN pairs on the same market and venue (empty unless
     * trading.max_pairs_per_asset > 1), which the venue holds together with this one.
     */
    public record Disagreement(
            HedgePair pair, Leg leg, BigDecimal venueSigned, Confirmation.Reading reading, List<Leg> others) {
        public Disagreement {
            others = List.copyOf(others);
        }
    }

    /** A position beyond what the active pairs account for: {@code extra} signed, beyond {@code known}. */
    public record Orphan(Venue venue, String symbol, BigDecimal extra, BigDecimal known) {}

    /**
     * What one tick saw: protective closes, disagreeing legs, suspect legs the venue now shows as
     * booked, and orphan positions.
     */
    public record Findings(
            List<CloseRequest> protective, List<Disagreement> disagreements, List<Leg> agreeing, List<Orphan> orphans) {
        public static Findings none() {
            return new Findings(List.of(), List.of(), List.of(), List.of());
        }
    }

    private final AppConfig config;
    private final Store store;
    private final Venues venues;
    private final Alerts alerts;
    private final Clock clock;
    private final Telemetry telemetry;
    private final Executor readPool;

    Monitor(
            AppConfig config,
            Store store,
            Venues venues,
            Alerts alerts,
            Clock clock,
            Telemetry telemetry,
            Executor readPool) {
        this.config = config;
        this.store = store;
        this.venues = venues;
        this.alerts = alerts;
        this.clock = clock;
        this.telemetry = telemetry;
        this.readPool = readPool;
    }

    /** One monitoring pass over all OPEN pairs. */
    public Findings tick() {
        Instant now = clock.instant();
        List<HedgePair> pairs = store.pairs(Set.of(PairStatus.OPEN));
        Map<Long, List<Leg>> legsByPair = new LinkedHashMap<>();
        Map<Venue, Set<String>> symbols = new TreeMap<>();
        for (HedgePair p : pairs) {
            List<Leg> legs = store.legs(p.id());
            legsByPair.put(p.id(), legs);
            for (Leg leg : legs) {
                symbols.computeIfAbsent(leg.venue(), v -> new TreeSet<>()).add(leg.symbol());
            }
        }
        Map<Venue, VenueRead> reads = new TreeMap<>();
        for (Venue v : venues.all()) {
            reads.put(v, read(v, symbols.getOrDefault(v, Set.of())));
        }
        Map<Venue, Map<String, BigDecimal>> marks = new TreeMap<>();
        Map<Venue, AccountState> accounts = new TreeMap<>();
        List<Runnable> writes = new ArrayList<>();
        reads.forEach((v, read) -> {
            // marks need only the prices: a failed account read still lets the pairs be marked
            ExchangeException failed = null;
            try {
                marks.put(v, Futures.join(read.marks()));
            } catch (ExchangeException ex) {
                telemetry.venueError(v, ex.error());
                failed = ex;
            }
            try {
                accounts.put(v, Futures.join(read.account()));
            } catch (ExchangeException ex) {
                telemetry.venueError(v, ex.error());
                failed = failed != null ? failed : ex;
            }
            if (failed == null) {
                writes.add(() -> store.venueReadOk(v, now));
                alerts.clear(AlertKind.VENUE_DOWN, null, v);
                checkClock(v);
            } else {
                String error = failed.getMessage();
                writes.add(() -> store.venueReadFailed(v, now, error));
                alerts.raise(
                        AlertKind.VENUE_DOWN, Alerts.Level.WARN, null, v, "cannot mark positions this tick: " + error);
            }
        });
        Map<Venue, BigDecimal> ratios = new TreeMap<>();
        List<CloseRequest> toClose = new ArrayList<>();
        for (Map.Entry<Venue, AccountState> e : accounts.entrySet()) {
            BigDecimal ratio =
                    Pnl.collateralRatio(e.getValue().equity(), e.getValue().maintenanceMargin());
            if (ratio != null) {
                ratios.put(e.getKey(), ratio);
            }
        }
        List<Disagreement> disagreements = new ArrayList<>();
        List<Leg> agreeing = new ArrayList<>();
        List<Leg> openLegs = new ArrayList<>();
        legsByPair.values().forEach(openLegs::addAll);
        for (HedgePair pair : pairs) {
            List<Leg> legs = legsByPair.get(pair.id());
            for (Leg leg : legs) {
                AccountState account = accounts.get(leg.venue());
                if (account == null) {
                    continue;
                }
                // the venue nets the pairs on one asset into one position: it must hold their sum
                // (see sharing), so each leg is read against what the others leave for it
                BigDecimal venueSigned = account.signedPosition(leg.symbol());
                List<Leg> others = sharing(leg, openLegs);
                Confirmation.Reading reading = Confirmation.Reading.of(leg, Confirmation.leftFor(venueSigned, others));
                if (reading != Confirmation.Reading.AGREES) {
                    if (!others.isEmpty()) {
                        // say what the venue shows of the legs together, not of one leg's share
                        BigDecimal together = others.stream().map(Leg::size).reduce(leg.size(), BigDecimal::add);
                        reading = Confirmation.Reading.of(leg.side(), together, venueSigned);
                    }
                    disagreements.add(new Disagreement(pair, leg, venueSigned, reading, others));
                } else if (leg.suspect()) {
                    agreeing.add(leg);
                }
            }
            markPair(pair, legs, marks, ratios, now, writes);
        }
        store.batch(() -> writes.forEach(Runnable::run));
        for (Map.Entry<Venue, BigDecimal> e : ratios.entrySet()) {
            checkCollateral(e.getKey(), e.getValue(), pairs, legsByPair, toClose);
        }
        List<ActiveLeg> active = activeLegs();
        List<Orphan> orphans = new ArrayList<>();
        accounts.forEach((venue, account) -> orphans.addAll(orphans(venue, account, active)));
        if (!pairs.isEmpty() && LOG.isInfoEnabled()) {
            LOG.info("monitor: {} open pair(s), collateral ratios {}", pairs.size(), fmtRatios(ratios));
        }
        if (telemetry != Telemetry.NONE) { // simulate has none: no figures made for nobody, every tick
            Instant done = clock.instant();
            telemetry.tickCompleted(new Telemetry.Tick(
                    done, Duration.between(now, done), ratios, unrealizedByVenue(accounts.keySet(), active)));
        }
        return new Findings(toClose, disagreements, agreeing, orphans);
    }

    /**
     * The legs among {@code legs} that share {@code leg}'s market on its venue: other pairs' legs
     * on the same venue and symbol that hold a position. Venues net positions per market, so the
     * venue holds these and {@code leg} as one position, and a leg is compared with what the
     * others leave of it ({@link Confirmation#leftFor}): with the sum of all, not alone. With
     * trading.max_pairs_per_asset = 1 there are none and every leg is compared with the venue's
     * whole position. The monitor and the confirmations pass the legs of OPEN pairs: a venue must
     * hold at least what they hold; pairs mid-way (OPENING, UNHEDGED, CLOSING) are being resolved
     * by their own orders, and the exposure gate compares each venue with every active leg.
     */
    static List<Leg> sharing(Leg leg, Collection<Leg> legs) {
        List<Leg> out = null;
        for (Leg l : legs) {
            if (l.pairId() != leg.pairId()
                    && l.venue() == leg.venue()
                    && l.symbol().equals(leg.symbol())
                    && l.holdsPosition()) {
                if (out == null) {
                    out = new ArrayList<>();
                }
                out.add(l);
            }
        }
        // read for every leg at every tick, and nearly always empty: no list is made for nothing
        return out == null ? List.of() : List.copyOf(out);
    }

    /** Per venue read this tick: the unrealized PnL last stored for the legs held there. */
    private static Map<Venue, BigDecimal> unrealizedByVenue(Set<Venue> read, List<ActiveLeg> active) {
        Map<Venue, BigDecimal> out = new TreeMap<>();
        read.forEach(v -> out.put(v, BigDecimal.ZERO));
        for (ActiveLeg a : active) {
            Leg leg = a.leg();
            if (out.containsKey(leg.venue()) && leg.holdsPosition() && leg.unrealizedPnl() != null) {
                out.merge(leg.venue(), leg.unrealizedPnl(), BigDecimal::add);
            }
        }
        return out;
    }

    /** CLOCK_SKEW when a venue's clock is more than a second away from ours. */
    private void checkClock(Venue v) {
        venues.get(v).clockOffset().ifPresent(offset -> {
            if (offset.abs().compareTo(MAX_CLOCK_OFFSET) > 0) {
                alerts.raise(
                        AlertKind.CLOCK_SKEW,
                        Alerts.Level.WARN,
                        null,
                        v,
                        "the venue's clock is " + offset.toMillis()
                                + " ms away from ours (more than 1 s): check NTP on this machine");
            }
        });
    }

    /**
     * Stores marks and unrealized PnL of both legs and checks divergence. A mark that is not a
     * positive price, or that jumped more than {@code risk.max_mark_jump} since the last tick while
     * the other venue's did not, is read again first; a pair whose marks stay unbelievable (the
     * second read no price either, or as far from the last mark) is not marked this tick
     * (PRICE_SUSPECT).
     */
    private void markPair(
            HedgePair pair,
            List<Leg> legs,
            Map<Venue, Map<String, BigDecimal>> venueMarks,
            Map<Venue, BigDecimal> ratios,
            Instant now,
            List<Runnable> writes) {
        Map<Side, BigDecimal> marks = new EnumMap<>(Side.class);
        Map<Side, Leg> bySide = new EnumMap<>(Side.class);
        for (Leg leg : legs) {
            BigDecimal mark = venueMarks.getOrDefault(leg.venue(), Map.of()).get(leg.symbol());
            if (mark != null) {
                marks.put(leg.side(), mark);
                bySide.put(leg.side(), leg);
            }
        }
        if (marks.size() < 2) {
            return;
        }
        for (Leg leg : bySide.values()) {
            if (leg.entryPrice() == null) {
                return; // a fill's price is still being read: no PnL to mark or compare yet
            }
        }
        for (Side side : Side.values()) {
            Leg leg = bySide.get(side);
            Leg other = bySide.get(side.opposite());
            boolean otherJumped = jumped(other, marks.get(side.opposite()));
            if (unbelievable(leg, marks.get(side), otherJumped)) {
                BigDecimal again = reread(leg);
                if (again == null || unbelievable(leg, again, otherJumped)) {
                    alerts.raise(
                            AlertKind.PRICE_SUSPECT,
                            Alerts.Level.WARN,
                            pair.id(),
                            leg.venue(),
                            leg.symbol()
                                    + " mark read " + marks.get(side).toPlainString() + ", then "
                                    + (again == null ? "nothing" : again.toPlainString())
                                    + ": not marking this pair this tick");
                    return;
                }
                marks.put(side, again);
            }
        }
        Map<Side, BigDecimal> upnls = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            Leg leg = bySide.get(side);
            BigDecimal upnl = Pnl.unrealized(side, leg.size(), leg.entryPrice(), marks.get(side));
            BigDecimal mark = marks.get(side);
            writes.add(() -> store.updateLegMark(leg.id(), mark, upnl, now));
            upnls.put(side, upnl);
        }
        BigDecimal divergence = Pnl.divergence(upnls.get(Side.LONG), upnls.get(Side.SHORT), pair.notional());
        Store.Mark row = new Store.Mark(
                pair.id(),
                now,
                marks.get(Side.LONG),
                marks.get(Side.SHORT),
                upnls.get(Side.LONG),
                upnls.get(Side.SHORT),
                ratios.get(pair.longVenue()),
                ratios.get(pair.shortVenue()),
                divergence);
        writes.add(() -> store.insertMark(row));
        if (LOG.isInfoEnabled()) {
            LOG.info(
                    "pair {} {}: long {} @ {} pnl {}, short {} @ {} pnl {}, divergence {}%",
                    pair.id(),
                    pair.asset(),
                    pair.longVenue().configName(),
                    marks.get(Side.LONG),
                    Money.usd(upnls.get(Side.LONG)),
                    pair.shortVenue().configName(),
                    marks.get(Side.SHORT),
                    Money.usd(upnls.get(Side.SHORT)),
                    divergence.movePointRight(2).setScale(3, RoundingMode.HALF_EVEN));
        }
        if (divergence.compareTo(config.trading().maxPnlDivergence()) > 0) {
            alerts.raise(
                    AlertKind.PNL_DIVERGENCE,
                    Alerts.Level.WARN,
                    pair.id(),
                    null,
                    "|long pnl + short pnl| / notional = " + divergence.setScale(4, RoundingMode.HALF_EVEN) + " > "
                            + config.trading().maxPnlDivergence());
        }
    }

    /** Not a price, or a jump from the leg's last mark that the other venue's mark did not make. */
    private boolean unbelievable(Leg leg, BigDecimal mark, boolean otherJumped) {
        return mark.signum() <= 0 || (jumped(leg, mark) && !otherJumped);
    }

    /**
     * Whether {@code mark} moved more than risk.max_mark_jump from the leg's last stored mark (its
     * entry price before its first mark).
     */
    private boolean jumped(Leg leg, BigDecimal mark) {
        BigDecimal last = leg.markPrice() != null ? leg.markPrice() : leg.entryPrice();
        if (last == null || last.signum() <= 0) {
            return false;
        }
        // |mark − last| / last > jump, multiplied out (last > 0): exact, and no division per leg per tick
        return mark.subtract(last).abs().compareTo(config.risk().maxMarkJump().multiply(last)) > 0;
    }

    /** One more read of a leg's mark; null when the venue cannot answer. */
    private BigDecimal reread(Leg leg) {
        try {
            return venues.get(leg.venue()).marks(List.of(leg.symbol())).get(leg.symbol());
        } catch (ExchangeException e) {
            telemetry.venueError(leg.venue(), e.error());
            return null;
        }
    }

    /** One venue's two calls of this tick, in flight: the marks of the markets held, and the account. */
    private record VenueRead(
            CompletableFuture<Map<String, BigDecimal>> marks, CompletableFuture<AccountState> account) {}

    /**
     * Both calls of one venue (marks of {@code symbols}, the account) sent at once on the read
     * pool; all venues are read at the same time, so a tick costs the slowest venue's round
     * trip, whatever the number of pairs and markets.
     */
    private VenueRead read(Venue v, Set<String> symbols) {
        PerpExchange venue = venues.get(v);
        CompletableFuture<Map<String, BigDecimal>> marks = symbols.isEmpty()
                ? CompletableFuture.completedFuture(Map.of())
                : CompletableFuture.supplyAsync(() -> venue.marks(symbols), readPool);
        return new VenueRead(marks, CompletableFuture.supplyAsync(venue::account, readPool));
    }

    private void checkCollateral(
            Venue venue,
            BigDecimal ratio,
            List<HedgePair> pairs,
            Map<Long, List<Leg>> legsByPair,
            List<CloseRequest> toClose) {
        if (ratio.compareTo(config.trading().minCollateralRatio()) >= 0) {
            return;
        }
        boolean critical = ratio.compareTo(config.monitor().criticalCollateralRatio()) < 0;
        alerts.raise(
                AlertKind.LOW_COLLATERAL,
                critical ? Alerts.Level.ERROR : Alerts.Level.WARN,
                null,
                venue,
                "collateral ratio " + ratio.setScale(3, RoundingMode.HALF_EVEN) + " < "
                        + config.trading().minCollateralRatio()
                        + (critical
                                ? " and below critical " + config.monitor().criticalCollateralRatio()
                                        + ": closing its pairs"
                                : ""));
        if (!critical) {
            return;
        }
        for (HedgePair pair : pairs) {
            boolean onVenue = pair.longVenue() == venue || pair.shortVenue() == venue;
            boolean already = toClose.stream().anyMatch(c -> c.pair().id() == pair.id());
            boolean stillHeld = legsByPair.get(pair.id()).stream().anyMatch(Leg::holdsPosition);
            if (onVenue && !already && stillHeld) {
                alerts.raise(
                        AlertKind.PROTECTIVE_CLOSE,
                        Alerts.Level.ERROR,
                        pair.id(),
                        venue,
                        "collateral ratio " + ratio.setScale(3, RoundingMode.HALF_EVEN)
                                + " below critical; closing the pair early");
                toClose.add(new CloseRequest(
                        pair,
                        "PROTECTIVE: collateral ratio on " + venue.configName() + " "
                                + ratio.setScale(3, RoundingMode.HALF_EVEN)));
            }
        }
    }

    /**
     * Positions the venue holds beyond what active pairs account for (opened by hand, by another
     * tool, or left by a lost record). Symbols with a pair mid-way (OPENING, CLOSING, UNHEDGED)
     * are skipped: their orders are being resolved.
     */
    private static List<Orphan> orphans(Venue venue, AccountState account, List<ActiveLeg> active) {
        List<Leg> here = new ArrayList<>();
        Set<String> midWay = new TreeSet<>();
        for (ActiveLeg a : active) {
            if (a.leg().venue() == venue) {
                here.add(a.leg());
                if (a.pairStatus() != PairStatus.OPEN) {
                    midWay.add(a.leg().symbol());
                }
            }
        }
        Map<String, BigDecimal> expected = Leg.signedBySymbol(here);
        List<Orphan> out = new ArrayList<>();
        beyond(account, expected, midWay)
                .forEach((symbol, extra) ->
                        out.add(new Orphan(venue, symbol, extra, expected.getOrDefault(symbol, BigDecimal.ZERO))));
        return out;
    }

    /** A leg of a pair that may hold a position, with its pair's status. */
    private record ActiveLeg(Leg leg, PairStatus pairStatus) {}

    /** Every leg of every active pair, read once per tick (after marking may have changed them). */
    private List<ActiveLeg> activeLegs() {
        List<ActiveLeg> out = new ArrayList<>();
        for (HedgePair p : store.pairs(PairStatus.active())) {
            for (Leg leg : store.legs(p.id())) {
                out.add(new ActiveLeg(leg, p.status()));
            }
        }
        return out;
    }

    /** Signed quantity per symbol beyond what the pairs account for, in the same direction. */
    static Map<String, BigDecimal> beyond(AccountState account, Map<String, BigDecimal> expected, Set<String> midWay) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        for (AccountState.Position pos : account.positions()) {
            if (midWay.contains(pos.symbol())) {
                continue;
            }
            BigDecimal known = expected.getOrDefault(pos.symbol(), BigDecimal.ZERO);
            BigDecimal extra = pos.side().signed(pos.qty()).subtract(known);
            if (extra.signum() != 0 && (known.signum() == 0 || extra.signum() == known.signum())) {
                out.put(pos.symbol(), extra);
            }
        }
        return out;
    }

    private static String fmtRatios(Map<Venue, BigDecimal> ratios) {
        Map<String, String> out = new LinkedHashMap<>();
        ratios.forEach((v, r) ->
                out.put(v.configName(), r.setScale(2, RoundingMode.HALF_EVEN).toPlainString()));
        return out.isEmpty() ? "(no margin in use)" : out.toString();
    }
}
