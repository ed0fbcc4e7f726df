package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.sim.SimFault;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The points a pair is stored with when it ends, from the configured per-venue rates. */
final class PairPointsTest {
    private static final BigDecimal THOUSAND = new BigDecimal("1000");

    @TempDir
    Path dir;

    private Harness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aClosedPairEarnsItsVolumeAndItsOpenInterestHoursAtEachVenuesRates() {
        // backpack: volume 1 (global), OI-hour 0.5 (own); hibachi: volume 3 (own), OI-hour 2 (global)
        h = new Harness(
                dir,
                Map.of(
                        "APP__POINTS__PER_1000_USD_OI_HOUR", "2",
                        "APP__POINTS__VENUES__BACKPACK__PER_1000_USD_OI_HOUR", "0.5",
                        "APP__POINTS__VENUES__HIBACHI__PER_1000_USD_VOLUME", "3"));
        h.orchestrator.step();
        HedgePair pair = h.onlyPair();
        h.advance(Duration.ofHours(1));
        h.orchestrator.step();
        HedgePair closed = h.store.pair(pair.id()).orElseThrow();
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        assertThat(Duration.between(closed.openedAt(), closed.closedAt())).isEqualTo(Duration.ofHours(1));

        BigDecimal expected = BigDecimal.ZERO;
        for (OrderRecord o : h.store.orders(pair.id())) {
            BigDecimal rate = o.venue() == BackpackExchange.VENUE ? BigDecimal.ONE : new BigDecimal("3");
            expected = expected.add(o.filledQty().multiply(o.avgPrice()).multiply(rate));
        }
        for (Leg l : h.legs(closed)) {
            BigDecimal rate = l.venue() == BackpackExchange.VENUE ? new BigDecimal("0.5") : new BigDecimal("2");
            expected = expected.add(l.openedQty().multiply(l.entryPrice()).multiply(rate)); // × 1 hour
        }
        expected = expected.divide(THOUSAND, 8, RoundingMode.HALF_EVEN);
        assertThat(closed.points()).isEqualByComparingTo(expected);
        assertThat(closed.points())
                .as("more than the volume alone earns")
                .isGreaterThan(closed.volume().divide(THOUSAND, 8, RoundingMode.HALF_EVEN));
    }

    @Test
    void aRolledBackPairEarnsItsVolumeButNoOpenInterestTime() {
        h = new Harness(dir, Map.of("APP__POINTS__PER_1000_USD_OI_HOUR", "1000"));
        h.hibachiSim.injectOrderFault(SimFault.REJECT);
        h.backpack.failOrder(2, ExchangeError.VENUE_DOWN); // the rollback sent at the refusal
        h.backpack.failOrder(3, ExchangeError.VENUE_DOWN); // and the repair's, in the same step
        h.orchestrator.step();
        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.UNHEDGED);
        assertThat(h.positions(BackpackExchange.VENUE))
                .as("the long is held meanwhile")
                .hasSize(1);

        h.advance(h.config.closer().retryBase());
        h.orchestrator.step();
        HedgePair ended = h.store.pair(pair.id()).orElseThrow();
        assertThat(ended.status()).isEqualTo(PairStatus.ROLLED_BACK);
        assertThat(ended.closedAt()).isAfter(ended.createdAt());
        assertThat(ended.volume()).isPositive();
        assertThat(ended.points())
                .as("volume / 1000 only: the pair never opened")
                .isEqualByComparingTo(ended.volume().movePointLeft(3));
    }
}
