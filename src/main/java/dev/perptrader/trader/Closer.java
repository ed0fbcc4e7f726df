package dev.perptrader.trader;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairResult;
import dev.perptrader.domain.PairSnapshot;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unwinds pairs: CLOSING is committed first, then both legs get reduce-only market orders at
 * once. A leg that does not close stays CLOSING and is retried with backoff; a close that takes
 * too long raises CLOSE_STUCK. When both legs are flat the pair is CLOSED with its figures.
 */
public final class Closer {
    private static final Logger LOG = LoggerFactory.getLogger(Closer.class);

    /** Whether a close attempt finished. */
    public enum Outcome {
        CLOSED,
        RETRYING
    }

    private final AppConfig config;
    private final Store store;
    private final Venues venues;
    private final OrderExecutor executor;
    private final Alerts alerts;
    private final Clock clock;
    private final ExecutorService io;
    private final Backoff backoff;
    private final Reconciler reconciler;
    private final MakerEntry maker;

    Closer(
            AppConfig config,
            Store store,
            Venues venues,
            OrderExecutor executor,
            Alerts alerts,
            Clock clock,
            ExecutorService io,
            Reconciler reconciler,
            MakerEntry maker) {
        this.config = config;
        this.store = store;
        this.venues = venues;
        this.executor = executor;
        this.alerts = alerts;
        this.clock = clock;
        this.io = io;
        this.backoff = new Backoff(config.closer().retryBase(), config.closer().retryMax());
        this.reconciler = reconciler;
        this.maker = maker;
    }

    /** The close reason of a pair that reached its planned end: the one a maker-first exit may take. */
    static final String EXPIRED = "EXPIRED";

    /**
     * Commits CLOSING with {@code reason}, then makes a first attempt. A pair that expired, with
     * {@code trading.exit = maker_first}, is first closed maker-first (see {@link MakerEntry});
     * what that leaves is closed with market orders. Every other close is taker at once.
     */
    public Outcome close(HedgePair pair, String reason) {
        store.markClosing(pair.id(), pair.status(), reason, clock.instant());
        LOG.info("closing pair {} ({}): {}", pair.id(), pair.asset(), reason);
        if (EXPIRED.equals(reason) && config.trading().orders().exit() == AppConfig.OrderStyle.MAKER_FIRST) {
            try {
                closeMakerFirst(pair);
            } catch (RuntimeException e) {
                LOG.warn(
                        "pair {}: maker-first exit stopped: {}; closing with market orders", pair.id(), e.getMessage());
            }
        }
        return attempt(store.pair(pair.id()).orElseThrow());
    }

    /**
     * Rests a reduce-only post-only order for the leg on the exit's maker venue and closes the
     * other leg fill by fill; nothing when the legs differ or no venue can rest such an order.
     */
    private void closeMakerFirst(HedgePair pair) {
        Optional<Venue> restOn = maker.exitMakerVenue();
        if (restOn.isEmpty()) {
            LOG.info(
                    "pair {}: neither venue can rest a post-only reduce-only order; closing with market orders",
                    pair.id());
            return;
        }
        PairSnapshot s = store.snapshot(pair.id());
        Leg makerLeg = s.legs().stream()
                .filter(l -> l.venue() == restOn.get())
                .findFirst()
                .orElseThrow();
        Leg hedgeLeg = s.legs().stream()
                .filter(l -> l.id() != makerLeg.id())
                .findFirst()
                .orElseThrow();
        if (makerLeg.size().compareTo(hedgeLeg.size()) != 0 || makerLeg.size().signum() == 0) {
            return;
        }
        MarketRules makerRules = venues.get(makerLeg.venue()).markets().get(pair.asset());
        MarketRules hedgeRules = venues.get(hedgeLeg.venue()).markets().get(pair.asset());
        if (makerRules == null || hedgeRules == null) {
            return;
        }
        maker.run(
                pair.id(),
                makerLeg.size(),
                new MakerEntry.Side(makerLeg, venues.get(makerLeg.venue()), makerRules),
                new MakerEntry.Side(hedgeLeg, venues.get(hedgeLeg.venue()), hedgeRules),
                MakerEntry.Kind.EXIT);
    }

    /** Whether a CLOSING pair is due for another attempt. */
    boolean due(HedgePair pair) {
        return backoff.due(pair.id(), clock.instant());
    }

    /** One attempt to bring both legs of a CLOSING pair to flat. */
    public Outcome attempt(HedgePair pair) {
        if (pair.status() != PairStatus.CLOSING) {
            throw new IllegalArgumentException("pair " + pair.id() + " is " + pair.status() + ", not CLOSING");
        }
        try {
            if (executor.resolveAll(pair.id())) {
                List<CompletableFuture<OrderRecord>> closes = new ArrayList<>();
                PairSnapshot before = store.snapshot(pair.id());
                for (Leg leg : before.legs()) {
                    // A suspect leg is closed reduce-only like any other (a reduce-only order takes
                    // only what the venue really holds); only one whose close was refused waits.
                    if (leg.holdsPosition() && !before.confirmingFlat(leg)) {
                        closes.add(CompletableFuture.supplyAsync(
                                () -> executor.reduce(leg, OrderPurpose.CLOSE, leg.size()), io));
                    }
                }
                CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new))
                        .join();
                PairSnapshot after = store.snapshot(pair.id());
                for (OrderRecord o :
                        closes.stream().map(CompletableFuture::join).toList()) {
                    if (o.status() == OrderStatus.REJECTED) {
                        reconciler.closeRefused(
                                after.legs().stream()
                                        .filter(l -> l.id() == o.legId())
                                        .findFirst()
                                        .orElseThrow(),
                                o.error());
                    }
                }
                if (after.legs().stream().noneMatch(Leg::holdsPosition)) {
                    // a pair ends with its figures: every fill's price and fee read first
                    if (after.priced() || executor.priceAll(pair.id())) {
                        // read again only if pricing changed the figures
                        finish(after.priced() ? after : store.snapshot(pair.id()));
                        backoff.succeeded(pair.id());
                        return Outcome.CLOSED;
                    }
                    LOG.info("pair {}: both legs are flat; CLOSED once its fills' prices and fees are read", pair.id());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("close attempt for pair {} failed: {}", pair.id(), e.getMessage());
        }
        Instant now = clock.instant();
        Instant since = backoff.failed(pair.id(), now);
        Duration stuckFor = Duration.between(since, now);
        List<String> open = store.legs(pair.id()).stream()
                .filter(Leg::holdsPosition)
                .map(l -> l.side() + " " + l.size().toPlainString() + " on "
                        + l.venue().configName())
                .toList();
        LOG.warn("pair {} not closed yet (still open: {}); retrying with backoff", pair.id(), open);
        if (stuckFor.compareTo(config.closer().stuckAlertAfter()) >= 0) {
            alerts.raise(
                    AlertKind.CLOSE_STUCK,
                    Alerts.Level.ERROR,
                    pair.id(),
                    null,
                    "closing for " + stuckFor.toMinutes() + " min, still open: " + open);
        }
        return Outcome.RETRYING;
    }

    /** Both legs are flat: fetch funding for the pair's life, store the figures, CLOSED. */
    private void finish(PairSnapshot s) {
        HedgePair pair = s.pair();
        Instant now = clock.instant();
        Instant from = pair.openedAt() != null ? pair.openedAt() : pair.createdAt();
        BigDecimal funding = BigDecimal.ZERO;
        for (Leg leg : s.legs()) {
            BigDecimal f = venues.get(leg.venue()).fundingBetween(leg.symbol(), from, now);
            store.setLegFunding(leg.id(), f);
            funding = funding.add(f);
        }
        PairResult r = PairResult.of(
                pair.closeReason(),
                s.legs(),
                s.orders(),
                funding,
                config.points().model(),
                pair.openedAt(),
                now);
        store.markEnded(pair.id(), PairStatus.CLOSING, PairStatus.CLOSED, r, now);
        LOG.info(
                "pair {} CLOSED ({}): pnl {} fees {} funding {} net {} volume {} points {}",
                pair.id(),
                r.reason(),
                Money.usd(r.realizedPnl()),
                Money.usd(r.fees()),
                Money.usd(r.funding()),
                Money.usd(r.netPnl()),
                Money.usd(r.volume()),
                r.points().stripTrailingZeros().toPlainString());
    }
}
