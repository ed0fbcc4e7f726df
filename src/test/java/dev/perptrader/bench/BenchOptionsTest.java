package dev.perptrader.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class BenchOptionsTest {
    private static BenchOptions options(int pairs, int maxOpen, long rttBackpack, long rttHibachi) {
        return new BenchOptions(
                pairs, maxOpen, Duration.ofMillis(rttBackpack), Duration.ofMillis(rttHibachi), 4, 3, 42);
    }

    @Test
    void measuresTheMonitorAtOneTenAndMaxOpenPairsNoneAboveMaxOpen() {
        assertThat(options(6, 50, 200, 300).tickPoints()).containsExactly(1, 10, 50);
        assertThat(options(2, 10, 200, 300).tickPoints()).containsExactly(1, 10);
        assertThat(options(2, 3, 200, 300).tickPoints()).containsExactly(1, 3);
        assertThat(options(1, 1, 200, 300).tickPoints()).containsExactly(1);
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
        assertThatThrownBy(() -> new BenchOptions(1, 1, Duration.ZERO, Duration.ZERO, 21, 3, 1))
                .hasMessageContaining("--rollbacks");
        assertThatThrownBy(() -> new BenchOptions(1, 1, Duration.ZERO, Duration.ZERO, 0, 0, 1))
                .hasMessageContaining("--ticks");
    }
}
