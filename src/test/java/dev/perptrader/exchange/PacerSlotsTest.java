package dev.perptrader.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The slot arithmetic of the shared pacer (the venues' tests cover it with their clocks). */
final class PacerSlotsTest {

    @Test
    void pacerLetsABurstThroughThenSpacesRequests() {
        Pacer pacer = Pacer.monotonic(d -> {}, 5, 5);
        long t = 1_000_000_000L;
        for (int i = 0; i < 5; i++) {
            assertThat(pacer.reserve(t)).isZero();
        }
        assertThat(pacer.reserve(t)).isEqualTo(Duration.ofMillis(200));
        assertThat(pacer.reserve(t)).isEqualTo(Duration.ofMillis(400));
        // a quiet second refills the bucket
        assertThat(pacer.reserve(t + 3_000_000_000L)).isZero();
    }
}
