package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class KillSwitchTest {
    @TempDir
    Path dir;

    @Test
    void runLooksForTheFileAtEveryStep() throws IOException {
        Path stop = dir.resolve("STOP");
        KillSwitch ks = new KillSwitch(stop, false, () -> 0L);
        assertThat(ks.present()).isFalse();
        Files.createFile(stop);
        assertThat(ks.present()).isTrue();
        Files.delete(stop);
        assertThat(ks.present()).isFalse();
    }

    @Test
    void simulateLooksAgainOnlyAfterATenthOfASecondOfRealTime() throws IOException {
        Path stop = dir.resolve("STOP");
        AtomicLong nanos = new AtomicLong(1_000);
        KillSwitch ks = new KillSwitch(stop, true, nanos::get);
        assertThat(ks.present()).isFalse();
        Files.createFile(stop);
        nanos.addAndGet(KillSwitch.RECHECK_NANOS - 1);
        assertThat(ks.present()).as("not looked for again yet").isFalse();
        nanos.addAndGet(1);
        assertThat(ks.present()).as("a tenth of a second later").isTrue();
        Files.delete(stop);
        assertThat(ks.present()).isTrue();
        nanos.addAndGet(KillSwitch.RECHECK_NANOS);
        assertThat(ks.present()).isFalse();
    }
}
