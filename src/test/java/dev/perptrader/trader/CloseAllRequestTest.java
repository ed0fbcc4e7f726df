package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Orchestrator#requestCloseAll}: asked from another thread, carried out by the next step on
 * the loop's thread: every open pair closed and opening paused, so nothing reopens at once.
 */
final class CloseAllRequestTest {
    @TempDir
    Path dir;

    private Harness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    private void twoPairsOpen() {
        h = new Harness(dir, Map.of("APP__TRADING__MARKETS", "BTC,ETH", "APP__TRADING__MAX_OPEN_PAIRS", "2"));
        h.orchestrator.step();
        h.advance(Duration.ofMinutes(10));
        h.orchestrator.step();
        assertThat(h.store.pairs(EnumSet.of(PairStatus.OPEN))).hasSize(2);
    }

    @Test
    void theNextStepClosesEveryPairAndPausesOpening() throws Exception {
        twoPairsOpen();
        CompletableFuture<Orchestrator.CloseAllReport> done = h.orchestrator.requestCloseAll("from a test");
        assertThat(done).as("nothing happens off the loop's thread").isNotDone();
        assertThat(h.store.pairs(EnumSet.of(PairStatus.OPEN))).hasSize(2);

        h.advance(Duration.ofSeconds(1));
        h.orchestrator.step();

        Orchestrator.CloseAllReport report = done.get();
        assertThat(report.pairs()).hasSize(2).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(PairStatus.CLOSED);
            assertThat(p.closeReason()).isEqualTo("CLOSE_ALL");
        });
        assertThat(report.pause())
                .get()
                .satisfies(p -> assertThat(p.cause())
                        .isEqualTo("every pair closed (from a test) and opening paused so no new pair opens;"
                                + " 'perp-trader resume' lifts it"));
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();

        for (int i = 0; i < 6; i++) {
            h.advance(Duration.ofMinutes(10));
            h.orchestrator.step();
        }
        List<HedgePair> all = h.store.pairs(EnumSet.allOf(PairStatus.class));
        assertThat(all).as("nothing reopened while paused").hasSize(2);
        assertThat(h.alertKinds()).contains("OPENING_PAUSED");

        h.store.resumeOpening(h.clock.instant());
        h.advance(Duration.ofMinutes(10));
        h.orchestrator.step();
        assertThat(h.store.pairs(EnumSet.of(PairStatus.OPEN)))
                .as("resume lifts it")
                .isNotEmpty();
    }

    @Test
    void withNothingOpenItStillPausesOpening() throws Exception {
        h = new Harness(dir);
        h.store.pauseOpening("x", h.clock.instant());
        h.store.resumeOpening(h.clock.instant());
        CompletableFuture<Orchestrator.CloseAllReport> done = h.orchestrator.requestCloseAll("nothing open");
        h.orchestrator.step();
        assertThat(done.get().pairs()).isEmpty();
        assertThat(done.get().pause()).isPresent();
        assertThat(h.store.pairs(EnumSet.allOf(PairStatus.class)))
                .as("the same step opened nothing")
                .isEmpty();
    }

    @Test
    void aRequestTheBotCannotCarryOutFailsInsteadOfHanging() {
        h = new Harness(dir);
        CompletableFuture<Orchestrator.CloseAllReport> pending = h.orchestrator.requestCloseAll("too late");
        h.orchestrator.close();
        assertThatThrownBy(pending::join)
                .isInstanceOf(CompletionException.class)
                .hasMessageContaining("the bot stopped before it could close the pairs");
        assertThatThrownBy(h.orchestrator.requestCloseAll("after close")::join).hasMessageContaining("the bot stopped");
    }
}
