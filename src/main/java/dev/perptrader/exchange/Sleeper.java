package dev.perptrader.exchange;

import java.time.Duration;

/**
 * Waits for backoff and pacing, and tells the monotonic time pacing may be measured in.
 * Injected so tests record the waits instead of sleeping.
 */
public interface Sleeper {
    /** Sleeps for real with {@link Thread#sleep} and reads {@link System#nanoTime()}. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);

    void sleep(Duration duration) throws InterruptedException;

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    default long nanoTime() {
        return System.nanoTime();
    }
}
