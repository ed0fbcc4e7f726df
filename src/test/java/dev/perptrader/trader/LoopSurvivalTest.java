package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.PairStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever a step throws, the loop goes on: open pairs must never go unwatched while run() waits. */
final class LoopSurvivalTest {
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
    void aBugThrownInsideStepsDoesNotEndTheLoop() throws Exception {
        h = new Harness(dir);
        AtomicInteger bugs = new AtomicInteger(3);
        // the first price reads (opening, on the loop thread) throw an Error, as a bug would
        h.hibachi.bendMarks(m -> {
            if (bugs.getAndDecrement() > 0) {
                throw new AssertionError("a bug");
            }
            return m;
        });
        Thread loop = new Thread(
                () -> {
                    try {
                        h.orchestrator.run(Duration.ofMillis(5));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "test-loop");
        loop.start();
        try {
            // the deadline only bounds the wait; the bot's own time moves by hand
            Instant deadline = Instant.now().plusSeconds(60);
            while (h.store.pairs(EnumSet.of(PairStatus.OPEN)).isEmpty()
                    && Instant.now().isBefore(deadline)) {
                h.advance(Duration.ofMinutes(2));
                Thread.sleep(20);
            }
            assertThat(bugs.get()).isNegative();
            assertThat(h.store.pairs(EnumSet.of(PairStatus.OPEN))).hasSize(1);
            assertThat(loop.isAlive()).isTrue();
        } finally {
            h.orchestrator.requestStop();
            loop.join(120_000);
        }
        assertThat(loop.isAlive()).isFalse();
    }
}
