package dev.perptrader.trader;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Confirmation;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides and acts when the venues and the book disagree. The monitor's
 * findings make a leg SUSPECT; confirming reads spread over {@code reconcile.confirm_seconds} and
 * the venue's own fill history then decide ({@link Confirmation#decide}); only a confirmed
 * disagreement is acted on (LEG_MISSING closes the partner, LEG_SIZE_MISMATCH trims it, a flat
 * CLOSING leg is recorded closed). Positions no pair accounts for are closed when the venue's
 * history shows the bot built them, else left to the owner with their asset off limits. Before
 * every open, {@link #gate} checks that each venue holds exactly what the book expects.
 *
 * <p>Venues net positions per market, so where several pairs hold one asset
 * (trading.max_pairs_per_asset > 1) every comparison is with the sum of their legs on the market,
 * and a shortfall is judged for the market as a whole ({@link #decideShared}).
 */
public final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    /** How far back the venue's fills are searched to tell the bot's positions from the owner's. */
    private static final Duration OWNERSHIP_LOOKBACK = Duration.ofDays(1);

    private final AppConfig config;
    private final Store store;
    private final Venues venues;
    private final OrderExecutor executor;
    private final Alerts alerts;
    private final Clock clock;
    /** Confirming reads (the venue's signed position) per suspect leg, oldest first. */
    private final Map<Long, List<BigDecimal>> reads = new ConcurrentHashMap<>();

    private final Map<Long, Instant> lastRead = new ConcurrentHashMap<>();
    /** When this process began confirming each suspect leg (after a restart: when it first saw it). */
    private final Map<Long, Instant> confirmingSince = new ConcurrentHashMap<>();

    private volatile String lastGateReason;

    Reconciler(AppConfig config, Store store, Venues venues, OrderExecutor executor, Alerts alerts, Clock clock) {
        this.config = config;
        this.store = store;
        this.venues = venues;
        this.executor = executor;
        this.alerts = alerts;
        this.clock = clock;
    }

    /** Whether opening may go on, and which assets are off limits. */
    public record Gate(String blockedBecause, Set<String> blockedAssets, Map<Venue, AccountState> accounts) {
        boolean open() {
            return blockedBecause == null;
        }
    }

    // ------------------------------------------------------------------ findings

    /** Acts on one monitor tick: suspects disagreeing legs, clears the ones shown again, handles orphans. */
    void onFindings(Monitor.Findings findings) {
        for (Leg leg : findings.agreeing()) {
            cleared(leg, "the venue shows it again");
        }
        for (Monitor.Disagreement d : findings.disagreements()) {
            suspect(
                    d.leg(),
                    d.reading() + ": " + d.leg().venue().configName() + " reads "
                            + d.venueSigned().stripTrailingZeros().toPlainString() + " "
                            + d.leg().symbol() + " for a "
                            + d.leg().side() + " " + d.leg().size().toPlainString() + " leg"
                            + sharedWith(d.leg(), d.others()));
        }
        for (Monitor.Orphan o : findings.orphans()) {
            orphan(o);
        }
    }

    /** How much the book expects a venue to hold where other pairs' legs share the leg's market. */
    private static String sharedWith(Leg leg, List<Leg> others) {
        if (others.isEmpty()) {
            return "";
        }
        BigDecimal together = leg.size().add(others.stream().map(Leg::size).reduce(BigDecimal.ZERO, BigDecimal::add));
        return ", which the venue holds together with " + others.size() + " other pair(s)' legs: "
                + together.stripTrailingZeros().toPlainString() + " in all";
    }

    /** Marks a leg SUSPECT: nothing opens, and confirming reads begin. */
    void suspect(Leg leg, String reason) {
        Instant now = clock.instant();
        if (!leg.suspect()) {
            forget(leg);
            confirmingSince.put(leg.id(), now);
            alerts.raise(
                    AlertKind.LEG_SUSPECT,
                    Alerts.Level.WARN,
                    leg.pairId(),
                    leg.venue(),
                    reason
                            + "; confirming with " + config.reconcile().confirmReads() + " more read(s) over "
                            + config.reconcile().confirmWindow().toSeconds() + " s and the venue's fill history; "
                            + "no new pair opens meanwhile");
        }
        store.markSuspect(leg.id(), reason, now);
    }

    /**
     * A reduce-only close of {@code leg} was refused: if one read of the venue shows the leg gone
     * or smaller, the leg becomes SUSPECT and is confirmed (then recorded closed at the venue's own
     * closing fill) instead of being sent again and again.
     */
    void closeRefused(Leg leg, String error) {
        BigDecimal venueSigned;
        try {
            venueSigned = venues.get(leg.venue()).account().signedPosition(leg.symbol());
        } catch (ExchangeException e) {
            return;
        }
        Confirmation.Reading reading =
                Confirmation.Reading.of(leg, Confirmation.leftFor(venueSigned, Monitor.sharing(leg, openLegs())));
        if (reading != Confirmation.Reading.AGREES) {
            suspect(
                    leg,
                    "reduce-only close refused (" + error + ") and "
                            + leg.venue().configName() + " reads "
                            + venueSigned.stripTrailingZeros().toPlainString() + " " + leg.symbol() + " (" + reading
                            + "): it may already be flat");
        }
    }

    private void forget(Leg leg) {
        reads.remove(leg.id());
        lastRead.remove(leg.id());
        confirmingSince.remove(leg.id());
    }

    private void cleared(Leg leg, String why) {
        forget(leg);
        if (store.clearSuspect(leg.id(), clock.instant())) {
            LOG.info(
                    "leg {} ({} {} on {}) no longer suspect: {}",
                    leg.id(),
                    leg.side(),
                    leg.symbol(),
                    leg.venue().configName(),
                    why);
            alerts.clear(AlertKind.LEG_SUSPECT, leg.pairId(), leg.venue());
        }
    }

    // ------------------------------------------------------------------ confirmation

    /**
     * Takes the confirming reads that are due (one account read per venue for all its suspect
     * legs) and acts on what is decided. Returns the pairs to close now (a leg confirmed gone).
     *
     * <p>Where pairs on one asset share a market (trading.max_pairs_per_asset > 1), a read is
     * what the venue's position leaves for the leg once the other OPEN pairs' legs there have
     * taken theirs ({@link Monitor#sharing}), so it agrees exactly when the venue holds their sum;
     * and once every read disagreed, the market is judged as a whole
     * ({@link Confirmation#judgeShared}), never leg by leg, so one loss is never counted twice.
     */
    List<Monitor.CloseRequest> confirmDue() {
        List<Leg> suspects = store.suspectLegs();
        if (suspects.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        Map<Venue, List<Leg>> due = new TreeMap<>();
        for (Leg leg : suspects) {
            confirmingSince.putIfAbsent(leg.id(), now);
            if (!now.isBefore(nextReadAt(leg))) {
                due.computeIfAbsent(leg.venue(), v -> new ArrayList<>()).add(leg);
            }
        }
        List<Monitor.CloseRequest> toClose = new ArrayList<>();
        Set<Long> judged = new HashSet<>();
        for (Map.Entry<Venue, List<Leg>> e : due.entrySet()) {
            AccountState account;
            try {
                account = venues.get(e.getKey()).account();
            } catch (ExchangeException ex) {
                LOG.warn("cannot take a confirming read on {}: {}", e.getKey().configName(), ex.getMessage());
                continue;
            }
            List<Leg> openLegs = openLegs();
            for (Leg leg : e.getValue()) {
                if (judged.contains(leg.id()) && !reads.containsKey(leg.id())) {
                    continue; // cleared or confirmed with the other legs of its market in this pass
                }
                List<Leg> others = Monitor.sharing(leg, openLegs);
                List<BigDecimal> taken = reads.computeIfAbsent(leg.id(), id -> new ArrayList<>());
                taken.add(Confirmation.leftFor(account.signedPosition(leg.symbol()), others));
                while (taken.size() > config.reconcile().confirmReads()) {
                    taken.remove(0);
                }
                lastRead.put(leg.id(), now);
                if (!judged.contains(leg.id())) {
                    toClose.addAll(decide(leg, others, judged));
                }
            }
        }
        return toClose;
    }

    /** Every leg of every OPEN pair, as stored now. */
    private List<Leg> openLegs() {
        List<Leg> out = new ArrayList<>();
        for (HedgePair p : store.pairs(Set.of(PairStatus.OPEN))) {
            out.addAll(store.legs(p.id()));
        }
        return out;
    }

    /**
     * Reads are spread evenly over the window: read k is due at since + k × window / reads. A leg
     * still suspect after that (unexplained) is read again once per monitor interval.
     */
    private Instant nextReadAt(Leg leg) {
        int done = reads.getOrDefault(leg.id(), List.of()).size();
        int required = config.reconcile().confirmReads();
        Duration step = config.reconcile().confirmWindow().dividedBy(required);
        if (done >= required && lastRead.containsKey(leg.id())) {
            Duration slow = config.monitor().interval();
            return lastRead.get(leg.id()).plus(step.compareTo(slow) > 0 ? step : slow);
        }
        return confirmingSince.get(leg.id()).plus(step.multipliedBy(done + 1));
    }

    /**
     * Acts on a suspect leg's reads: clears it, waits, or (every read disagreed) judges it with the
     * venue's history; a leg whose market other OPEN pairs' legs share is judged with them
     * ({@link #decideShared}), and their ids are added to {@code judged}.
     */
    private List<Monitor.CloseRequest> decide(Leg leg, List<Leg> others, Set<Long> judged) {
        List<BigDecimal> taken = reads.getOrDefault(leg.id(), List.of());
        Optional<Confirmation.Verdict> early = Confirmation.progress(
                leg,
                taken,
                config.reconcile().confirmReads(),
                confirmingSince.get(leg.id()),
                clock.instant(),
                config.reconcile().confirmWindow());
        if (early.isPresent()) {
            if (early.get() instanceof Confirmation.Cleared) {
                cleared(leg, "a confirming read shows it");
            }
            return List.of();
        }
        if (!others.isEmpty()) {
            return decideShared(leg, others, taken, judged);
        }
        // Every read disagreed: only now ask the venue's history what happened.
        HedgePair pair = store.pair(leg.pairId()).orElseThrow();
        Optional<List<VenueFill>> history;
        try {
            Instant since = pair.openedAt() != null ? pair.openedAt() : pair.createdAt();
            history = venues.get(leg.venue()).fillsSince(leg.symbol(), since);
        } catch (ExchangeException e) {
            LOG.warn(
                    "cannot read {}'s fill history to confirm leg {}: {}",
                    leg.venue().configName(),
                    leg.id(),
                    e.getMessage());
            return List.of();
        }
        Confirmation.Verdict verdict = Confirmation.judge(
                leg, taken, history, f -> store.sentOrder(leg.venue(), f.clientId(), f.venueOrderId()));
        verdict = flatWhileClosing(pair, leg, taken, verdict);
        if (verdict instanceof Confirmation.Unexplained u) {
            unexplained(pair, leg, u);
            return List.of();
        }
        if (verdict instanceof Confirmation.Confirmed c) {
            forget(leg);
            return confirmed(pair, leg, c).stream().toList();
        }
        throw new AssertionError(verdict);
    }

    /**
     * An unexplained leg of a CLOSING pair that every read says is flat, and whose reduce-only
     * close the venue refused: two signs from the venue, so it is recorded closed at the last mark
     * for the owner to check. Any other verdict is returned as it is.
     */
    private Confirmation.Verdict flatWhileClosing(
            HedgePair pair, Leg leg, List<BigDecimal> taken, Confirmation.Verdict verdict) {
        if (verdict instanceof Confirmation.Unexplained u
                && pair.status() == PairStatus.CLOSING
                && store.snapshot(pair.id()).confirmingFlat(leg)) {
            // Closing anyway, every read says flat and the venue refused the reduce-only close:
            // two signs from the venue; record it at the last mark for the owner to check.
            BigDecimal latest = taken.get(taken.size() - 1);
            return new Confirmation.Confirmed(
                    latest.multiply(leg.side().sign()).max(BigDecimal.ZERO),
                    null,
                    BigDecimal.ZERO,
                    false,
                    u.why() + "; the venue also refused its reduce-only close");
        }
        return verdict;
    }

    private void unexplained(HedgePair pair, Leg leg, Confirmation.Unexplained u) {
        alerts.raise(
                AlertKind.LEG_SUSPECT,
                Alerts.Level.ERROR,
                pair.id(),
                leg.venue(),
                leg.side() + " "
                        + leg.size().toPlainString() + " " + leg.symbol() + ": " + u.why()
                        + "; not acting on it and "
                        + "opening nothing until it is explained: check the position on the venue by hand");
    }

    /**
     * Judges a market several pairs' legs share on one venue, once every read of {@code leg}
     * disagreed: the venue holds less than their sum. A single pair's rules, applied to the sum
     * ({@link Confirmation#judgeShared}): a difference the venue's history does not explain moves
     * nothing (LEG_SUSPECT ERROR for every leg, nothing opens); nothing left closes every pair
     * (LEG_MISSING); a difference of exactly one leg's size is that leg gone and its pair closed,
     * the others cleared. A difference no one leg explains cannot be told to one pair: rather than
     * trim a partner on a guess, it is recorded against the legs (a pair already closing first,
     * then the oldest) and every OPEN pair on the market is closed with its partner
     * (LEG_SIZE_MISMATCH), so the asset ends flat and no leg is left naked.
     */
    private List<Monitor.CloseRequest> decideShared(
            Leg leg, List<Leg> others, List<BigDecimal> taken, Set<Long> judged) {
        Map<Long, HedgePair> pairs = new LinkedHashMap<>();
        List<Leg> group = new ArrayList<>();
        group.add(leg);
        group.addAll(others);
        group.forEach(l -> pairs.put(l.pairId(), store.pair(l.pairId()).orElseThrow()));
        // a loss is taken first from a pair already closing, then from the oldest
        group.sort(Comparator.comparing((Leg l) -> pairs.get(l.pairId()).status() == PairStatus.OPEN)
                .thenComparingLong(Leg::pairId));
        Instant since = pairs.values().stream()
                .map(p -> p.openedAt() != null ? p.openedAt() : p.createdAt())
                .min(Comparator.naturalOrder())
                .orElseThrow();
        Optional<List<VenueFill>> history;
        try {
            history = venues.get(leg.venue()).fillsSince(leg.symbol(), since);
        } catch (ExchangeException e) {
            LOG.warn(
                    "cannot read {}'s fill history to confirm leg {}: {}",
                    leg.venue().configName(),
                    leg.id(),
                    e.getMessage());
            return List.of();
        }
        BigDecimal othersSigned = others.stream().map(Leg::signedSize).reduce(BigDecimal.ZERO, BigDecimal::add);
        List<BigDecimal> venueReads =
                taken.stream().map(r -> r.add(othersSigned)).toList();
        Confirmation.Shared shared = Confirmation.judgeShared(
                group, venueReads, history, f -> store.sentOrder(leg.venue(), f.clientId(), f.venueOrderId()));
        List<Monitor.CloseRequest> toClose = new ArrayList<>();
        for (Leg l : group) {
            judged.add(l.id());
            HedgePair pair = pairs.get(l.pairId());
            Confirmation.Verdict verdict = shared.byLeg().get(l.id());
            if (l.id() == leg.id()) {
                verdict = flatWhileClosing(pair, l, taken, verdict);
            }
            if (verdict instanceof Confirmation.Cleared) {
                cleared(l, "the venue holds it with the other pairs' legs on " + l.symbol());
            } else if (verdict instanceof Confirmation.Unexplained u) {
                unexplained(pair, l, u);
            } else if (verdict instanceof Confirmation.Confirmed c) {
                forget(l);
                if (shared.closeEvery()) {
                    record(pair, l, c);
                } else {
                    confirmed(pair, l, c).ifPresent(toClose::add);
                }
            } else {
                throw new AssertionError(verdict);
            }
        }
        if (shared.closeEvery()) {
            BigDecimal sum = group.stream().map(Leg::size).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal held = venueReads.get(venueReads.size() - 1);
            for (HedgePair pair : pairs.values()) {
                if (pair.status() != PairStatus.OPEN) {
                    continue;
                }
                alerts.raise(
                        AlertKind.LEG_SIZE_MISMATCH,
                        Alerts.Level.ERROR,
                        pair.id(),
                        leg.venue(),
                        leg.venue().configName() + " holds "
                                + held.stripTrailingZeros().toPlainString() + " " + leg.symbol()
                                + " where " + pairs.size() + " pairs' legs hold "
                                + sum.stripTrailingZeros().toPlainString()
                                + "; no one leg is the size of the difference, so it cannot be told to one pair: "
                                + "closing every open pair on " + pair.asset() + " with its partner");
                toClose.add(new Monitor.CloseRequest(
                        store.pair(pair.id()).orElseThrow(),
                        "LEG_SIZE_MISMATCH: " + leg.venue().configName() + " holds less " + leg.symbol() + " than the "
                                + pairs.size() + " pairs on it"));
            }
        }
        return toClose;
    }

    /**
     * Records what the venue confirmed: the leg down to what it holds, at the closing fill's price
     * (the last mark, with CLOSED_WITHOUT_FILL, when no fill is known) and fee; no longer suspect.
     */
    private void record(HedgePair pair, Leg leg, Confirmation.Confirmed c) {
        BigDecimal price = c.price() != null ? c.price() : leg.markPrice() != null ? leg.markPrice() : leg.entryPrice();
        store.recordVenueReduction(leg.id(), c.venueHeld(), price, c.feeUsd(), clock.instant());
        alerts.clear(AlertKind.LEG_SUSPECT, pair.id(), leg.venue());
        if (c.price() == null) {
            alerts.raise(
                    AlertKind.CLOSED_WITHOUT_FILL,
                    Alerts.Level.WARN,
                    pair.id(),
                    leg.venue(),
                    what(leg)
                            + ": the venue shows no fill that closed "
                            + leg.size().subtract(c.venueHeld()).toPlainString()
                            + "; recorded at the last mark " + (price == null ? "-" : price.toPlainString())
                            + ": check the venue's history and the pair's figures by hand");
        }
    }

    private static String what(Leg leg) {
        return leg.side() + " " + leg.symbol() + " on " + leg.venue().configName();
    }

    /**
     * Records a confirmed reduction, then acts as a single pair does: a CLOSING pair's leg is
     * recorded closed; an OPEN pair whose leg shrank turns UNHEDGED and its partner is trimmed; an
     * OPEN pair whose leg is gone is closed (LEG_MISSING).
     */
    private Optional<Monitor.CloseRequest> confirmed(HedgePair pair, Leg leg, Confirmation.Confirmed c) {
        Instant now = clock.instant();
        record(pair, leg, c);
        String what = what(leg);
        if (pair.status() == PairStatus.CLOSING) {
            LOG.warn(
                    "pair {}: {} is already {} on the venue ({}); recorded closed",
                    pair.id(),
                    what,
                    c.venueHeld().signum() == 0
                            ? "flat"
                            : "down to " + c.venueHeld().toPlainString(),
                    c.how());
            return Optional.empty();
        }
        if (pair.status() != PairStatus.OPEN) {
            return Optional.empty();
        }
        if (c.venueHeld().signum() > 0) {
            store.transition(pair.id(), PairStatus.OPEN, PairStatus.UNHEDGED, now);
            alerts.raise(
                    AlertKind.LEG_SIZE_MISMATCH,
                    Alerts.Level.ERROR,
                    pair.id(),
                    leg.venue(),
                    what + ": venue holds "
                            + c.venueHeld().toPlainString() + " of "
                            + leg.size().toPlainString() + " (" + c.how()
                            + "); trimming the other leg to match");
            return Optional.empty();
        }
        alerts.raise(
                AlertKind.LEG_MISSING,
                Alerts.Level.ERROR,
                pair.id(),
                leg.venue(),
                leg.side() + " "
                        + leg.size().toPlainString() + " " + leg.symbol() + " is no longer on the venue ("
                        + (c.liquidation() ? "liquidated: " : "") + c.how() + "); closing the other leg");
        return Optional.of(new Monitor.CloseRequest(
                store.pair(pair.id()).orElseThrow(),
                "LEG_MISSING: " + leg.side() + " leg on " + leg.venue().configName()
                        + (c.liquidation() ? " liquidated" : " vanished")));
    }

    // ------------------------------------------------------------------ orphans

    /**
     * A position no pair accounts for. If the venue's fills show the bot's own orders built it, it
     * is the bot's and is closed reduce-only; otherwise it is the owner's: reported, and closed
     * only with {@code reconcile.close_orphans} after a second read. Either way its asset is off
     * limits for new pairs until it is gone (see {@link #gate}).
     */
    private void orphan(Monitor.Orphan o) {
        BigDecimal extra = o.extra();
        OrderSide closing = extra.signum() > 0 ? OrderSide.SELL : OrderSide.BUY;
        boolean ours = builtByUs(o);
        boolean close = ours || config.reconcile().closeOrphans();
        alerts.raise(
                AlertKind.ORPHAN_POSITION,
                Alerts.Level.WARN,
                null,
                o.venue(),
                o.symbol(),
                "venue holds "
                        + extra.abs().add(o.known().abs()).toPlainString() + " "
                        + (extra.signum() > 0 ? "LONG" : "SHORT")
                        + " " + o.symbol() + ", pairs account for "
                        + o.known().abs().toPlainString() + ": "
                        + extra.abs().toPlainString() + " belongs to no pair; "
                        + (ours
                                ? "the venue's fills show the bot's own orders built it: closing it reduce-only"
                                : close
                                        ? "closing it reduce-only (reconcile.close_orphans)"
                                        : "left to the owner (close it by hand if it is not yours to keep); no new pair opens on it"));
        if (!close || !executor.orphanOrdersSettled(o.venue(), o.symbol())) {
            return;
        }
        BigDecimal again;
        try {
            again = venues.get(o.venue()).account().signedPosition(o.symbol()).subtract(o.known());
        } catch (ExchangeException e) {
            return;
        }
        if (again.compareTo(extra) == 0) {
            executor.closeOrphan(
                    o.venue(),
                    o.symbol(),
                    closing,
                    extra.abs(),
                    ours ? "built by the bot's own orders" : "reconcile.close_orphans");
        }
    }

    /**
     * Whether the bot's own orders built this position: the net of the venue's fills on the
     * market over the last day that carry the bot's client or order ids, beyond what the pairs
     * hold, covers the orphan in its direction. Size alone never decides: the owner may hold the
     * same size by hand.
     */
    private boolean builtByUs(Monitor.Orphan o) {
        Optional<List<VenueFill>> fills;
        try {
            fills = venues.get(o.venue()).fillsSince(o.symbol(), clock.instant().minus(OWNERSHIP_LOOKBACK));
        } catch (ExchangeException e) {
            return false;
        }
        if (fills.isEmpty()) {
            return false;
        }
        BigDecimal ourNet = BigDecimal.ZERO;
        for (VenueFill f : fills.get()) {
            if (!f.liquidation() && store.sentOrder(o.venue(), f.clientId(), f.venueOrderId())) {
                ourNet =
                        ourNet.add(f.side() == OrderSide.BUY ? f.qty() : f.qty().negate());
            }
        }
        BigDecimal ourExtra = ourNet.subtract(o.known());
        return ourExtra.signum() == o.extra().signum()
                && ourExtra.abs().compareTo(o.extra().abs()) >= 0;
    }

    // ------------------------------------------------------------------ the gate

    /**
     * Checked before every open, on fresh account reads: nothing opens while a leg is SUSPECT,
     * while any venue cannot be read, or while any venue's position on an asset the bot holds
     * pairs on differs from the book (the sum of every active pair's legs on the market) by more
     * than one step. Positions the bot cannot explain block
     * only their own asset. The reason is stored for {@code status}.
     */
    Gate gate() {
        Instant now = clock.instant();
        List<Leg> suspects = store.suspectLegs();
        Map<Venue, AccountState> accounts = new TreeMap<>();
        Set<String> blockedAssets = new TreeSet<>();
        String reason = null;
        if (!suspects.isEmpty()) {
            Leg s = suspects.get(0);
            reason = "leg " + s.id() + " of pair " + s.pairId() + " (" + s.side() + " " + s.symbol() + " on "
                    + s.venue().configName() + ") is SUSPECT: " + s.suspectReason();
        } else {
            Map<Venue, Map<String, BigDecimal>> book = bookBySymbol();
            for (Venue v : venues.all()) {
                PerpExchange ex = venues.get(v);
                try {
                    AccountState account = ex.account();
                    accounts.put(v, account);
                    Map<String, MarketRules> bySymbol = bySymbol(ex.markets());
                    String mismatch = mismatch(v, account, book.getOrDefault(v, Map.of()), bySymbol, blockedAssets);
                    if (mismatch != null && reason == null) {
                        reason = mismatch;
                    }
                } catch (ExchangeException e) {
                    reason = reason != null ? reason : "cannot read " + v.configName() + ": " + e.getMessage();
                }
            }
        }
        store.recordGate(
                reason != null
                        ? reason
                        : blockedAssets.isEmpty()
                                ? null
                                : "positions the bot cannot explain keep " + blockedAssets + " off limits",
                now);
        if (reason != null && !reason.equals(lastGateReason)) {
            LOG.warn("not opening: {}", reason);
        }
        lastGateReason = reason;
        return new Gate(reason, blockedAssets, accounts);
    }

    /** What the book expects each venue to hold, signed, per symbol, over every active pair. */
    private Map<Venue, Map<String, BigDecimal>> bookBySymbol() {
        Map<Venue, List<Leg>> legs = new TreeMap<>();
        for (HedgePair p : store.pairs(PairStatus.active())) {
            store.legs(p.id())
                    .forEach(l -> legs.computeIfAbsent(l.venue(), v -> new ArrayList<>())
                            .add(l));
        }
        Map<Venue, Map<String, BigDecimal>> out = new TreeMap<>();
        legs.forEach((v, l) -> out.put(v, Leg.signedBySymbol(l)));
        return out;
    }

    /**
     * The first market where the venue and the book differ by more than one step (null if none);
     * positions on markets the book has nothing on add their asset to {@code blockedAssets}.
     */
    private static String mismatch(
            Venue v,
            AccountState account,
            Map<String, BigDecimal> book,
            Map<String, MarketRules> bySymbol,
            Set<String> blockedAssets) {
        Set<String> symbols = new HashSet<>(book.keySet());
        account.positions().forEach(p -> symbols.add(p.symbol()));
        String first = null;
        for (String symbol : new TreeSet<>(symbols)) {
            BigDecimal expected = book.getOrDefault(symbol, BigDecimal.ZERO);
            BigDecimal held = account.signedPosition(symbol);
            MarketRules rules = bySymbol.get(symbol);
            BigDecimal step = rules == null ? BigDecimal.ZERO : rules.stepSize();
            if (held.subtract(expected).abs().compareTo(step) <= 0) {
                continue;
            }
            if (expected.signum() == 0) {
                blockedAssets.add(rules == null ? symbol : rules.asset());
            } else if (first == null) {
                first = "book and venue disagree on " + symbol + " at " + v.configName() + ": the book expects "
                        + expected.stripTrailingZeros().toPlainString() + ", the venue holds "
                        + held.stripTrailingZeros().toPlainString();
            }
        }
        return first;
    }

    private static Map<String, MarketRules> bySymbol(Map<String, MarketRules> markets) {
        Map<String, MarketRules> out = new LinkedHashMap<>();
        markets.values().forEach(r -> out.put(r.symbol(), r));
        return out;
    }
}
