package dev.perptrader.exchange.http;

import java.time.Duration;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * How a venue's calls are bounded, paced and retried.
 *
 * @param connectTimeout    to open the connection
 * @param readTimeout       between two packets of the reply (and to write the request)
 * @param callTimeout       the whole call: connect, write, wait and read together
 * @param requestsPerSecond the pace of calls to the venue ({@link dev.perptrader.exchange.Pacer})
 * @param burst             calls allowed at once before the pace applies
 * @param readAttempts      tries of a safe read, the first included; a write is tried once
 * @param backoffBase       the wait before the first retry; the n-th waits base × 2^(n−1)
 * @param backoffMax        the longest of those waits, before jitter
 * @param maxRetryWait      a wait (backoff or the venue's Retry-After) longer than this is not
 *                          waited out inside a call: the failure is reported instead
 */
public record HttpSettings(
        Duration connectTimeout,
        Duration readTimeout,
        Duration callTimeout,
        int requestsPerSecond,
        int burst,
        int readAttempts,
        Duration backoffBase,
        Duration backoffMax,
        Duration maxRetryWait) {

    public HttpSettings {
        for (Duration d :
                new Duration[] {connectTimeout, readTimeout, callTimeout, backoffBase, backoffMax, maxRetryWait}) {
            Objects.requireNonNull(d, "duration");
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative duration: " + d);
            }
        }
        if (callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout <= 0: " + callTimeout);
        }
        if (readAttempts < 1) {
            throw new IllegalArgumentException("readAttempts < 1: " + readAttempts);
        }
        if (requestsPerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("pace < 1: " + requestsPerSecond + "/s, burst " + burst);
        }
    }

    /** The same settings with every call bounded by {@code timeout} (reads no longer than it). */
    public HttpSettings withCallTimeout(Duration timeout) {
        return new HttpSettings(
                connectTimeout,
                timeout.compareTo(readTimeout) < 0 ? timeout : readTimeout,
                timeout,
                requestsPerSecond,
                burst,
                readAttempts,
                backoffBase,
                backoffMax,
                maxRetryWait);
    }

    /** The same settings at another pace. */
    public HttpSettings withPacing(int perSecond, int burstSize) {
        return new HttpSettings(
                connectTimeout,
                readTimeout,
                callTimeout,
                perSecond,
                burstSize,
                readAttempts,
                backoffBase,
                backoffMax,
                maxRetryWait);
    }

    /**
     * The OkHttp client for trading: no silent retries (a resent order is a second order), no
     * redirects, every call bounded by these timeouts.
     */
    public OkHttpClient newClient() {
        return new OkHttpClient.Builder()
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .callTimeout(callTimeout)
                .build();
    }
}
