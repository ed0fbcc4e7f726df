package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static dev.perptrader.exchange.sim.SimOrders.sell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paper mode: how the venues' public data are fetched, cached, failed and kept across restarts. */
final class PaperFeedTest {
    private static final Duration CACHE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:30:00Z");
    private final FakePublicFeed bpFeed = FakePublicFeed.backpack();
    private final FakePublicFeed hbFeed = FakePublicFeed.hibachi();

    @Test
    void marksFollowTheFeedOnceTheCacheExpires() {
        try (SimWorld world = openPaper("paper.db")) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            bp.placeMarketOrder(buy(bp, BP_BTC, "0.01"));
            assertThat(mark(bp)).isEqualByComparingTo("64000.3");

            bpFeed.quote(BP_BTC, "64100", "0.0001");
            clock.advance(Duration.ofSeconds(1));
            assertThat(mark(bp)).isEqualByComparingTo("64000.3");
            assertThat(bp.account().position(BP_BTC).orElseThrow().markPrice()).isEqualByComparingTo("64000.3");

            clock.advance(Duration.ofSeconds(1));
            assertThat(mark(bp)).isEqualByComparingTo("64100");
            assertThat(bp.account().position(BP_BTC).orElseThrow().markPrice()).isEqualByComparingTo("64100");
            assertThat(bpFeed.quotesCalls()).isEqualTo(2);
        }
    }

    @Test
    void oneTicksReadsMakeOneQuotesCallPerVenueAndRulesAreKeptForMinutes() {
        try (SimWorld world = openPaper("paper.db")) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);

            tick(bp, hb);
            assertThat(bpFeed.quotesCalls()).isEqualTo(1);
            assertThat(hbFeed.quotesCalls()).isEqualTo(1);
            assertThat(bpFeed.marketsCalls()).isEqualTo(1);
            assertThat(hbFeed.marketsCalls()).isEqualTo(1);

            clock.advance(CACHE);
            tick(bp, hb);
            assertThat(bpFeed.quotesCalls()).isEqualTo(2);
            assertThat(hbFeed.quotesCalls()).isEqualTo(2);
            assertThat(bpFeed.marketsCalls()).isEqualTo(1);

            clock.advance(Duration.ofMinutes(5));
            tick(bp, hb);
            assertThat(bpFeed.quotesCalls()).isEqualTo(3);
            assertThat(bpFeed.marketsCalls()).isEqualTo(2);
            assertThat(hbFeed.marketsCalls()).isEqualTo(2);
        }
    }

    @Test
    void concurrentReadsAtOneInstantShareOneFetchPerVenue() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (SimWorld world = openPaper("paper.db")) {
            CyclicBarrier barrier = new CyclicBarrier(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                SimVenue venue = world.venue(t % 2 == 0 ? BackpackExchange.VENUE : HibachiExchange.VENUE);
                String symbol = venue.venue() == BackpackExchange.VENUE ? BP_BTC : HB_BTC;
                done.add(pool.submit(() -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    for (int i = 0; i < 20; i++) {
                        venue.quotes(List.of(symbol));
                        venue.account();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }

            assertThat(bpFeed.quotesCalls()).isEqualTo(1);
            assertThat(hbFeed.quotesCalls()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailingFeedFailsReadsAndOrdersWithItsOwnExceptionAndInventsNoPrice() {
        try (SimWorld world = openPaper("paper.db")) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            bp.placeMarketOrder(buy(bp, BP_BTC, "0.01"));
            ExchangeException down =
                    new ExchangeException(BackpackExchange.VENUE, ExchangeError.VENUE_DOWN, "connection refused");
            bpFeed.fail(down);
            clock.advance(CACHE);

            OrderRequest order = buy(bp, BP_BTC, "0.01");
            assertThatThrownBy(() -> bp.quotes(List.of(BP_BTC))).isSameAs(down);
            assertThatThrownBy(bp::account).isSameAs(down);
            assertThatThrownBy(() -> bp.placeMarketOrder(order)).isSameAs(down);
            assertThatThrownBy(bp::markets).isSameAs(down);
            assertThatThrownBy(() -> bp.fundingBetween(BP_BTC, Instant.EPOCH, clock.instant()))
                    .isSameAs(down);
            assertThat(bp.orderCount()).isEqualTo(1);
            assertThat(bp.lookupOrder(BP_BTC, order.clientId())).isEmpty();
            assertThat(bpFeed.quotesCalls()).isEqualTo(2);
            assertThat(hb.quotes(List.of(HB_BTC)).get(HB_BTC).markPrice()).isEqualByComparingTo("63990");

            bpFeed.recover();
            bpFeed.quote(BP_BTC, "63000", "0.0001");
            clock.advance(CACHE);
            assertThat(mark(bp)).isEqualByComparingTo("63000");
            assertThat(bp.placeMarketOrder(order).avgPrice()).isEqualByComparingTo("63031.5");
        }
    }

    @Test
    void aVenueWhoseFeedIsDownDoesNotStopTheOtherAndCatchesUpItsFundingWhenBack() {
        try (SimWorld world = openPaper("paper.db")) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            Instant opened = clock.instant();
            bpFeed.quote(BP_BTC, "64000", "0.0001");
            hbFeed.quote(HB_BTC, "64000", "0.0001");
            bp.placeMarketOrder(buy(bp, BP_BTC, "0.1"));
            hb.placeMarketOrder(sell(hb, HB_BTC, "0.1"));
            ExchangeException down =
                    new ExchangeException(HibachiExchange.VENUE, ExchangeError.VENUE_DOWN, "maintenance");
            hbFeed.fail(down);

            clock.set(Instant.parse("2024-01-01T01:00:00Z"));
            assertThat(bp.account().position(BP_BTC)).isPresent();
            assertThat(bp.fundingBetween(BP_BTC, opened, clock.instant())).isEqualByComparingTo("-0.64");
            assertThatThrownBy(hb::account).isSameAs(down);

            clock.set(Instant.parse("2024-01-01T02:00:30Z"));
            assertThat(bp.fundingBetween(BP_BTC, opened, clock.instant())).isEqualByComparingTo("-1.28");
            assertThatThrownBy(() -> hb.fundingBetween(HB_BTC, opened, clock.instant()))
                    .isSameAs(down);

            hbFeed.recover();
            hbFeed.quote(HB_BTC, "64000", "0.0002");
            clock.advance(CACHE);

            // both boundaries missed while down, at the rate the venue shows now: 2 × 0.1 × 64000 × 0.0002
            assertThat(hb.fundingBetween(HB_BTC, opened, clock.instant())).isEqualByComparingTo("2.56");
            assertThat(hb.fundingBetween(HB_BTC, Instant.parse("2024-01-01T01:30:00Z"), clock.instant()))
                    .isEqualByComparingTo("1.28");
        }
    }

    @Test
    void restartKeepsBalancesPositionsOrdersAndFundingAndAsksTheVenuesAgain() {
        Instant opened = clock.instant();
        OrderRequest long1;
        Fill longFill;
        AccountState bpAccount;
        AccountState hbAccount;
        BigDecimal funding;
        try (SimWorld world = openPaper("paper.db")) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            bp.ensureLeverage(BP_BTC, dec("3"));
            hb.ensureLeverage(HB_BTC, dec("2"));
            long1 = buy(bp, BP_BTC, "0.2");
            longFill = bp.placeMarketOrder(long1);
            hb.placeMarketOrder(sell(hb, HB_BTC, "0.2"));
            clock.set(Instant.parse("2024-01-01T01:00:05Z"));
            bpAccount = bp.account();
            hbAccount = hb.account();
            funding = bp.fundingBetween(BP_BTC, opened, clock.instant());
        }
        FakePublicFeed bpAgain = FakePublicFeed.backpack();
        FakePublicFeed hbAgain = FakePublicFeed.hibachi();
        clock.advance(Duration.ofSeconds(10));

        try (SimWorld world =
                SimWorld.openPaper(params(), dir.resolve("paper.db"), FakePublicFeed.both(bpAgain, hbAgain), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);

            assertThat(bp.account()).isEqualTo(bpAccount);
            assertThat(hb.account()).isEqualTo(hbAccount);
            // 0.2 × 64000.3 × 0.0001
            assertThat(funding).isEqualByComparingTo("-1.280006");
            assertThat(bp.fundingBetween(BP_BTC, opened, clock.instant())).isEqualByComparingTo(funding);
            assertThat(bp.lookupOrder(BP_BTC, long1.clientId())).contains(longFill);
            assertThat(bp.orderCount()).isEqualTo(1);
            assertThat(bp.newClientId()).isEqualTo("sim-bp-000002");
            assertThat(bpAgain.quotesCalls()).isEqualTo(1);
            assertThat(hbAgain.quotesCalls()).isEqualTo(1);
        }
    }

    @Test
    void aStateFileServesOnlyTheModeThatCreatedIt() {
        AppConfig.Sim params = params();
        try (SimWorld sim = SimWorld.open(params, clock)) {
            assertThat(sim.venue(BackpackExchange.VENUE).account().equity()).isEqualByComparingTo("10000");
        }
        try (SimWorld paper = openPaper("paper.db")) {
            assertThat(paper.venue(BackpackExchange.VENUE).account().equity()).isEqualByComparingTo("10000");
        }

        assertThatThrownBy(() -> SimWorld.openPaper(params, params.stateFile(), feeds(), clock))
                .isInstanceOf(IllegalArgumentException.class);
        AppConfig.Sim elsewhere =
                new SimParams(dir).file(dir.resolve("other.db")).build();
        assertThatThrownBy(() -> SimWorld.openPaper(elsewhere, params.stateFile(), feeds(), clock))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sim mode");
        AppConfig.Sim onPaperFile =
                new SimParams(dir).file(dir.resolve("paper.db")).build();
        assertThatThrownBy(() -> SimWorld.open(onPaperFile, clock))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("paper mode");
    }

    @Test
    void everyVenueNeedsItsOwnPublicFeed() {
        Path file = dir.resolve("paper.db");
        Map<Venue, PerpExchange> missing = Map.of(BackpackExchange.VENUE, bpFeed);
        Map<Venue, PerpExchange> swapped = Map.of(BackpackExchange.VENUE, bpFeed, HibachiExchange.VENUE, bpFeed);

        assertThatThrownBy(() -> SimWorld.openPaper(params(), file, missing, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hibachi");
        assertThatThrownBy(() -> SimWorld.openPaper(params(), file, swapped, clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(bpFeed.marketsCalls() + bpFeed.quotesCalls()).isZero();
    }

    private SimWorld openPaper(String file) {
        return SimWorld.openPaper(params(), dir.resolve(file), feeds(), clock);
    }

    private Map<Venue, PerpExchange> feeds() {
        return FakePublicFeed.both(bpFeed, hbFeed);
    }

    private AppConfig.Sim params() {
        return new SimParams(dir).build();
    }

    /** What one monitor and open pass of the bot reads. */
    private static void tick(SimVenue bp, SimVenue hb) {
        for (int i = 0; i < 3; i++) {
            bp.markets();
            hb.markets();
            bp.quotes(List.of(BP_BTC));
            hb.quotes(List.of(HB_BTC));
            bp.account();
            hb.account();
        }
        bp.placeMarketOrder(buy(bp, BP_BTC, "0.002"));
        hb.placeMarketOrder(sell(hb, HB_BTC, "0.0002"));
    }

    private static BigDecimal mark(SimVenue bp) {
        return bp.quotes(List.of(BP_BTC)).get(BP_BTC).markPrice();
    }
}
