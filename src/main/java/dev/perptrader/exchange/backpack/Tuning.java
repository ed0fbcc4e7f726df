package dev.perptrader.exchange.backpack;

import dev.perptrader.exchange.http.HttpSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts, pacing, retries and cache lifetimes of one Backpack client.
 *
 * @param callTimeout       bound on one whole HTTP call (connect, write, wait, read)
 * @param windowMs          the {@code X-Window} sent with signed requests (≤ 60000)
 * @param lateExecution     how long after sending the venue may still execute an order; never
 *                          shorter than {@code windowMs}, since the venue accepts a signed request
 *                          until its window ends
 * @param requestsPerSecond client-side pacing rate, well under the venue's 2000/min
 * @param burst             requests that may go at once before pacing starts
 * @param maxReadAttempts   tries of one read (writes are tried once)
 * @param backoffBase       first retry wait; doubled per retry, plus up to 50 % jitter
 * @param maxRetryWait      a read whose next wait (or Retry-After) is longer fails instead
 * @param resyncEvery       how often the clock offset is measured again
 * @param resyncRetry       when to try again after a failed clock measurement
 * @param marketsTtl        how long {@code markets()} is served from memory
 */
record Tuning(
        Duration connectTimeout,
        Duration readTimeout,
        Duration callTimeout,
        long windowMs,
        Duration lateExecution,
        int requestsPerSecond,
        int burst,
        int maxReadAttempts,
        Duration backoffBase,
        Duration maxRetryWait,
        Duration resyncEvery,
        Duration resyncRetry,
        Duration marketsTtl) {

    /** The venue's largest {@code X-Window}. */
    static final long MAX_WINDOW_MS = 60_000;

    static final Tuning DEFAULT = new Tuning(
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            5000,
            Duration.ofSeconds(5),
            10,
            10,
            3,
            Duration.ofMillis(250),
            Duration.ofSeconds(10),
            Duration.ofMinutes(5),
            Duration.ofSeconds(30),
            Duration.ofMinutes(5));

    Tuning {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(lateExecution, "lateExecution");
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(maxRetryWait, "maxRetryWait");
        Objects.requireNonNull(resyncEvery, "resyncEvery");
        Objects.requireNonNull(resyncRetry, "resyncRetry");
        Objects.requireNonNull(marketsTtl, "marketsTtl");
        if (windowMs < 1 || windowMs > MAX_WINDOW_MS) {
            throw new IllegalArgumentException("windowMs not in 1..60000: " + windowMs);
        }
        if (lateExecution.compareTo(Duration.ofMillis(windowMs)) < 0) {
            throw new IllegalArgumentException("lateExecution " + lateExecution + " < windowMs " + windowMs);
        }
        if (maxReadAttempts < 1) {
            throw new IllegalArgumentException("maxReadAttempts < 1: " + maxReadAttempts);
        }
        if (callTimeout.isZero() || callTimeout.isNegative()) {
            throw new IllegalArgumentException("callTimeout <= 0: " + callTimeout);
        }
        if (resyncEvery.isZero() || resyncEvery.isNegative()) {
            throw new IllegalArgumentException("resyncEvery <= 0: " + resyncEvery);
        }
    }

    /** The shared transport's part: timeouts, pacing and the retry of reads. */
    HttpSettings http() {
        return new HttpSettings(
                connectTimeout,
                readTimeout,
                callTimeout,
                requestsPerSecond,
                burst,
                maxReadAttempts,
                backoffBase,
                maxRetryWait,
                maxRetryWait);
    }

    Tuning withCallTimeout(Duration timeout) {
        return new Tuning(
                connectTimeout,
                timeout.compareTo(readTimeout) < 0 ? timeout : readTimeout,
                timeout,
                windowMs,
                lateExecution,
                requestsPerSecond,
                burst,
                maxReadAttempts,
                backoffBase,
                maxRetryWait,
                resyncEvery,
                resyncRetry,
                marketsTtl);
    }

    Tuning withPacing(int perSecond, int burstSize) {
        return new Tuning(
                connectTimeout,
                readTimeout,
                callTimeout,
                windowMs,
                lateExecution,
                perSecond,
                burstSize,
                maxReadAttempts,
                backoffBase,
                maxRetryWait,
                resyncEvery,
                resyncRetry,
                marketsTtl);
    }

    /**
     * The owner's settings: {@code exchanges.backpack.late_execution_seconds} is also the signed
     * window (an order the venue accepts only within it cannot execute later), capped at the
     * venue's 60 s; above that the late-execution window is simply longer than the signed one.
     * {@code exchanges.clock_check_minutes} is how often the clock offset is measured again.
     */
    Tuning withVenueSettings(Duration lateExecutionWindow, Duration clockCheckEvery) {
        long ms = lateExecutionWindow.toMillis();
        if (ms < 1) {
            throw new IllegalArgumentException("late execution window < 1 ms: " + lateExecutionWindow);
        }
        return new Tuning(
                connectTimeout,
                readTimeout,
                callTimeout,
                Math.min(ms, MAX_WINDOW_MS),
                lateExecutionWindow,
                requestsPerSecond,
                burst,
                maxReadAttempts,
                backoffBase,
                maxRetryWait,
                clockCheckEvery,
                resyncRetry,
                marketsTtl);
    }
}
