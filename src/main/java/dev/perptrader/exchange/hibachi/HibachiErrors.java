package dev.perptrader.exchange.hibachi;

import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.http.Failure;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Hibachi's failures and the one table that maps them to {@link ExchangeError} (API doc §4).
 * Error bodies look like {@code {"errorCode":4,"message":"…","status":"failed"}}; which HTTP code
 * goes with which errorCode is not documented, so both are looked at.
 */
final class HibachiErrors {

    /** What kind of call failed: the same problem means different things for each. */
    enum Call {
        /** An idempotent read; retried by the HTTP layer. */
        READ,
        /** A read where "not found" is an answer (order by nonce), not an error. */
        LOOKUP,
        /** Order placement: never retried; the venue may have acted on it. */
        ORDER,
        /**
         * A signed request that changes nothing (the key proof's cancel of a nonce no order ever
         * had), sent once to see how the venue answers; its refusals are not logged as errors.
         */
        PROBE
    }

    /** What went wrong, as far as the reply tells. */
    enum Problem {
        /** HTTP 429. */
        RATE_LIMITED,
        /** HTTP 503 or a maintenance status in the body. */
        MAINTENANCE,
        /** Any other HTTP 5xx. */
        SERVER_ERROR,
        /** Timeout or I/O failure after the request may have been written. */
        NO_REPLY,
        /** The connection could not be opened: the request never left. */
        NOT_SENT,
        /** HTML, an empty body or malformed JSON where JSON was expected. */
        UNREADABLE,
        /** errorCode 2: "Invalid signature". */
        BAD_SIGNATURE,
        /** A "MacError" message: the signed payload differs from what the server rebuilt. */
        MAC_ERROR,
        /** HTTP 401 or 403 to a request that carried the API key: the key itself was refused. */
        UNAUTHORIZED,
        /** The nonce was refused as too far from the venue's clock (±15 s): clock skew. */
        NONCE_WINDOW,
        /** errorCode 3: "Not found". */
        NOT_FOUND,
        /** errorCode 4 about the quantity, its precision or a minimum. */
        BAD_SIZE,
        /** errorCode 4 about anything else. */
        BAD_INPUT,
        /**
         * A post-only order refused because it would have taken at once: a message naming post-only
         * (or maker-only) with crossing, matching or taking. The api doc shows no such text; see
         * {@link #isWouldTake}.
         */
        WOULD_TAKE,
        /** A refusal that mentions insufficient margin or balance. */
        INSUFFICIENT_MARGIN,
        /** Any other refusal (other 4xx, other error codes). */
        REFUSED
    }

    private HibachiErrors() {}

    /**
     * The one mapping. Empty means "not an error": an order the venue does not know, asked for
     * by a lookup, is simply absent.
     *
     * <p>{@link Problem#NONCE_WINDOW} is {@link ExchangeError#CLOCK_REJECTED}: the venue answered
     * the request with an error body ({@code "status":"failed"} and an errorCode, a 4xx), which
     * Hibachi sends only for a request it did not carry out; a placed order is answered with its
     * {@code orderId}. The nonce is part of the signed payload the venue checks before placing,
     * so an order refused for its nonce was never placed (a later {@code GET /trade/order?nonce=}
     * finds nothing). A 5xx or a lost reply is never read this way: those stay UNKNOWN_OUTCOME.
     */
    static Optional<ExchangeError> map(Problem problem, Call call) {
        ExchangeError error = switch (problem) {
            case RATE_LIMITED -> ExchangeError.RATE_LIMITED;
            case MAINTENANCE, SERVER_ERROR, NO_REPLY, UNREADABLE ->
                call == Call.ORDER ? ExchangeError.UNKNOWN_OUTCOME : ExchangeError.VENUE_DOWN;
            case NOT_SENT -> ExchangeError.VENUE_DOWN;
            case BAD_SIGNATURE, MAC_ERROR, UNAUTHORIZED -> ExchangeError.AUTH_FAILED;
            case NONCE_WINDOW -> ExchangeError.CLOCK_REJECTED;
            case BAD_INPUT, REFUSED -> ExchangeError.REJECTED;
            case NOT_FOUND -> call == Call.LOOKUP ? null : ExchangeError.REJECTED;
            case BAD_SIZE -> ExchangeError.BELOW_MINIMUM;
            case INSUFFICIENT_MARGIN -> ExchangeError.INSUFFICIENT_MARGIN;
            case WOULD_TAKE -> ExchangeError.WOULD_TAKE;
        };
        return Optional.ofNullable(error);
    }

    /**
     * The shared form of a failed attempt ({@link Failure}): its error by {@link #map}, "not
     * found" marked (a lookup's empty answer), retryable for reads only, a nonce refused for its
     * time marked as a clock refusal. {@code message} is what, and the reply's detail.
     */
    static Failure failure(Problem problem, Call call, String message, Duration retryAfter, Throwable cause) {
        Optional<ExchangeError> error = map(problem, call);
        boolean read = call == Call.READ || call == Call.LOOKUP;
        return new Failure(
                error.orElse(ExchangeError.REJECTED),
                message,
                retryAfter,
                read && retryable(problem),
                problem == Problem.NOT_FOUND,
                problem == Problem.NONCE_WINDOW,
                cause);
    }

    /** Whether a read that failed this way is worth another try. */
    static boolean retryable(Problem problem) {
        return problem == Problem.RATE_LIMITED
                || problem == Problem.MAINTENANCE
                || problem == Problem.SERVER_ERROR
                || problem == Problem.NO_REPLY
                || problem == Problem.NOT_SENT;
    }

    /**
     * Classifies a reply that is not a success. {@code body} is the parsed error body, or null
     * when the body was not JSON (HTML, empty, truncated).
     */
    static Problem classify(int httpStatus, HibachiDto.ErrorBody body) {
        if (httpStatus == 429) {
            return Problem.RATE_LIMITED;
        }
        if (httpStatus == 503 || (body != null && isMaintenance(body.status()))) {
            return Problem.MAINTENANCE;
        }
        if (httpStatus >= 500) {
            return Problem.SERVER_ERROR;
        }
        boolean unauthorized = httpStatus == 401 || httpStatus == 403;
        if (body == null) {
            return unauthorized ? Problem.UNAUTHORIZED : Problem.UNREADABLE;
        }
        String message = body.message() == null ? "" : body.message().toLowerCase(Locale.ROOT);
        if (message.contains("macerror")) {
            return Problem.MAC_ERROR;
        }
        int code = body.errorCode() == null ? -1 : body.errorCode();
        if (code == 2 || message.contains("invalid signature")) {
            return Problem.BAD_SIGNATURE;
        }
        if (isNonceWindow(message)) {
            return Problem.NONCE_WINDOW;
        }
        if (unauthorized) {
            return Problem.UNAUTHORIZED;
        }
        if (code == 3) {
            return Problem.NOT_FOUND;
        }
        if (isWouldTake(message)) {
            return Problem.WOULD_TAKE;
        }
        if (message.contains("insufficient") || message.contains("not enough margin")) {
            return Problem.INSUFFICIENT_MARGIN;
        }
        if (code == 4) {
            return isSizeProblem(message) ? Problem.BAD_SIZE : Problem.BAD_INPUT;
        }
        return Problem.REFUSED;
    }

    /**
     * Whether a refusal is about the nonce's time: the docs state the rule (a nonce within ±15 s
     * of the server's time) but no error text, and no client or recording shows one. So any
     * message naming the nonce together with time or a window ("nonce … not within 15 seconds",
     * "nonce too old", "nonce expired", "nonce timestamp out of range") counts; one about a
     * nonce already used does not (that is a refused duplicate, REJECTED).
     */
    static boolean isNonceWindow(String lowerMessage) {
        if (!lowerMessage.contains("nonce")) {
            return false;
        }
        if (lowerMessage.contains("already")
                || lowerMessage.contains("duplicate")
                || lowerMessage.contains("used")
                || lowerMessage.contains("reuse")) {
            return false;
        }
        for (String word : new String[] {
            "within", "window", "second", "expired", "old", "stale", "future", "past", "time", "range", "skew", "far",
            "drift", "ahead", "behind"
        }) {
            if (lowerMessage.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a refusal says a post-only order would have taken. The api doc does not say how
     * Hibachi answers a crossing POST_ONLY order, and no client or recording shows it; the
     * exchanges that refuse one say so in words like "post only order would have immediately
     * matched" or "post-only order would cross". So a message naming post-only (or maker-only)
     * together with crossing, matching or taking counts. The other answer the venue may give (it
     * accepts the order and then rejects or cancels it unfilled) is read from the order's status
     * by {@link HibachiExchange#placeLimitOrder}.
     */
    static boolean isWouldTake(String lowerMessage) {
        String m = lowerMessage.replace('_', ' ').replace('-', ' ');
        boolean postOnly = m.contains("post only") || m.contains("postonly") || m.contains("maker only");
        return postOnly
                && (m.contains("cross")
                        || m.contains("match")
                        || m.contains("take")
                        || m.contains("taker")
                        || m.contains("immediately"));
    }

    static boolean isMaintenance(String status) {
        if (status == null) {
            return false;
        }
        String s = status.toUpperCase(Locale.ROOT);
        return s.equals("MAINTENANCE") || s.equals("SCHEDULED_MAINTENANCE") || s.equals("UNSCHEDULED_MAINTENANCE");
    }

    private static boolean isSizeProblem(String message) {
        return message.contains("quantity")
                || message.contains("minimum")
                || message.contains("min order")
                || message.contains("notional")
                || message.contains("step")
                || message.contains("precision")
                || message.contains("decimal")
                || message.contains("too small")
                || message.contains("size");
    }
}
