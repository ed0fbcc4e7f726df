package dev.perptrader.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.bench.BenchOptions.HibachiSigning;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

final class BenchOptionsTest {
    private static BenchOptions options(int pairs, int maxOpen, long rttBackpack, long rttHibachi) {
        return new BenchOptions(
                pairs,
                maxOpen,
                Duration.ofMillis(rttBackpack),
                Duration.ofMillis(rttHibachi),
                4,
                3,
                42,
                60,
                0,
                HibachiSigning.HMAC);
    }

    private static BenchOptions withMarkets(int pairs, int maxOpen, int rollbacks, int markets, double rejectRate) {
        return new BenchOptions(
                pairs,
                maxOpen,
                Duration.ZERO,
                Duration.ZERO,
                rollbacks,
                1,
                1,
                markets,
                rejectRate,
                HibachiSigning.HMAC);
    }

    @Test
    void measuresTheMonitorAtOneTenAndMaxOpenPairsNoneAboveMaxOpen() {
        assertThat(options(6, 50, 200, 300).tickPoints()).containsExactly(1, 10, 50);
        assertThat(options(2, 10, 200, 300).tickPoints()).containsExactly(1, 10);
        assertThat(options(2, 3, 200, 300).tickPoints()).containsExactly(1, 3);
        assertThat(options(1, 1, 200, 300).tickPoints()).containsExactly(1);
    }

    @Test
    void measuresTheMonitorOnFewMarketsAtTenPairsOrMaxOpenWhenTheRunListsMore() {
        assertThat(options(6, 50, 200, 300).fewMarketsPairs()).isEqualTo(OptionalInt.of(10));
        assertThat(withMarkets(1, 3, 0, 40, 0).fewMarketsPairs()).isEqualTo(OptionalInt.of(3));
        assertThat(withMarkets(1, 3, 0, 3, 0).fewMarketsPairs()).isEmpty();
        assertThat(withMarkets(1, 20, 0, 20, 0).fewMarketsPairs()).isEqualTo(OptionalInt.of(10));
        assertThat(withMarkets(1, 10, 0, 10, 0).fewMarketsPairs()).isEmpty();
    }

    @Test
    void thePhysicalOpenLimitIsTheSlowerOfOneBackpackAndTwoHibachiRoundTrips() {
        assertThat(options(6, 50, 200, 300).openLimit()).isEqualTo(Duration.ofMillis(600));
        assertThat(options(6, 50, 700, 300).openLimit()).isEqualTo(Duration.ofMillis(700));
        assertThat(options(6, 50, 200, 300).maxRtt()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void refusesValuesOutOfRangeNamingTheOption() {
        assertThatThrownBy(() -> options(0, 50, 200, 300)).hasMessageContaining("--pairs");
        assertThatThrownBy(() -> options(7, 6, 200, 300))
                .hasMessageContaining("--pairs must be between 1 and --max-open");
        assertThatThrownBy(() -> options(1, 61, 200, 300)).hasMessageContaining("--max-open");
        assertThatThrownBy(() -> options(1, 1, -1, 300)).hasMessageContaining("--rtt-backpack-ms");
        assertThatThrownBy(() -> options(1, 1, 200, 10_001)).hasMessageContaining("--rtt-hibachi-ms");
        assertThatThrownBy(() -> withMarkets(1, 1, 21, 60, 0)).hasMessageContaining("--rollbacks");
        assertThatThrownBy(
                        () -> new BenchOptions(1, 1, Duration.ZERO, Duration.ZERO, 0, 0, 1, 60, 0, HibachiSigning.HMAC))
                .hasMessageContaining("--ticks");
    }

    @Test
    void refusesTooFewOrTooManyMarketsNamingTheOption() {
        assertThatThrownBy(() -> withMarkets(1, 50, 0, 49, 0))
                .hasMessage("--markets must be between --max-open (50) and 100 (one market per open pair), got 49");
        assertThatThrownBy(() -> withMarkets(1, 50, 0, 101, 0)).hasMessageContaining("--markets must be between");
        assertThatThrownBy(() -> withMarkets(3, 3, 1, 3, 0))
                .hasMessageContaining("--markets must be above --pairs (3) when --rollbacks is above 0");
        assertThat(withMarkets(3, 3, 0, 3, 0).markets()).isEqualTo(3);
        assertThat(withMarkets(3, 3, 1, 4, 0).markets()).isEqualTo(4);
    }

    @Test
    void theRejectRateIsAtLeastZeroAndBelowOne() {
        assertThat(withMarkets(1, 1, 0, 1, 0).rejectRate()).isZero();
        assertThat(withMarkets(1, 1, 0, 1, 0.99).rejectRate()).isEqualTo(0.99);
        for (double bad : new double[] {1, -0.01, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> withMarkets(1, 1, 0, 1, bad))
                    .as("%s", bad)
                    .hasMessage("--reject-rate must be at least 0 and below 1, got " + bad);
        }
    }

    @Test
    void hibachiSigningIsHmacOrEcdsaInAnyCase() {
        assertThat(HibachiSigning.parse("hmac")).isEqualTo(HibachiSigning.HMAC);
        assertThat(HibachiSigning.parse("ECDSA")).isEqualTo(HibachiSigning.ECDSA);
        assertThat(HibachiSigning.ECDSA.label()).isEqualTo("ecdsa");
        assertThatThrownBy(() -> HibachiSigning.parse("rsa"))
                .hasMessage("--hibachi-signing must be hmac or ecdsa, got 'rsa'");
        assertThatThrownBy(() -> new BenchOptions(1, 1, Duration.ZERO, Duration.ZERO, 0, 1, 1, 1, 0, null))
                .hasMessageContaining("--hibachi-signing");
    }
}
