package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static dev.perptrader.exchange.sim.SimOrders.sell;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.Venue;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each simulated venue fills, charges, settles funding and liquidates by its own model: fees,
 * spread, slippage growing with size, funding at its own interval, maintenance margin and
 * liquidation fee, basis; unset values are the global ones. The market is quiet (no volatility,
 * no noise) so every number is exact: BTC is 60000 on both venues.
 */
final class SimVenueModelTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:30:00Z");

    @Test
    void eachVenueChargesItsOwnTakerFeeAndNeverTheMakerFee() {
        SimParams params = new SimParams(dir).slippageBps("0").fee("0.0005");
        params.venue(BackpackExchange.VENUE, v -> {
            v.takerFee = dec("0.0002");
            v.makerFee = dec("0.001");
        });
        params.venue(HibachiExchange.VENUE, v -> v.takerFee = dec("0.0009"));
        try (SimWorld world = SimWorld.open(params.build(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);

            Fill long_ = bp.placeMarketOrder(buy(bp, BP_BTC, "0.1"));
            Fill short_ = hb.placeMarketOrder(sell(hb, HB_BTC, "0.1"));

            // 0.1 × 60000 × 0.0002 and × 0.0009: the taker rate of each venue
            assertThat(long_.fee()).isEqualByComparingTo("1.2");
            assertThat(short_.fee()).isEqualByComparingTo("5.4");
            assertThat(bp.account().equity()).isEqualByComparingTo("9998.8");
            assertThat(hb.account().equity()).isEqualByComparingTo("9994.6");
        }
    }

    @Test
    void slippageIsHalfTheSpreadPlusAFixedPartPlusImpactGrowingWithNotional() {
        SimParams params = new SimParams(dir).balance("100000").fee("0");
        params.venue(BackpackExchange.VENUE, v -> {
            v.spreadBps = dec("2");
            v.slippageBps = dec("1");
            v.impactBps = dec("10");
        });
        try (SimWorld world = SimWorld.open(params.build(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            bp.ensureLeverage(BP_BTC, dec("10"));
            hb.ensureLeverage(HB_BTC, dec("10"));

            // cost = 2/2 + 1 + 10 × notional / 100000 bps; the buy pays up, on the 0.1 tick
            // 600 USD: 2.06 bps → 60012.36 → 60012.4
            assertThat(bp.placeMarketOrder(buy(bp, BP_BTC, "0.01")).avgPrice()).isEqualByComparingTo("60012.4");
            // 60000 USD: 8 bps
            assertThat(bp.placeMarketOrder(buy(bp, BP_BTC, "1")).avgPrice()).isEqualByComparingTo("60048");
            // 600000 USD: 62 bps
            assertThat(bp.placeMarketOrder(buy(bp, BP_BTC, "10")).avgPrice()).isEqualByComparingTo("60372");
            // a sell gets less by as much
            assertThat(bp.placeMarketOrder(sell(bp, BP_BTC, "1")).avgPrice()).isEqualByComparingTo("59952");

            // Hibachi keeps the global model: 5 bps whatever the size
            assertThat(hb.placeMarketOrder(sell(hb, HB_BTC, "0.01")).avgPrice()).isEqualByComparingTo("59970");
            assertThat(hb.placeMarketOrder(sell(hb, HB_BTC, "10")).avgPrice()).isEqualByComparingTo("59970");
        }
    }

    @Test
    void costInBasisPointsGrowsLinearlyWithNotional() {
        AppConfig.VenueModel model = new SimParams(dir).build().defaults();
        SimParams.VenueParams v = new SimParams.VenueParams();
        v.spreadBps = dec("3");
        v.slippageBps = dec("0.5");
        v.impactBps = dec("2");
        AppConfig.VenueModel m = v.over(model);

        assertThat(SimMatcher.costBps(m, BigDecimal.ZERO)).isEqualByComparingTo("2");
        assertThat(SimMatcher.costBps(m, dec("50000"))).isEqualByComparingTo("3");
        assertThat(SimMatcher.costBps(m, dec("1000000"))).isEqualByComparingTo("22");
    }

    @Test
    void fundingIsSettledAtEachVenuesOwnIntervalTheLongPayingAPositiveRate() {
        SimParams params = new SimParams(dir);
        params.venue(HibachiExchange.VENUE, v -> v.fundingInterval = Duration.ofHours(8));
        try (SimWorld world = SimWorld.open(params.build(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            assertThat(bp.fundingInterval(BP_BTC)).isEqualTo(Duration.ofHours(1));
            assertThat(hb.fundingInterval(HB_BTC)).isEqualTo(Duration.ofHours(8));
            bp.placeMarketOrder(buy(bp, BP_BTC, "0.1"));
            hb.placeMarketOrder(sell(hb, HB_BTC, "0.1"));
            bp.setFundingRate(BP_BTC, dec("0.0001"));
            hb.setFundingRate(HB_BTC, dec("0.0001"));
            Instant opened = clock.instant();

            clock.advance(Duration.ofHours(8)); // to 08:30: Backpack 01:00 … 08:00, Hibachi 08:00

            // one payment = 0.1 × 60000 × 0.0001 = 0.6; the long pays, the short receives
            assertThat(bp.fundingBetween(BP_BTC, opened, clock.instant())).isEqualByComparingTo("-4.8");
            assertThat(hb.fundingBetween(HB_BTC, opened, clock.instant())).isEqualByComparingTo("0.6");
            assertThat(hb.fundingBetween(HB_BTC, opened, Instant.parse("2024-01-01T07:59:59Z")))
                    .isEqualByComparingTo("0");
        }
    }

    @Test
    void aNegativeRateMakesTheShortPayAndTheLongReceive() {
        SimParams params = new SimParams(dir);
        params.venue(HibachiExchange.VENUE, v -> v.fundingInterval = Duration.ofHours(8));
        try (SimWorld world = SimWorld.open(params.build(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            bp.placeMarketOrder(sell(bp, BP_BTC, "0.1"));
            hb.placeMarketOrder(buy(hb, HB_BTC, "0.1"));
            bp.setFundingRate(BP_BTC, dec("-0.0001"));
            hb.setFundingRate(HB_BTC, dec("-0.0001"));
            Instant opened = clock.instant();

            clock.advance(Duration.ofHours(8));

            assertThat(bp.fundingBetween(BP_BTC, opened, clock.instant())).isEqualByComparingTo("-4.8");
            assertThat(hb.fundingBetween(HB_BTC, opened, clock.instant())).isEqualByComparingTo("0.6");
        }
    }

    @Test
    void aVenuesFundingRateMovesOnlyWhenOneOfItsOwnBoundariesIsCrossed() {
        SimParams params = new SimParams(dir);
        params.venue(HibachiExchange.VENUE, v -> v.fundingInterval = Duration.ofHours(8));
        try (SimWorld world = SimWorld.open(params.build(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            BigDecimal bpRate = rate(bp, BP_BTC);
            BigDecimal hbRate = rate(hb, HB_BTC);

            clock.advance(Duration.ofHours(7)); // 07:30: seven Backpack boundaries, no Hibachi one

            assertThat(rate(bp, BP_BTC)).isNotEqualByComparingTo(bpRate);
            assertThat(rate(hb, HB_BTC)).isEqualByComparingTo(hbRate);

            clock.advance(Duration.ofHours(1)); // 08:30: Hibachi's 08:00

            assertThat(rate(hb, HB_BTC)).isNotEqualByComparingTo(hbRate);
            assertThat(rate(hb, HB_BTC).abs()).isLessThanOrEqualTo(dec("0.0001"));
        }
    }

    @Test
    void eachVenueLiquidatesBelowItsOwnMaintenanceMarginWithItsOwnFee() {
        SimParams params = new SimParams(dir).fee("0").slippageBps("0");
        params.venue(BackpackExchange.VENUE, v -> {
            v.maintenance = dec("0.01");
            v.liquidationFee = dec("0.002");
        });
        params.venue(HibachiExchange.VENUE, v -> {
            v.maintenance = dec("0.05");
            v.liquidationFee = dec("0.02");
        });
        try (SimWorld world = SimWorld.open(params.build(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            bp.ensureLeverage(BP_BTC, dec("10"));
            hb.ensureLeverage(HB_BTC, dec("10"));
            bp.placeMarketOrder(buy(bp, BP_BTC, "1"));
            hb.placeMarketOrder(buy(hb, HB_BTC, "1"));

            // equity 2000: above Backpack's 520, below Hibachi's 2600
            bp.setMid("BTC", dec("52000"));

            assertThat(bp.account().positions()).hasSize(1);
            assertThat(bp.account().maintenanceMargin()).isEqualByComparingTo("520");
            assertThat(hb.account().positions()).isEmpty();
            // 10000 − 8000 − 52000 × 0.02
            assertThat(hb.account().equity()).isEqualByComparingTo("960");
            List<VenueFill> liquidation = hb.fillsSince(HB_BTC, Instant.EPOCH).orElseThrow().stream()
                    .filter(VenueFill::liquidation)
                    .toList();
            assertThat(liquidation)
                    .singleElement()
                    .satisfies(f -> assertThat(f.feeUsd()).isEqualByComparingTo("1040"));

            // equity 500 below Backpack's 505
            bp.setMid("BTC", dec("50500"));

            assertThat(bp.account().positions()).isEmpty();
            // 10000 − 9500 − 50500 × 0.002
            assertThat(bp.account().equity()).isEqualByComparingTo("399");
        }
    }

    @Test
    void aVenuesMarkIsTheMidMovedByItsOwnBasis() {
        SimParams params = new SimParams(dir);
        params.venue(HibachiExchange.VENUE, v -> v.basisBps = dec("10"));
        params.venue(BackpackExchange.VENUE, v -> v.basisBps = dec("-2.5"));
        try (SimWorld world = SimWorld.open(params.build(), clock)) {
            clock.advance(Duration.ofMinutes(1)); // a market step redraws every basis

            // 60000 × 1.001, and × 0.99975
            assertThat(mark(world.venue(HibachiExchange.VENUE), HB_BTC)).isEqualByComparingTo("60060");
            assertThat(mark(world.venue(BackpackExchange.VENUE), BP_BTC)).isEqualByComparingTo("59985");
        }
    }

    @Test
    void aVenueWithoutItsOwnKeysUsesTheGlobalOnesFromTheConfiguration() {
        Map<String, String> env = new HashMap<>();
        env.put("APP__SIM__STATE_FILE", dir.resolve("sim.db").toString());
        env.put("APP__SIM__VOLATILITY_ANNUAL", "0");
        env.put("APP__SIM__BASIS_NOISE_BPS", "0");
        env.put("APP__SIM__SLIPPAGE_BPS", "0");
        env.put("APP__SIM__IMPACT_BPS_PER_100K_USD", "0");
        env.put("APP__SIM__TAKER_FEE_RATE", "0.0007");
        env.put("APP__SIM__VENUES__HIBACHI__TAKER_FEE_RATE", "0.0003");
        AppConfig config = ConfigLoader.load(null, false, dir, env, Map.of());
        try (SimWorld world = SimWorld.open(config.sim(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);

            assertThat(bp.placeMarketOrder(buy(bp, BP_BTC, "0.1")).fee()).isEqualByComparingTo("4.2");
            assertThat(hb.placeMarketOrder(sell(hb, HB_BTC, "0.1")).fee()).isEqualByComparingTo("1.8");
            assertThat(bp.fundingInterval(BP_BTC)).isEqualTo(Duration.ofHours(1));
            assertThat(hb.fundingInterval(HB_BTC)).isEqualTo(Duration.ofHours(8));
        }
    }

    @Test
    void paperModeFillsWithEachVenuesOwnFeeAndSlippage() {
        SimParams params = new SimParams(dir);
        params.venue(BackpackExchange.VENUE, v -> {
            v.takerFee = dec("0.0002");
            v.slippageBps = dec("0");
        });
        params.venue(HibachiExchange.VENUE, v -> {
            v.takerFee = dec("0.0008");
            v.spreadBps = dec("4");
        });
        Map<Venue, PerpExchange> feeds = Map.of(
                BackpackExchange.VENUE, FakePublicFeed.backpack(), HibachiExchange.VENUE, FakePublicFeed.hibachi());
        try (SimWorld world = SimWorld.openPaper(params.build(), dir.resolve("paper.db"), feeds, clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);

            Fill long_ = bp.placeMarketOrder(buy(bp, BP_BTC, "0.01"));
            Fill short_ = hb.placeMarketOrder(sell(hb, HB_BTC, "0.01"));

            // 64000.3 on the 0.5 tick, no slippage; fee 0.01 × 64000.5 × 0.0002
            assertThat(long_.avgPrice()).isEqualByComparingTo("64000.5");
            assertThat(long_.fee()).isEqualByComparingTo("0.128001");
            // 63990 × (1 − (4/2 + 5) / 10000) = 63945.207 → 63945; fee × 0.0008
            assertThat(short_.avgPrice()).isEqualByComparingTo("63945");
            assertThat(short_.fee()).isEqualByComparingTo("0.51156");
        }
    }

    private static BigDecimal rate(SimVenue venue, String symbol) {
        return venue.quotes(List.of(symbol)).get(symbol).fundingRate();
    }

    private static BigDecimal mark(SimVenue venue, String symbol) {
        return venue.quotes(List.of(symbol)).get(symbol).markPrice();
    }
}
