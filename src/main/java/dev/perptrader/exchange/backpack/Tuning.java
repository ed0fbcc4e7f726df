package dev.perptrader.exchange.backpack;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts, pacing, retries and cache lifetimes of one Backpack client.
 *
 * @param callTimeout       bound on one whole HTTP call (connect, write, wait, read)
 * @param windowMs          the {@code X-Window} sent with signed requests (≤ 60000)
 * @param requestsPerSecond client-side pacing rate, well under the venue's 2000/min
 * @param burst             requests that may go at once before pacing starts
 * @param maxReadAttempts   tries of one read (writes are tried once)
 * @param backoffBase       first retry wait; doubled per retry, plus up to 50 % jitter
 * @param maxRetryWait      a read whose next wait (or Retry-After) is longer fails instead
 * @param resyncEvery       how often the clock offset is measured again
 * @param resyncRetry       when to try again after a failed clock measurement
 * @param marketsTtl        how long {@code markets()} is served from memory
 */
record Tuning(Duration connectTimeout, Duration readTimeout, Duration callTimeout, long windowMs,
              int requestsPerSecond, int burst, int maxReadAttempts, Duration backoffBase,
              Duration maxRetryWait, Duration resyncEvery, Duration resyncRetry, Duration marketsTtl) {

    static final Tuning DEFAULT = new Tuning(Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(10), 5000, 10, 10, 3, Duration.ofMillis(250), Duration.ofSeconds(10),
            Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofMinutes(5));

    Tuning {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(maxRetryWait, "maxRetryWait");
        Objects.requireNonNull(resyncEvery, "resyncEvery");
        Objects.requireNonNull(resyncRetry, "resyncRetry");
        Objects.requireNonNull(marketsTtl, "marketsTtl");
        if (windowMs < 1 || windowMs > 60_000) {
            throw new IllegalArgumentException("windowMs not in 1..60000: " + windowMs);
        }
        if (maxReadAttempts < 1) {
            throw new IllegalArgumentException("maxReadAttempts < 1: " + maxReadAttempts);
        }
        if (callTimeout.isZero() || callTimeout.isNegative()) {
            throw new IllegalArgumentException("callTimeout <= 0: " + callTimeout);
        }
    }

    Tuning withCallTimeout(Duration timeout) {
        return new Tuning(connectTimeout, timeout.compareTo(readTimeout) < 0 ? timeout : readTimeout, timeout,
                windowMs, requestsPerSecond, burst, maxReadAttempts, backoffBase, maxRetryWait, resyncEvery,
                resyncRetry, marketsTtl);
    }

    Tuning withPacing(int perSecond, int burstSize) {
        return new Tuning(connectTimeout, readTimeout, callTimeout, windowMs, perSecond, burstSize,
                maxReadAttempts, backoffBase, maxRetryWait, resyncEvery, resyncRetry, marketsTtl);
    }
}
