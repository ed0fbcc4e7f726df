package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.BP_ETH;
import static dev.perptrader.exchange.sim.SimOrders.BP_SOL;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.HB_ETH;
import static dev.perptrader.exchange.sim.SimOrders.HB_SOL;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.domain.MarketRules;
import dev.perptrader.exchange.PerpExchange.Quote;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SimMarketTest {
    private static final List<String> BP_SYMBOLS = List.of(BP_BTC, BP_ETH, BP_SOL);
    private static final List<String> HB_SYMBOLS = List.of(HB_BTC, HB_ETH, HB_SOL);

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");

    @Test
    void marketsDifferPerVenueAndAreKeyedByAsset() {
        try (SimWorld world = SimWorld.open(new SimParams(dir).build(), clock)) {
            Map<String, MarketRules> bp = world.venue(BackpackExchange.VENUE).markets();
            Map<String, MarketRules> hb = world.venue(HibachiExchange.VENUE).markets();

            assertThat(bp).containsOnlyKeys("BTC", "ETH", "SOL");
            assertThat(hb).containsOnlyKeys("BTC", "ETH", "SOL");
            assertThat(bp.get("BTC").symbol()).isEqualTo(BP_BTC);
            assertThat(bp.get("BTC").stepSize()).isEqualByComparingTo("0.00001");
            assertThat(bp.get("SOL").stepSize()).isEqualByComparingTo("0.01");
            assertThat(hb.get("BTC").symbol()).isEqualTo(HB_BTC);
            assertThat(hb.get("BTC").tickSize()).isEqualByComparingTo("1");
            assertThat(hb.get("ETH").stepSize()).isEqualByComparingTo("0.001");
            assertThat(hb.get("SOL").minNotional()).isEqualByComparingTo("10");
            assertThat(bp.get("ETH").minNotional()).isEqualByComparingTo("0");
        }
    }

    @Test
    void pricesStayExactlyConstantWithoutVolatilityOrBasis() {
        try (SimWorld world = SimWorld.open(new SimParams(dir).build(), clock)) {
            for (int i = 0; i < 50; i++) {
                Map<String, Quote> bp = world.venue(BackpackExchange.VENUE).quotes(BP_SYMBOLS);
                Map<String, Quote> hb = world.venue(HibachiExchange.VENUE).quotes(HB_SYMBOLS);

                assertThat(bp.get(BP_BTC).markPrice()).isEqualByComparingTo("60000");
                assertThat(bp.get(BP_ETH).markPrice()).isEqualByComparingTo("3000");
                assertThat(bp.get(BP_SOL).markPrice()).isEqualByComparingTo("150");
                assertThat(hb.get(HB_BTC).markPrice()).isEqualByComparingTo("60000");
                assertThat(hb.get(HB_ETH).markPrice()).isEqualByComparingTo("3000");
                assertThat(hb.get(HB_SOL).markPrice()).isEqualByComparingTo("150");
                clock.advance(Duration.ofHours(7));
            }
        }
    }

    @Test
    void priceMovesOnlyWhenTheClockMoves() {
        SimParams params = new SimParams(dir).volatility("0.8");
        try (SimWorld world = SimWorld.open(params.build(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            BigDecimal p0 = mark(bp, BP_BTC);
            assertThat(mark(bp, BP_BTC)).isEqualByComparingTo(p0);

            clock.advance(Duration.ofHours(1));
            BigDecimal p1 = mark(bp, BP_BTC);
            assertThat(p1).isNotEqualByComparingTo(p0);
            assertThat(mark(bp, BP_BTC)).isEqualByComparingTo(p1);
            assertThat(p1.remainder(dec("0.1"))).isEqualByComparingTo("0");
            assertThat(p1.doubleValue()).isBetween(54000.0, 66000.0);
        }
    }

    @Test
    void sameSeedGivesTheSamePathAndAnotherSeedAnother() {
        List<BigDecimal> a = path(new SimParams(dir)
                .file(dir.resolve("a.db"))
                .volatility("0.6")
                .basisNoiseBps("3")
                .seed(7));
        List<BigDecimal> b = path(new SimParams(dir)
                .file(dir.resolve("b.db"))
                .volatility("0.6")
                .basisNoiseBps("3")
                .seed(7));
        List<BigDecimal> c = path(new SimParams(dir)
                .file(dir.resolve("c.db"))
                .volatility("0.6")
                .basisNoiseBps("3")
                .seed(8));

        assertThat(a).hasSize(60).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void basisNoiseSeparatesTheVenuesButReadsAtOneInstantAgree() {
        SimParams params = new SimParams(dir).volatility("0.5").basisNoiseBps("5");
        try (SimWorld world = SimWorld.open(params.build(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            int differing = 0;
            for (int i = 0; i < 20; i++) {
                clock.advance(Duration.ofMinutes(1));
                BigDecimal bpEth = mark(bp, BP_ETH);
                BigDecimal hbEth = mark(hb, HB_ETH);
                assertThat(mark(bp, BP_ETH)).isEqualByComparingTo(bpEth);
                assertThat(mark(hb, HB_ETH)).isEqualByComparingTo(hbEth);
                BigDecimal gapBps =
                        bpEth.subtract(hbEth).abs().multiply(dec("10000")).divide(bpEth, 6, RoundingMode.HALF_EVEN);
                assertThat(gapBps).isLessThan(dec("60"));
                if (bpEth.compareTo(hbEth) != 0) {
                    differing++;
                }
            }
            assertThat(differing).isGreaterThan(10);
        }
    }

    @Test
    void fundingRatesStepAtBoundariesWithinTheBound() {
        SimParams params = new SimParams(dir).maxFundingRate("0.0002");
        try (SimWorld world = SimWorld.open(params.build(), clock)) {
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            List<BigDecimal> rates = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                clock.advance(Duration.ofMinutes(30));
                rates.add(hb.quotes(List.of(HB_SOL)).get(HB_SOL).fundingRate());
            }
            assertThat(rates).allSatisfy(r -> assertThat(r.abs()).isLessThanOrEqualTo(dec("0.0002")));
            for (int i = 1; i + 1 < rates.size(); i += 2) {
                // reads at hh:00 and hh:30 fall in the same funding interval
                assertThat(rates.get(i + 1)).isEqualByComparingTo(rates.get(i));
            }
            assertThat(rates.stream().distinct().count()).isGreaterThan(20);
        }
    }

    @Test
    void quotesLeaveOutUnknownSymbolsAndCarryTheClockTime() {
        try (SimWorld world = SimWorld.open(new SimParams(dir).build(), clock)) {
            Map<String, Quote> quotes =
                    world.venue(HibachiExchange.VENUE).quotes(List.of(HB_BTC, BP_BTC, "DOGE/USDT-P"));

            assertThat(quotes).containsOnlyKeys(HB_BTC);
            assertThat(quotes.get(HB_BTC).at()).isEqualTo(clock.instant());
        }
    }

    private List<BigDecimal> path(SimParams params) {
        MutableClock own = MutableClock.at("2024-03-01T12:00:00Z");
        List<BigDecimal> out = new ArrayList<>();
        try (SimWorld world = SimWorld.open(params.build(), own)) {
            for (int i = 0; i < 20; i++) {
                own.advance(Duration.ofMinutes(13));
                out.add(mark(world.venue(BackpackExchange.VENUE), BP_BTC));
                out.add(mark(world.venue(HibachiExchange.VENUE), HB_ETH));
                out.add(world.venue(HibachiExchange.VENUE)
                        .quotes(List.of(HB_SOL))
                        .get(HB_SOL)
                        .fundingRate());
            }
        }
        return out;
    }

    /**
     * A venue's price noise has the same size whether the market is read every minute or every
     * half second: read twice as often, the mark moves less between reads, not by the full noise
     * every time (which would fill every resting order on the noise's way back).
     */
    @Test
    void basisNoiseDoesNotGrowWithHowOftenTheMarketIsRead() {
        SimParams params = new SimParams(dir).basisNoiseBps("3");
        try (SimWorld world = SimWorld.open(params.build(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            double halfSecond = meanAbsMoveBps(bp, Duration.ofMillis(500), 400);
            double minute = meanAbsMoveBps(bp, Duration.ofMinutes(1), 400);
            // without volatility the mark moves by the noise alone: about 3 bps x 1.13 a minute
            // apart, a tenth of that half a second apart
            assertThat(minute).isBetween(2.0, 5.0);
            assertThat(halfSecond).isLessThan(minute / 4);
        }
    }

    private double meanAbsMoveBps(SimVenue venue, Duration every, int reads) {
        BigDecimal previous = mark(venue, BP_BTC);
        double sum = 0;
        for (int i = 0; i < reads; i++) {
            clock.advance(every);
            BigDecimal now = mark(venue, BP_BTC);
            sum += now.subtract(previous)
                            .abs()
                            .divide(previous, 12, RoundingMode.HALF_EVEN)
                            .doubleValue()
                    * 10_000;
            previous = now;
        }
        return sum / reads;
    }

    @Test
    void aStepsLengthIsTheDurationBetweenItsInstantsToTheNanosecond() {
        Instant t = Instant.parse("2026-01-01T00:00:00.750Z");
        for (Instant later : List.of(
                t,
                t.plusSeconds(60),
                t.plusMillis(300), // the nanos of the later instant below the earlier's
                t.plusNanos(1),
                t.plus(Duration.ofDays(365)).plusNanos(999_999_999L),
                t.minusSeconds(61).plusNanos(5))) {
            assertThat(SimMarket.nanosBetween(t, later))
                    .as("%s to %s", t, later)
                    .isEqualTo(Duration.between(t, later).toNanos());
        }
        assertThatThrownBy(() -> SimMarket.nanosBetween(Instant.MIN, Instant.MAX))
                .as("too long for a long, as Duration says")
                .isInstanceOf(ArithmeticException.class);
    }

    private static BigDecimal mark(SimVenue venue, String symbol) {
        return venue.quotes(List.of(symbol)).get(symbol).markPrice();
    }
}
