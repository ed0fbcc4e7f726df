package dev.perptrader.exchange.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state file shared by a running bot and a command run beside it ({@code check}). */
final class SimStoreSharingTest {
    @TempDir
    Path dir;

    @Test
    void aReaderStaysClearOfBusyWhileAWriterHoldsATransaction() throws Exception {
        Path file = dir.resolve("sim.db");
        try (SimStore writer = SimStore.open(file);
                SimStore reader = SimStore.open(file)) {
            writer.putMeta("counter", "0");
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> writer.inTransaction(() -> {
                writer.putMeta("counter", "1");
                holding.countDown();
                await(release);
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(reader.meta("counter"))
                    .as("a plain read sees the last commit, unblocked")
                    .contains("0");
            CompletableFuture<Void> readThenWrite =
                    CompletableFuture.runAsync(() -> reader.inTransaction(() -> reader.putMeta(
                            "counter",
                            String.valueOf(
                                    Integer.parseInt(reader.meta("counter").orElseThrow()) + 1))));
            release.countDown();
            write.get(10, TimeUnit.SECONDS);
            readThenWrite.get(20, TimeUnit.SECONDS); // throws if SQLite answered BUSY or BUSY_SNAPSHOT
            assertThat(reader.meta("counter"))
                    .as("the reader's transaction saw the writer's commit")
                    .contains("2");
        }
    }

    @Test
    void twoProcessesIncrementingTheSameRowLoseNothingAndNeverSeeBusy() throws Exception {
        Path file = dir.resolve("sim.db");
        try (SimStore a = SimStore.open(file);
                SimStore b = SimStore.open(file)) {
            a.putMeta("counter", "0");
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (SimStore s : List.of(a, b)) {
                runs.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 100; i++) {
                        s.inTransaction(() -> s.putMeta(
                                "counter",
                                String.valueOf(
                                        Integer.parseInt(s.meta("counter").orElseThrow()) + 1)));
                    }
                }));
            }
            for (CompletableFuture<Void> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
            assertThat(a.meta("counter")).contains("200");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
