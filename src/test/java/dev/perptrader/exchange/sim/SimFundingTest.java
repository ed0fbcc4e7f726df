package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static dev.perptrader.exchange.sim.SimOrders.sell;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SimFundingTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:30:00Z");
    private SimWorld world;
    private SimVenue bp;
    private SimVenue hb;
    private Instant opened;

    @BeforeEach
    void openHedge() {
        world = SimWorld.open(new SimParams(dir).build(), clock);
        bp = world.venue(BackpackExchange.VENUE);
        hb = world.venue(HibachiExchange.VENUE);
        bp.placeMarketOrder(buy(bp, BP_BTC, "0.1"));
        hb.placeMarketOrder(sell(hb, HB_BTC, "0.1"));
        bp.setFundingRate(BP_BTC, dec("0.0001"));
        hb.setFundingRate(HB_BTC, dec("0.0001"));
        opened = clock.instant();
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void atTheBoundaryTheLongPaysAndTheShortReceivesQtyTimesMarkTimesRate() {
        BigDecimal bpBefore = bp.account().equity();
        BigDecimal hbBefore = hb.account().equity();

        clock.advance(Duration.ofMinutes(29).plusSeconds(59));
        assertThat(bp.fundingBetween(BP_BTC, opened, clock.instant())).isEqualByComparingTo("0");
        assertThat(bp.account().equity()).isEqualByComparingTo(bpBefore);

        clock.advance(Duration.ofSeconds(1));
        Instant boundary = Instant.parse("2024-01-01T01:00:00Z");
        assertThat(clock.instant()).isEqualTo(boundary);

        // 0.1 × 60000 × 0.0001
        assertThat(bp.fundingBetween(BP_BTC, opened, clock.instant())).isEqualByComparingTo("-0.6");
        assertThat(hb.fundingBetween(HB_BTC, opened, clock.instant())).isEqualByComparingTo("0.6");
        assertThat(bp.account().equity()).isEqualByComparingTo(bpBefore.subtract(dec("0.6")));
        assertThat(hb.account().equity()).isEqualByComparingTo(hbBefore.add(dec("0.6")));
    }

    @Test
    void everyBoundaryCrossedInOneAdvanceIsSettled() {
        BigDecimal before = bp.account().equity();

        clock.advance(Duration.ofHours(3));

        assertThat(bp.account().equity()).isEqualByComparingTo(before.subtract(dec("1.8")));
        assertThat(bp.fundingBetween(BP_BTC, opened, clock.instant())).isEqualByComparingTo("-1.8");
        assertThat(bp.fundingBetween(BP_BTC, Instant.parse("2024-01-01T02:00:00Z"), clock.instant()))
                .isEqualByComparingTo("-0.6");
    }

    @Test
    void negativeRatePaysTheLongAndAccountsWithoutPositionsPayNothing() {
        bp.setFundingRate(BP_BTC, dec("-0.00005"));
        bp.placeMarketOrder(sell(bp, BP_BTC, "0.05"));

        clock.advance(Duration.ofHours(1));

        // long 0.05 left: 0.05 × 60000 × 0.00005 received
        assertThat(bp.fundingBetween(BP_BTC, opened, clock.instant())).isEqualByComparingTo("0.15");
        assertThat(bp.fundingBetween("ETH_USDC_PERP", opened, clock.instant())).isEqualByComparingTo("0");
    }

    @Test
    void fundingUsesTheRateShownBeforeTheBoundary() {
        clock.advance(Duration.ofMinutes(45));
        BigDecimal rate = bp.quotes(List.of(BP_BTC)).get(BP_BTC).fundingRate();
        BigDecimal before = bp.account().equity();

        clock.advance(Duration.ofMinutes(50));

        BigDecimal expected = dec("0.1").multiply(dec("60000")).multiply(rate).negate();
        assertThat(bp.account().equity()).isEqualByComparingTo(before.add(expected));
    }
}
