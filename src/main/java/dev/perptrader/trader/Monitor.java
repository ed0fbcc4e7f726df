package dev.perptrader.trader;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Pnl;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Marks every open pair: one quotes call and one account call per venue per tick, however many
 * pairs are open. Stores marks and unrealized PnL, raises LOW_COLLATERAL, PNL_DIVERGENCE and
 * LEG_MISSING, and says which pairs must be closed now (protective close, vanished leg).
 */
public final class Monitor {
    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

    /** A pair the monitor wants closed, and why. */
    public record CloseRequest(HedgePair pair, String reason) {
    }

    private final AppConfig config;
    private final Store store;
    private final Venues venues;
    private final Alerts alerts;
    private final Clock clock;
    private final OrphanCloser orphanCloser;

    Monitor(AppConfig config, Store store, Venues venues, Alerts alerts, Clock clock) {
        this.config = config;
        this.store = store;
        this.venues = venues;
        this.alerts = alerts;
        this.clock = clock;
        this.orphanCloser = new OrphanCloser(store, venues, clock);
    }

    /** One monitoring pass over all OPEN pairs. Returns the pairs to close now. */
    public List<CloseRequest> tick() {
        Instant now = clock.instant();
        List<HedgePair> pairs = store.pairs(Set.of(PairStatus.OPEN));
        Map<Long, List<Leg>> legsByPair = new LinkedHashMap<>();
        Map<Venue, Set<String>> symbols = new EnumMap<>(Venue.class);
        for (HedgePair p : pairs) {
            List<Leg> legs = store.legs(p.id());
            legsByPair.put(p.id(), legs);
            for (Leg leg : legs) {
                symbols.computeIfAbsent(leg.venue(), v -> new TreeSet<>()).add(leg.symbol());
            }
        }
        Map<Venue, Map<String, PerpExchange.Quote>> quotes = new EnumMap<>(Venue.class);
        Map<Venue, AccountState> accounts = new EnumMap<>(Venue.class);
        for (Venue v : venues.all()) {
            try {
                Set<String> wanted = symbols.getOrDefault(v, Set.of());
                if (!wanted.isEmpty()) {
                    quotes.put(v, venues.get(v).quotes(wanted));
                }
                accounts.put(v, venues.get(v).account());
                alerts.clear(AlertKind.VENUE_DOWN, null, v);
            } catch (ExchangeException ex) {
                alerts.raise(AlertKind.VENUE_DOWN, Alerts.Level.WARN, null, v,
                        "cannot mark positions this tick: " + ex.getMessage());
            }
        }
        Map<Venue, BigDecimal> ratios = new EnumMap<>(Venue.class);
        List<CloseRequest> toClose = new ArrayList<>();
        for (Map.Entry<Venue, AccountState> e : accounts.entrySet()) {
            BigDecimal ratio = Pnl.collateralRatio(e.getValue().equity(), e.getValue().maintenanceMargin());
            if (ratio != null) {
                ratios.put(e.getKey(), ratio);
            }
        }
        for (HedgePair pair : pairs) {
            markPair(pair, legsByPair.get(pair.id()), quotes, accounts, ratios, now).ifPresent(toClose::add);
        }
        for (Map.Entry<Venue, BigDecimal> e : ratios.entrySet()) {
            checkCollateral(e.getKey(), e.getValue(), pairs, legsByPair, toClose);
        }
        List<ActiveLeg> active = activeLegs();
        accounts.forEach((venue, account) -> reportOrphans(venue, account, active));
        if (!pairs.isEmpty()) {
            LOG.info("monitor: {} open pair(s), collateral ratios {}", pairs.size(), fmtRatios(ratios));
        }
        return toClose;
    }

    private Optional<CloseRequest> markPair(HedgePair pair, List<Leg> legs,
                                            Map<Venue, Map<String, PerpExchange.Quote>> quotes,
                                            Map<Venue, AccountState> accounts, Map<Venue, BigDecimal> ratios,
                                            Instant now) {
        Map<Side, BigDecimal> marks = new EnumMap<>(Side.class);
        Map<Side, BigDecimal> upnls = new EnumMap<>(Side.class);
        for (Leg leg : legs) {
            AccountState account = accounts.get(leg.venue());
            PerpExchange.Quote q = quotes.getOrDefault(leg.venue(), Map.of()).get(leg.symbol());
            if (account == null || q == null) {
                continue;
            }
            AccountState second = holds(account, leg) ? null : requery(leg.venue());
            if (second != null && !holds(second, leg)) {
                BigDecimal venueHeld = second.position(leg.symbol()).filter(p -> p.side() == leg.side())
                        .map(AccountState.Position::qty).orElse(BigDecimal.ZERO);
                store.recordVenueReduction(leg.id(), venueHeld, q.markPrice(), now);
                if (venueHeld.signum() > 0) {
                    store.transition(pair.id(), PairStatus.OPEN, PairStatus.UNHEDGED, now);
                    alerts.raise(AlertKind.LEG_SIZE_MISMATCH, Alerts.Level.ERROR, pair.id(), leg.venue(),
                            leg.side() + " " + leg.symbol() + ": venue holds " + venueHeld.toPlainString() + " of "
                                    + leg.size().toPlainString() + " (partly liquidated or closed by hand); "
                                    + "trimming the other leg to match");
                    return Optional.empty();
                }
                alerts.raise(AlertKind.LEG_MISSING, Alerts.Level.ERROR, pair.id(), leg.venue(),
                        leg.side() + " " + leg.size().toPlainString() + " " + leg.symbol()
                                + " is no longer on the venue (liquidated or closed by hand); closing the other leg");
                return Optional.of(new CloseRequest(pair, "LEG_MISSING: " + leg.side() + " leg on "
                        + leg.venue().configName() + " vanished"));
            }
            BigDecimal upnl = Pnl.unrealized(leg.side(), leg.size(), leg.entryPrice(), q.markPrice());
            store.updateLegMark(leg.id(), q.markPrice(), upnl, now);
            marks.put(leg.side(), q.markPrice());
            upnls.put(leg.side(), upnl);
        }
        if (upnls.size() < 2) {
            return Optional.empty();
        }
        BigDecimal divergence = Pnl.divergence(upnls.get(Side.LONG), upnls.get(Side.SHORT), pair.notional());
        store.insertMark(new Store.Mark(pair.id(), now, marks.get(Side.LONG), marks.get(Side.SHORT),
                upnls.get(Side.LONG), upnls.get(Side.SHORT), ratios.get(pair.longVenue()),
                ratios.get(pair.shortVenue()), divergence));
        LOG.info("pair {} {}: long {} @ {} pnl {}, short {} @ {} pnl {}, divergence {}%", pair.id(), pair.asset(),
                pair.longVenue().configName(), marks.get(Side.LONG), Money.usd(upnls.get(Side.LONG)),
                pair.shortVenue().configName(), marks.get(Side.SHORT), Money.usd(upnls.get(Side.SHORT)),
                divergence.movePointRight(2).setScale(3, RoundingMode.HALF_EVEN));
        if (divergence.compareTo(config.trading().maxPnlDivergence()) > 0) {
            alerts.raise(AlertKind.PNL_DIVERGENCE, Alerts.Level.WARN, pair.id(), null,
                    "|long pnl + short pnl| / notional = " + divergence.setScale(4, RoundingMode.HALF_EVEN)
                            + " > " + config.trading().maxPnlDivergence());
        }
        return Optional.empty();
    }

    private void checkCollateral(Venue venue, BigDecimal ratio, List<HedgePair> pairs,
                                 Map<Long, List<Leg>> legsByPair, List<CloseRequest> toClose) {
        if (ratio.compareTo(config.trading().minCollateralRatio()) >= 0) {
            return;
        }
        boolean critical = ratio.compareTo(config.monitor().criticalCollateralRatio()) < 0;
        alerts.raise(AlertKind.LOW_COLLATERAL, critical ? Alerts.Level.ERROR : Alerts.Level.WARN, null, venue,
                "collateral ratio " + ratio.setScale(3, RoundingMode.HALF_EVEN) + " < "
                        + config.trading().minCollateralRatio()
                        + (critical ? " and below critical " + config.monitor().criticalCollateralRatio()
                        + ": closing its pairs" : ""));
        if (!critical) {
            return;
        }
        for (HedgePair pair : pairs) {
            boolean onVenue = pair.longVenue() == venue || pair.shortVenue() == venue;
            boolean already = toClose.stream().anyMatch(c -> c.pair().id() == pair.id());
            boolean stillHeld = legsByPair.get(pair.id()).stream().anyMatch(Leg::holdsPosition);
            if (onVenue && !already && stillHeld) {
                alerts.raise(AlertKind.PROTECTIVE_CLOSE, Alerts.Level.ERROR, pair.id(), venue,
                        "collateral ratio " + ratio.setScale(3, RoundingMode.HALF_EVEN)
                                + " below critical; closing the pair early");
                toClose.add(new CloseRequest(pair, "PROTECTIVE: collateral ratio on " + venue.configName()
                        + " " + ratio.setScale(3, RoundingMode.HALF_EVEN)));
            }
        }
    }

    /**
     * Positions the venue holds beyond what active pairs account for (opened by hand, by another
     * tool, or left by a lost record): ORPHAN_POSITION. Left untouched unless
     * {@code reconcile.close_orphans}, then closed reduce-only after a second read confirms them.
     * Symbols with a pair mid-way (OPENING, CLOSING, UNHEDGED) are skipped: their orders are
     * being resolved.
     */
    private void reportOrphans(Venue venue, AccountState account, List<ActiveLeg> active) {
        Map<String, BigDecimal> expected = new LinkedHashMap<>();
        Set<String> midWay = new TreeSet<>();
        for (ActiveLeg a : active) {
            Leg leg = a.leg();
            if (leg.venue() != venue) {
                continue;
            }
            if (a.pairStatus() != PairStatus.OPEN) {
                midWay.add(leg.symbol());
            }
            expected.merge(leg.symbol(), leg.side().sign().multiply(leg.size()), BigDecimal::add);
        }
        boolean close = config.reconcile().closeOrphans();
        for (Map.Entry<String, BigDecimal> orphan : orphans(account, expected, midWay).entrySet()) {
            String symbol = orphan.getKey();
            BigDecimal extra = orphan.getValue();
            BigDecimal known = expected.getOrDefault(symbol, BigDecimal.ZERO).abs();
            alerts.raise(AlertKind.ORPHAN_POSITION, Alerts.Level.WARN, null, venue, symbol, "venue holds "
                    + extra.abs().add(known).toPlainString() + " " + (extra.signum() > 0 ? "LONG" : "SHORT") + " "
                    + symbol + ", pairs account for " + known.toPlainString() + ": " + extra.abs().toPlainString()
                    + " belongs to no pair; " + (close ? "closing it reduce-only (reconcile.close_orphans)"
                    : "left untouched (close it by hand if it is not yours to keep)"));
            if (close && orphanCloser.settled(venue, symbol)) {
                AccountState again = requery(venue);
                BigDecimal confirmed = again == null ? null : orphans(again, expected, midWay).get(symbol);
                if (confirmed != null && confirmed.compareTo(extra) == 0) {
                    orphanCloser.close(venue, symbol, extra.signum() > 0 ? OrderSide.SELL : OrderSide.BUY, extra.abs());
                }
            }
        }
    }

    /** A leg of a pair that may hold a position, with its pair's status. */
    private record ActiveLeg(Leg leg, PairStatus pairStatus) {
    }

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
    private static Map<String, BigDecimal> orphans(AccountState account, Map<String, BigDecimal> expected,
                                                   Set<String> midWay) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        for (AccountState.Position pos : account.positions()) {
            if (midWay.contains(pos.symbol())) {
                continue;
            }
            BigDecimal known = expected.getOrDefault(pos.symbol(), BigDecimal.ZERO);
            BigDecimal extra = pos.side().sign().multiply(pos.qty()).subtract(known);
            if (extra.signum() != 0 && (known.signum() == 0 || extra.signum() == known.signum())) {
                out.put(pos.symbol(), extra);
            }
        }
        return out;
    }

    /** Whether the venue shows this leg: same symbol, same side, at least the leg's size. */
    private static boolean holds(AccountState account, Leg leg) {
        if (account == null) {
            return true;
        }
        return account.position(leg.symbol())
                .filter(p -> p.side() == leg.side() && p.qty().compareTo(leg.size()) >= 0)
                .isPresent();
    }

    /** A second read before acting on a leg that seems short; null if the venue cannot answer. */
    private AccountState requery(Venue venue) {
        try {
            return venues.get(venue).account();
        } catch (ExchangeException e) {
            return null;
        }
    }

    private static String fmtRatios(Map<Venue, BigDecimal> ratios) {
        Map<String, String> out = new LinkedHashMap<>();
        ratios.forEach((v, r) -> out.put(v.configName(), r.setScale(2, RoundingMode.HALF_EVEN).toPlainString()));
        return out.isEmpty() ? "(no margin in use)" : out.toString();
    }
}
