package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.assertFails;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static dev.perptrader.exchange.sim.SimOrders.sell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.PerpExchange.Quote;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replay world: the sim venues at recorded marks and funding, with their own fills and fees. */
final class ReplayTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:30:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void theVenuesQuoteExactlyTheRecordedLineAtOrBeforeTheirClock() {
        PriceReplay replay = PriceReplay.of(List.of(
                row(T0, BackpackExchange.VENUE, "BTC", "60000.123", "0.0000125", 1),
                row(T0, HibachiExchange.VENUE, "BTC", "60010.5", "-0.0000200", 8),
                row(T0.plusSeconds(60), BackpackExchange.VENUE, "BTC", "60100", "0.0000130", 1),
                row(T0.plusSeconds(120), HibachiExchange.VENUE, "BTC", "59990", "0.0000001", 8)));
        try (SimWorld world = SimWorld.openReplay(new SimParams(dir).build(), dir.resolve("r.db"), replay, clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);

            assertQuote(bp, BP_BTC, "60000.123", "0.0000125");
            assertQuote(hb, HB_BTC, "60010.5", "-0.0000200");
            assertThat(bp.fundingInterval(BP_BTC)).isEqualTo(Duration.ofHours(1));
            assertThat(hb.fundingInterval(HB_BTC)).isEqualTo(Duration.ofHours(8));

            clock.advance(Duration.ofSeconds(59));
            assertQuote(bp, BP_BTC, "60000.123", "0.0000125");

            clock.advance(Duration.ofSeconds(1));
            assertQuote(bp, BP_BTC, "60100", "0.0000130");
            assertQuote(hb, HB_BTC, "60010.5", "-0.0000200");

            clock.advance(Duration.ofHours(5)); // past the end: the last lines hold
            assertQuote(bp, BP_BTC, "60100", "0.0000130");
            assertQuote(hb, HB_BTC, "59990", "0.0000001");
        }
    }

    @Test
    void aMarketIsClosedUntilItsFirstLine() {
        PriceReplay replay = PriceReplay.of(List.of(
                row(T0, BackpackExchange.VENUE, "BTC", "60000", "0", 1),
                row(T0, HibachiExchange.VENUE, "BTC", "60000", "0", 8)));
        clock.set(T0.minusSeconds(60));
        try (SimWorld world = SimWorld.openReplay(new SimParams(dir).build(), dir.resolve("r.db"), replay, clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);

            assertThat(bp.markets()).containsOnlyKeys("BTC");
            assertThat(bp.markets().get("BTC").open()).isFalse();
            assertThat(bp.quotes(List.of(BP_BTC))).isEmpty();
            assertFails(ExchangeError.REJECTED, () -> bp.placeMarketOrder(buy(bp, BP_BTC, "0.01")));

            clock.set(T0);
            assertThat(bp.quotes(List.of(BP_BTC))).containsKey(BP_BTC);
            assertThat(bp.markets().get("BTC").open()).isTrue();
        }
    }

    @Test
    void fillsPayEachVenuesOwnSlippageAndFeeAtTheRecordedMarkOnTheCatalogTick() {
        PriceReplay replay = PriceReplay.of(List.of(
                row(T0, BackpackExchange.VENUE, "BTC", "60000.123", "0", 1),
                row(T0, HibachiExchange.VENUE, "BTC", "60010.5", "0", 8)));
        SimParams params = new SimParams(dir);
        params.venue(BackpackExchange.VENUE, v -> {
            v.slippageBps = BigDecimal.ZERO;
            v.takerFee = dec("0.0002");
        });
        params.venue(HibachiExchange.VENUE, v -> v.takerFee = dec("0.001"));
        try (SimWorld world = SimWorld.openReplay(params.build(), dir.resolve("r.db"), replay, clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);

            Fill long_ = bp.placeMarketOrder(buy(bp, BP_BTC, "0.01"));
            Fill short_ = hb.placeMarketOrder(sell(hb, HB_BTC, "0.01"));

            assertThat(long_.avgPrice()).isEqualByComparingTo("60000.1");
            assertThat(long_.fee()).isEqualByComparingTo("0.1200002");
            // 60010.5 × (1 − 5/10000) = 59980.49475 → tick 1
            assertThat(short_.avgPrice()).isEqualByComparingTo("59980");
            assertThat(short_.fee()).isEqualByComparingTo("0.5998");
            assertThat(bp.account().position(BP_BTC).orElseThrow().markPrice()).isEqualByComparingTo("60000.123");
        }
    }

    @Test
    void fundingIsChargedAtTheRecordedIntervalAndRateTheLongPayingAPositiveOne() {
        List<PriceRow> rows = new ArrayList<>();
        for (int k = 0; k <= 8; k++) {
            Instant at = T0.plus(Duration.ofHours(k));
            rows.add(row(at, BackpackExchange.VENUE, "BTC", Integer.toString(60000 + 100 * k), "0.0000" + (k + 1), 1));
            rows.add(row(at, HibachiExchange.VENUE, "BTC", Integer.toString(60000 - 10 * k), "0.000" + (k + 1), 8));
        }
        try (SimWorld world =
                SimWorld.openReplay(new SimParams(dir).build(), dir.resolve("r.db"), PriceReplay.of(rows), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            bp.placeMarketOrder(buy(bp, BP_BTC, "0.1"));
            hb.placeMarketOrder(sell(hb, HB_BTC, "0.1"));

            BigDecimal expected = BigDecimal.ZERO;
            for (int k = 0; k < 8; k++) {
                clock.advance(Duration.ofHours(1));
                bp.account();
                hb.account();
                // the boundary at (k+1):00 pays the line shown before it, at k:30
                expected = expected.add(
                        dec("0.1").multiply(BigDecimal.valueOf(60000 + 100 * k)).multiply(dec("0.0000" + (k + 1))));
            }

            assertThat(bp.fundingBetween(BP_BTC, T0, clock.instant())).isEqualByComparingTo(expected.negate());
            // Hibachi settles once, at 08:00, at its 07:30 line: 0.1 × 59930 × 0.0008 to the short
            assertThat(hb.fundingBetween(HB_BTC, T0, clock.instant())).isEqualByComparingTo("4.7944");
        }
    }

    @Test
    void assetsWithoutSimulatedRulesAreLeftOutAndPricesCannotBeSet() {
        PriceReplay replay = PriceReplay.of(List.of(
                row(T0, BackpackExchange.VENUE, "BTC", "60000", "0", 1),
                new PriceRow(
                        T0,
                        BackpackExchange.VENUE,
                        "HYPE",
                        "HYPE_USDC_PERP",
                        dec("30"),
                        dec("0"),
                        Duration.ofHours(1))));
        try (SimWorld world = SimWorld.openReplay(new SimParams(dir).build(), dir.resolve("r.db"), replay, clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);

            Map<String, MarketRules> markets = bp.markets();
            assertThat(markets).containsOnlyKeys("BTC");
            assertThat(world.venue(HibachiExchange.VENUE).markets()).isEmpty();
            assertThat(bp.quotes(List.of(BP_BTC, "HYPE_USDC_PERP"))).containsOnlyKeys(BP_BTC);
            assertThatThrownBy(() -> bp.setMid("BTC", dec("1")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("replay mode: prices are the venues' own");
        }
    }

    @Test
    void aReplayStateFileKeepsTheAccountsAndIsNoSimFile() {
        PriceReplay replay = PriceReplay.of(List.of(
                row(T0, BackpackExchange.VENUE, "BTC", "60000", "0", 1),
                row(T0, HibachiExchange.VENUE, "BTC", "60000", "0", 8)));
        Path state = dir.resolve("r.db");
        try (SimWorld world = SimWorld.openReplay(new SimParams(dir).build(), state, replay, clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            bp.placeMarketOrder(buy(bp, BP_BTC, "0.01"));
        }
        clock.advance(Duration.ofMinutes(5));
        try (SimWorld world = SimWorld.openReplay(new SimParams(dir).build(), state, replay, clock)) {
            assertThat(world.venue(BackpackExchange.VENUE).account().position(BP_BTC))
                    .isPresent();
        }
        assertThatThrownBy(() -> SimWorld.open(new SimParams(dir).file(state).build(), clock))
                .hasMessageContaining("belongs to replay mode, not sim mode");
    }

    private static void assertQuote(SimVenue venue, String symbol, String mark, String rate) {
        Quote q = venue.quotes(List.of(symbol)).get(symbol);
        assertThat(q.markPrice().toPlainString()).isEqualTo(mark);
        assertThat(q.fundingRate().toPlainString()).isEqualTo(rate);
    }

    static PriceRow row(Instant at, Venue venue, String asset, String mark, String rate, int hours) {
        String symbol = venue == BackpackExchange.VENUE ? asset + "_USDC_PERP" : asset + "/USDT-P";
        return new PriceRow(at, venue, asset, symbol, dec(mark), dec(rate), Duration.ofHours(hours));
    }
}
