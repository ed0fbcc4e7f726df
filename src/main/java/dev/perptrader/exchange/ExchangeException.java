package dev.perptrader.exchange;

import dev.perptrader.domain.Venue;
import java.time.Duration;
import java.util.Optional;

/** A venue call failed. The message is safe to log: it never carries secrets. */
public final class ExchangeException extends RuntimeException {
    private final Venue venue;
    private final ExchangeError error;
    private final Duration retryAfter;

    public ExchangeException(Venue venue, ExchangeError error, String message) {
        this(venue, error, message, null, null);
    }

    public ExchangeException(Venue venue, ExchangeError error, String message, Duration retryAfter, Throwable cause) {
        super(venue.configName() + ": " + error + ": " + message, cause);
        this.venue = venue;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    public Venue venue() {
        return venue;
    }

    public ExchangeError error() {
        return error;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
