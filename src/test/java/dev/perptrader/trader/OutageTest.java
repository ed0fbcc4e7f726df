package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.exchange.backpack.BackpackExchange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A venue that stays down must not turn the bot's one-second loop into a request storm. */
final class OutageTest {
    private static final Duration LOOP = Duration.ofSeconds(1);
    private static final int TEN_MINUTES = 600;

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
    void aVenueDownForTenMinutesSeesAFewRequestsAMinuteNotOneASecond() {
        h = new Harness(
                dir, Map.of("APP__TRADING__MIN_COOLDOWN_SECONDS", "30", "APP__TRADING__MAX_COOLDOWN_SECONDS", "30"));
        h.hibachi.down(true);
        for (int i = 0; i < TEN_MINUTES; i++) {
            h.orchestrator.step();
            h.advance(LOOP);
        }
        System.out.println("OutageTest: venue down 600 s of 1 s steps -> " + h.hibachi.calls() + " calls to it");
        // an open attempt every 30 s cooldown, a monitor read every 60 s: ~30 calls, not 600+
        assertThat(h.hibachi.calls()).isLessThanOrEqualTo(40);
        assertThat(h.backpack.orders()).as("no order while a venue is down").isEmpty();
        assertThat(h.store.pairs(EnumSet.allOf(PairStatus.class))).isEmpty();
        assertThat(h.alertKinds().stream().filter("VENUE_DOWN"::equals).count())
                .as("throttled to alerts.repeat_minutes")
                .isLessThanOrEqualTo(2);
    }

    @Test
    void aCloseThatKeepsFailingIsRetriedWithBackoffNotEveryTick() {
        h = new Harness(dir);
        h.orchestrator.step();
        HedgePair pair = h.onlyPair();
        h.advance(Duration.ofHours(1));
        h.hibachi.down(true);
        int before = h.hibachi.calls();
        for (int i = 0; i < TEN_MINUTES; i++) {
            h.orchestrator.step();
            h.advance(LOOP);
        }
        System.out.println("OutageTest: failing close leg 600 s -> " + (h.hibachi.calls() - before) + " calls");
        // backoff 5, 10, 20, ... capped at 300 s: a handful of close attempts, plus monitor reads
        assertThat(h.hibachi.calls() - before).isLessThanOrEqualTo(40);
        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.CLOSING);
        assertThat(h.positions(BackpackExchange.VENUE))
                .as("the healthy leg closed at once")
                .isEmpty();

        h.hibachi.down(false);
        h.advance(h.config.closer().retryMax());
        h.orchestrator.step();
        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.CLOSED);
    }
}
