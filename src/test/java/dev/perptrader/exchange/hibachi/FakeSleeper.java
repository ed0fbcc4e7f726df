package dev.perptrader.exchange.hibachi;

import dev.perptrader.exchange.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records waits instead of sleeping. Its monotonic time moves by the waits plus {@code tick} on
 * every reading, so with a tick of one second the request pacer never has to wait.
 */
final class FakeSleeper implements Sleeper {
    private final List<Duration> waits = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();
    private final long tickNanos;

    FakeSleeper(Duration tick) {
        this.tickNanos = tick.toNanos();
    }

    /** Time advances one second per reading: pacing never waits. */
    static FakeSleeper unpaced() {
        return new FakeSleeper(Duration.ofSeconds(1));
    }

    @Override
    public synchronized void sleep(Duration duration) {
        waits.add(duration);
        nanos.addAndGet(duration.toNanos());
    }

    @Override
    public long nanoTime() {
        return nanos.addAndGet(tickNanos);
    }

    synchronized List<Duration> waits() {
        return List.copyOf(waits);
    }
}
