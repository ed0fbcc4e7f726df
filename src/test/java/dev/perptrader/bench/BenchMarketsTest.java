package dev.perptrader.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The local markets' steps and ticks follow their prices, in BigDecimal only. */
final class BenchMarketsTest {
    @Test
    void roundedLog10IsTheNearestPowerOfTen() {
        assertThat(BenchMarkets.roundedLog10(new BigDecimal("60000"))).isEqualTo(5);
        assertThat(BenchMarkets.roundedLog10(new BigDecimal("3000"))).isEqualTo(3);
        assertThat(BenchMarkets.roundedLog10(new BigDecimal("3163"))).isEqualTo(4);
        assertThat(BenchMarkets.roundedLog10(new BigDecimal("150"))).isEqualTo(2);
        assertThat(BenchMarkets.roundedLog10(new BigDecimal("0.5"))).isEqualTo(0);
        assertThat(BenchMarkets.roundedLog10(new BigDecimal("0.2"))).isEqualTo(-1);
    }

    @Test
    void everyMarketPricesOnItsTickAndStaysInItsRangeForAGivenSeed() {
        BenchMarkets markets = BenchMarkets.of(60, 42);
        assertThat(markets.all()).hasSize(63);
        assertThat(markets.all()).allSatisfy(m -> {
            assertThat(m.basePrice().remainder(m.tick()).signum()).isZero();
            assertThat(m.basePrice()).isBetween(new BigDecimal("0.5"), new BigDecimal("60000"));
        });
        assertThat(BenchMarkets.of(60, 42).all()).isEqualTo(markets.all());
    }

    @Test
    void aListingIsTheFirstMarketsOfTheSameSeedWhateverItsLength() {
        BenchMarkets all = BenchMarkets.of(60, 42);
        assertThat(BenchMarkets.listing(63, 42).all()).isEqualTo(all.all());
        assertThat(BenchMarkets.listing(10, 42).all()).isEqualTo(all.all().subList(0, 10));
        assertThat(BenchMarkets.listing(2, 42).assets()).containsExactly("ETH", "BTC");
        assertThat(BenchMarkets.listing(100, 42).assets()).hasSize(100).endsWith("A97");
    }
}
