package dev.perptrader.exchange.backpack;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.perptrader.exchange.Pacer;
import dev.perptrader.exchange.Sleeper;
import dev.perptrader.testutil.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Client-side pacing: a burst of 10, then one request per 100 ms, waited through the sleeper. */
@WireMockTest
final class PacerTest {

    @Test
    void aBurstGoesAtOnceThenRequestsAreSpacedByTheRate() throws InterruptedException {
        RecordingSleeper sleeper = new RecordingSleeper();
        Pacer pacer = Pacer.onClock(Kit.FIXED, sleeper, 10, 10);

        for (int i = 0; i < 13; i++) {
            pacer.acquire();
        }

        assertThat(sleeper.waits())
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
    }

    @Test
    void waitsShrinkAsTheClockAdvances() throws InterruptedException {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(Kit.NOW_MS));
        RecordingSleeper recorded = new RecordingSleeper();
        Sleeper advancing = d -> {
            recorded.sleep(d);
            clock.advance(d);
        };
        Pacer pacer = Pacer.onClock(clock, advancing, 10, 10);

        for (int i = 0; i < 15; i++) {
            pacer.acquire();
        }
        assertThat(recorded.waits()).hasSize(5).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofMillis(100)));

        clock.advance(Duration.ofSeconds(2)); // idle: the bucket refills
        int before = recorded.waits().size();
        for (int i = 0; i < 10; i++) {
            pacer.acquire();
        }
        assertThat(recorded.waits()).hasSize(before);
    }

    @Test
    void theExchangePacesItsRequestsByDefault(WireMockRuntimeInfo wm) {
        Kit.stubTime(Kit.NOW_MS);
        Kit.stubGet("/api/v1/markPrices", "markPrices.json");
        RecordingSleeper sleeper = new RecordingSleeper();
        BackpackExchange ex = Kit.exchange(wm, Kit.FIXED, sleeper, Tuning.DEFAULT);

        for (int i = 0; i < 12; i++) {
            ex.quotes(List.of("SOL_USDC_PERP"));
        }

        assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void defaultPacingStaysWellUnderTheVenueLimit() {
        assertThat(Tuning.DEFAULT.requestsPerSecond() * 60).isLessThanOrEqualTo(2000 / 2);
    }
}
