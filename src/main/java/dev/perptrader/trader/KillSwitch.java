package dev.perptrader.trader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Whether the kill-switch file ({@code trading.kill_switch_file}) exists, looked for at every
 * step of {@code run}. On a virtual clock ({@code simulate}), which steps thousands of times per
 * second of real time, it is looked for at most once every {@link #RECHECK_NANOS} of real time: a
 * file created during a simulation stops new pairs within a tenth of a second, and a simulated
 * minute does not pay for a file-system call, which here costs as much as the rest of the
 * opening decision.
 */
final class KillSwitch {
    static final long RECHECK_NANOS = 100_000_000L;

    private final Path file;
    private final boolean throttled;
    private final LongSupplier nanoTime;
    private boolean looked;
    private long lookedAt;
    private boolean present;

    KillSwitch(Path file, boolean throttled, LongSupplier nanoTime) {
        this.file = file;
        this.throttled = throttled;
        this.nanoTime = nanoTime;
    }

    Path file() {
        return file;
    }

    boolean present() {
        if (!throttled) {
            return Files.exists(file);
        }
        long now = nanoTime.getAsLong();
        if (!looked || now - lookedAt >= RECHECK_NANOS) {
            present = Files.exists(file);
            lookedAt = now;
            looked = true;
        }
        return present;
    }
}
