package dev.perptrader.exchange.http;

import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * One failed attempt at a venue call, whatever the venue: what each venue's reply reader makes of
 * an error reply, a transport failure or an unusable body, and what {@link Transport} decides on.
 *
 * @param error        the typed error the caller sees
 * @param message      one line: method, path, status, the venue's code and a short excerpt of its
 *                     text; never a header, key or signature
 * @param retryAfter   the venue's Retry-After, or null
 * @param retryable    a safe read may try again (throttled, venue down, unusable reply)
 * @param notFound     the venue knows nothing of what was asked (some reads take it as empty)
 * @param clockRefused the venue refused the request's timestamp or nonce: the clock offset must
 *                     be measured again
 * @param cause        the exception behind a transport failure, or null
 */
public record Failure(
        ExchangeError error,
        String message,
        Duration retryAfter,
        boolean retryable,
        boolean notFound,
        boolean clockRefused,
        Throwable cause) {
    private static final int EXCERPT = 200;

    public Failure {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
    }

    /** A failure no retry helps: refused as asked. */
    public static Failure of(ExchangeError error, String message) {
        return new Failure(error, message, null, false, false, false, null);
    }

    /** A failure a safe read may try again, after {@code retryAfter} when the venue said so. */
    public static Failure retryable(ExchangeError error, String message, Duration retryAfter, Throwable cause) {
        return new Failure(error, message, retryAfter, true, false, false, cause);
    }

    /** The venue knows nothing of what was asked. */
    public static Failure notFound(String message) {
        return new Failure(ExchangeError.REJECTED, message, null, false, true, false, null);
    }

    /** The venue refused the timestamp or nonce: nothing was executed. */
    public static Failure clockRefused(String message) {
        return new Failure(ExchangeError.CLOCK_REJECTED, message, null, false, false, true, null);
    }

    /**
     * A write whose fate is unknown (no reply, a 5xx, an unreadable reply): the venue may have
     * acted on it, so the order is looked up by its client id.
     */
    public static Failure unknownOutcome(String message, Throwable cause) {
        return new Failure(
                ExchangeError.UNKNOWN_OUTCOME,
                message + " (the venue may have acted on it: reconcile by client id)",
                null,
                false,
                false,
                false,
                cause);
    }

    /**
     * No reply ({@code e}): a safe read, or a request that never left (refused connection, unknown
     * host, no route), may be tried again; any other request may have been carried out.
     */
    public static Failure noReply(boolean safeRead, String what, IOException e) {
        String message = what + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + excerpt(e.getMessage()));
        boolean neverSent = e instanceof ConnectException
                || e instanceof UnknownHostException
                || e instanceof NoRouteToHostException;
        return safeRead || neverSent
                ? retryable(ExchangeError.VENUE_DOWN, message, null, e)
                : unknownOutcome(message, e);
    }

    /** A venue's text on one line, at most 200 characters: what a message may quote of a reply. */
    public static String excerpt(String text) {
        String s = text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return s.length() <= EXCERPT ? s : s.substring(0, EXCERPT) + "…";
    }

    /** Waiting or sending was interrupted before the request left. */
    public static Failure interrupted(String what) {
        return new Failure(
                ExchangeError.VENUE_DOWN, what + ": interrupted before sending", null, false, false, false, null);
    }

    /** The same failure with another message. */
    public Failure withMessage(String text) {
        return new Failure(error, text, retryAfter, retryable, notFound, clockRefused, cause);
    }

    public ExchangeException toException(Venue venue) {
        return new ExchangeException(venue, error, message, retryAfter, cause);
    }
}
