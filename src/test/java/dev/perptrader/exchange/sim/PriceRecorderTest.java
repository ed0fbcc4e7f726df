package dev.perptrader.exchange.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder's schedule, its stop, and venues that cannot be read. */
final class PriceRecorderTest {
    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void samplesFollowTheIntervalFromTheFirstAndSkipSlotsAlreadyPast() throws Exception {
        MutableClock clock = new MutableClock(T0);
        List<Instant> waitedFor = new ArrayList<>();
        PriceRecorder recorder = new PriceRecorder(feeds(), List.of("BTC"), clock);
        PriceRecorder.Pace pace = next -> {
            waitedFor.add(next);
            // the second wait ends late, after two more slots went by
            clock.set(waitedFor.size() == 2 ? next.plusSeconds(125) : next);
            return true;
        };

        PriceRecorder.Result result;
        try (PriceFile.Appender out = PriceFile.append(dir.resolve("p.csv"))) {
            result = recorder.run(out, Duration.ofSeconds(60), 4, pace);
        }

        assertThat(waitedFor).containsExactly(T0.plusSeconds(60), T0.plusSeconds(120), T0.plusSeconds(300));
        assertThat(result.samples()).isEqualTo(4);
        assertThat(result.rows()).isEqualTo(8);
        assertThat(result.first()).contains(T0);
        assertThat(result.last()).contains(T0.plusSeconds(300));
        assertThat(PriceFile.read(dir.resolve("p.csv")).rows()).isEqualTo(8);
    }

    @Test
    void aVenueThatCannotBeReadIsLeftOutOfTheSampleAndCounted() throws Exception {
        MutableClock clock = new MutableClock(T0);
        FakePublicFeed down = FakePublicFeed.hibachi();
        down.fail(new ExchangeException(HibachiExchange.VENUE, ExchangeError.VENUE_DOWN, "HTTP 503"));
        PriceRecorder recorder =
                new PriceRecorder(List.of(FakePublicFeed.backpack(), down), List.of("BTC", "SOL", "DOGE"), clock);

        PriceRecorder.Sample sample = recorder.sample();

        assertThat(sample.rows())
                .extracting(r -> r.venue() + " " + r.asset() + " " + r.markPrice() + " " + r.fundingRate())
                .containsExactly("BACKPACK BTC 64000.3 0.0001", "BACKPACK SOL 150.004 0.00002");
        assertThat(sample.failures()).containsExactly("hibachi: VENUE_DOWN: HTTP 503");
    }

    @Test
    void stopEndsTheWaitAtOnceAndLeavesTheFileWhole() throws Exception {
        MutableClock clock = new MutableClock(T0); // never moves: the wait would last the whole hour
        PriceRecorder recorder = new PriceRecorder(feeds(), List.of("BTC"), clock);
        Path file = dir.resolve("p.csv");
        CountDownLatch waiting = new CountDownLatch(1);
        PriceRecorder.Pace realTime = recorder.realTime();
        CompletableFuture<PriceRecorder.Result> run = CompletableFuture.supplyAsync(() -> {
            try (PriceFile.Appender out = PriceFile.append(file)) {
                return recorder.run(out, Duration.ofHours(1), 0, next -> {
                    waiting.countDown();
                    return realTime.awaitUntil(next);
                });
            }
        });
        assertThat(waiting.await(30, TimeUnit.SECONDS)).as("first sample taken").isTrue();

        recorder.requestStop();

        PriceRecorder.Result result = run.get(30, TimeUnit.SECONDS);
        assertThat(result.samples()).isEqualTo(1);
        assertThat(Files.readAllLines(file)).hasSize(3);
        assertThat(PriceFile.read(file).rows()).isEqualTo(2);
    }

    @Test
    void aRecordingNeverGoesBackInTimeInAnExistingFile() throws Exception {
        Path file = dir.resolve("p.csv");
        MutableClock clock = new MutableClock(T0);
        PriceRecorder first = new PriceRecorder(feeds(), List.of("BTC"), clock);
        try (PriceFile.Appender out = PriceFile.append(file)) {
            first.run(out, Duration.ofSeconds(60), 1, next -> true);
        }

        PriceRecorder again = new PriceRecorder(feeds(), List.of("BTC"), clock);
        try (PriceFile.Appender out = PriceFile.append(file)) {
            assertThatThrownBy(() -> again.run(out, Duration.ofSeconds(60), 1, next -> true))
                    .hasMessage(file + " ends at " + T0 + ": a recording from " + T0
                            + " would go back in time (record to another file, or start later)");
        }
        assertThat(PriceFile.read(file).rows()).isEqualTo(2);
    }

    private static List<PerpExchange> feeds() {
        return List.of(FakePublicFeed.backpack(), FakePublicFeed.hibachi());
    }
}
