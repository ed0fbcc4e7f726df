package dev.perptrader.exchange.backpack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.http.Failure;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The error adapter: every Backpack failure (an error reply, a transport failure, an unusable
 * body) becomes a {@link Failure} here and nowhere else. Messages carry the method, path, status,
 * venue code and a short one-line excerpt of the venue's text: never a header or a key.
 */
final class BackpackErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads may be retried and never change anything; writes (orders, settings) may have. */
    enum CallKind {
        READ,
        WRITE
    }

    private BackpackErrors() {}

    /**
     * An HTTP reply outside 2xx to a signed ({@code signed}) or public request.
     *
     * <p>A refused timestamp and a refused signature share the code INVALID_CLIENT_REQUEST (api
     * doc §5); they are told apart by the message, the timestamp first, so that clock skew is
     * never reported as a wrong key: "Request has expired" / "Invalid timestamp" →
     * {@link ExchangeError#CLOCK_REJECTED}; "Invalid signature", INVALID_SIGNATURE, UNAUTHORIZED
     * or a bare 401 on a signed request → {@link ExchangeError#AUTH_FAILED}. Both are refusals of
     * the request as a whole, checked before anything is executed: nothing happened.
     */
    static Failure fromResponse(
            CallKind kind, String what, int status, String body, String retryAfterHeader, Clock clock, boolean signed) {
        String safeBody = body == null ? "" : body;
        JsonNode json = parseObject(safeBody);
        String code = json == null ? null : textOrNull(json.get("code"));
        String venueText = json != null && textOrNull(json.get("message")) != null
                ? Failure.excerpt(textOrNull(json.get("message")))
                : describe(safeBody);
        String message = what + ": HTTP " + status + (code == null ? "" : " " + code) + ": " + venueText;
        String lower = venueText.toLowerCase(Locale.ROOT);
        Duration retryAfter = parseRetryAfter(retryAfterHeader, clock);

        if (status == 429 || "TOO_MANY_REQUESTS".equals(code)) {
            return Failure.retryable(ExchangeError.RATE_LIMITED, message, retryAfter, null);
        }
        if (status == 404 || "RESOURCE_NOT_FOUND".equals(code)) {
            return Failure.notFound(message);
        }
        if (status >= 500
                || status == 408
                || "MAINTENANCE".equals(code)
                || "SERVER_ERROR".equals(code)
                || "TIMEOUT".equals(code)) {
            return unavailable(kind, message, retryAfter);
        }
        if (isExpired(code, lower)) {
            return Failure.clockRefused(message + " (clock offset measured again)");
        }
        if (signed && isAuthRefusal(code, status, lower)) {
            return Failure.of(ExchangeError.AUTH_FAILED, message + " (check exchanges.backpack.api_key / api_secret)");
        }
        if (code == null && status == 401) {
            return rejected(message + " (check exchanges.backpack.api_key / api_secret)");
        }
        if (code == null && status == 403) {
            return rejected(message + " (access refused)");
        }
        if (code == null && (safeBody.isBlank() || isHtml(safeBody))) {
            return unavailable(kind, message, retryAfter);
        }
        ExchangeError error = switch (code == null ? "" : code) {
            case "INSUFFICIENT_MARGIN", "INSUFFICIENT_FUNDS", "MAX_LEVERAGE_REACHED", "BORROW_LIMIT" ->
                ExchangeError.INSUFFICIENT_MARGIN;
            case "INVALID_QUANTITY" -> ExchangeError.BELOW_MINIMUM;
            case "INVALID_ORDER" ->
                lower.contains("client id already exists")
                        ? ExchangeError.REJECTED
                        : wouldTake(lower)
                                ? ExchangeError.WOULD_TAKE
                                : belowMinimum(lower) ? ExchangeError.BELOW_MINIMUM : ExchangeError.REJECTED;
            default -> belowMinimum(lower) ? ExchangeError.BELOW_MINIMUM : ExchangeError.REJECTED;
        };
        return Failure.of(error, message);
    }

    /** A transport failure: refused before sending, or lost somewhere after (timeouts included). */
    static Failure fromIo(CallKind kind, String what, IOException e) {
        return Failure.noReply(kind == CallKind.READ, what, e);
    }

    /** A 2xx reply that cannot be used (empty, HTML, malformed, wrong shape). */
    static Failure unusable(CallKind kind, String what, String detail) {
        return unavailable(kind, what + ": unusable reply: " + Failure.excerpt(detail), null);
    }

    private static Failure unavailable(CallKind kind, String message, Duration retryAfter) {
        return kind == CallKind.READ
                ? Failure.retryable(ExchangeError.VENUE_DOWN, message, retryAfter, null)
                : Failure.unknownOutcome(message, null);
    }

    private static Failure rejected(String message) {
        return Failure.of(ExchangeError.REJECTED, message);
    }

    /**
     * The venue refused the request's timestamp: "Request has expired" or "Invalid timestamp"
     * (hummingbot's clock-skew detector), under INVALID_CLIENT_REQUEST, UNAUTHORIZED or no code.
     */
    private static boolean isExpired(String code, String lower) {
        return (code == null || "INVALID_CLIENT_REQUEST".equals(code) || "UNAUTHORIZED".equals(code))
                && (lower.contains("expired") || lower.contains("timestamp"));
    }

    /** The key or signature was refused (the FAQ: INVALID_CLIENT_REQUEST "Invalid signature"). */
    private static boolean isAuthRefusal(String code, int status, String lower) {
        return "UNAUTHORIZED".equals(code)
                || "INVALID_SIGNATURE".equals(code)
                || lower.contains("invalid signature")
                || (code == null && status == 401);
    }

    /** A post-only order refused for crossing: INVALID_ORDER "Order would immediately match and take". */
    private static boolean wouldTake(String lower) {
        return lower.contains("would immediately match");
    }

    private static boolean belowMinimum(String lower) {
        return lower.contains("decimal too long")
                || ((lower.contains("quantity") || lower.contains("notional"))
                        && (lower.contains("minimum") || lower.contains("too small") || lower.contains("below")));
    }

    /** Markup ("<!DOCTYPE html>", "<html>", an XML error from the CDN): never a Backpack reply. */
    static boolean isHtml(String body) {
        return body.stripLeading().startsWith("<");
    }

    private static JsonNode parseObject(String body) {
        if (body.isBlank() || !body.stripLeading().startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    /** What a non-JSON body was, in one short line. */
    private static String describe(String body) {
        if (body.isBlank()) {
            return "empty body";
        }
        if (isHtml(body)) {
            return "HTML error page";
        }
        return Failure.excerpt(body);
    }

    /** Retry-After as seconds ("2", "1.5") or an HTTP date; null when absent or unreadable. */
    static Duration parseRetryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        try {
            double seconds = Double.parseDouble(h);
            return seconds < 0 || Double.isNaN(seconds) ? null : Duration.ofMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(
                        clock.instant(),
                        ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
