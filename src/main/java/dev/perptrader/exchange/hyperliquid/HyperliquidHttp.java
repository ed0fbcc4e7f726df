package dev.perptrader.exchange.hyperliquid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.http.Failure;
import dev.perptrader.exchange.http.Transport;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Hyperliquid's side of the shared {@link Transport}: its two endpoints, both {@code POST} with a
 * JSON body ({@code /info} reads, retried by the transport; {@code /exchange} signed actions,
 * sent once), and every reply read into a value or a {@link Failure}. A whole-action refusal
 * comes back as HTTP 200 {@code {"status":"err"}}: that is read by {@link HyperliquidMapper}, not
 * here.
 */
final class HyperliquidHttp {
    private static final MediaType JSON = MediaType.get("application/json");

    /** Reads may be retried and change nothing; actions may have been carried out. */
    enum Kind {
        READ,
        ACTION
    }

    static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);

    private final Venue venue;
    private final HttpUrl baseUrl;
    private final Transport transport;

    HyperliquidHttp(Venue venue, HttpUrl baseUrl, Transport transport) {
        this.venue = venue;
        this.baseUrl = baseUrl;
        this.transport = transport;
    }

    /** {@code POST /info} with {@code body}, retried on throttling, 5xx, lost replies and unusable bodies. */
    JsonNode info(Map<String, Object> body) {
        String what = "POST /info " + body.get("type");
        Request request = request("info", body);
        return transport.read(what, () -> request, reader(Kind.READ, what));
    }

    /** {@code POST /exchange} with a signed body, sent exactly once. */
    JsonNode exchange(Map<String, Object> body, String what) {
        return transport.send(prepare(body), reader(Kind.ACTION, "POST /exchange " + what));
    }

    /** The request of a signed body, built now, for {@link #send}. */
    Request prepare(Map<String, Object> body) {
        return request("exchange", body);
    }

    /** Sends a prepared {@code /exchange} request exactly once. */
    JsonNode send(Request prepared, String what) {
        return transport.send(prepared, reader(Kind.ACTION, "POST /exchange " + what));
    }

    /** A reply that does not have the documented shape, as the failure of a call of {@code kind}. */
    ExchangeException malformed(Kind kind, String what, String detail) {
        return unusable(kind, what, detail).toException(venue);
    }

    private Request request(String path, Map<String, Object> body) {
        HttpUrl url = baseUrl.newBuilder().addPathSegment(path).build();
        return new Request.Builder()
                .url(url)
                .header("Content-Type", "application/json")
                .post(RequestBody.create(json(body), JSON))
                .build();
    }

    private static String json(Map<String, Object> body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write request body", e);
        }
    }

    private Transport.Reader<JsonNode> reader(Kind kind, String what) {
        return new Transport.Reader<>() {
            @Override
            public Transport.Attempt<JsonNode> reply(Response response, String body) {
                int status = response.code();
                if (status >= 200 && status < 300) {
                    return parsed(kind, what, body);
                }
                return Transport.Attempt.failed(fromStatus(kind, what, status, body, response.header("Retry-After")));
            }

            @Override
            public Failure io(IOException e) {
                return Failure.noReply(kind == Kind.READ, what, e);
            }
        };
    }

    private Transport.Attempt<JsonNode> parsed(Kind kind, String what, String body) {
        if (body.isBlank()) {
            return Transport.Attempt.failed(unusable(kind, what, "empty body"));
        }
        if (body.stripLeading().startsWith("<")) {
            return Transport.Attempt.failed(unusable(kind, what, "HTML page"));
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !(node.isObject() || node.isArray())) {
                return Transport.Attempt.failed(unusable(kind, what, "not a JSON object or array"));
            }
            return Transport.Attempt.ok(node);
        } catch (JsonProcessingException e) {
            return Transport.Attempt.failed(unusable(kind, what, "malformed JSON"));
        }
    }

    /**
     * An HTTP error: 429 is the IP's weight limit; 5xx the venue down (an action's fate then
     * unknown); any other 4xx a request the venue could not take (the Python SDK's ClientError:
     * nothing was carried out), read for a known refusal text.
     */
    private static Failure fromStatus(Kind kind, String what, int status, String body, String retryAfterHeader) {
        String text = body == null || body.isBlank() ? "empty body" : Failure.excerpt(body);
        String message = what + ": HTTP " + status + ": " + text;
        Duration retryAfter = retryAfter(retryAfterHeader);
        if (status == 429) {
            return Failure.retryable(ExchangeError.RATE_LIMITED, message, retryAfter, null);
        }
        if (status >= 500 || status == 408) {
            return kind == Kind.READ
                    ? Failure.retryable(ExchangeError.VENUE_DOWN, message, retryAfter, null)
                    : Failure.unknownOutcome(message, null);
        }
        ExchangeError error = HyperliquidMapper.errorOf(text);
        if (error == ExchangeError.CLOCK_REJECTED) {
            return Failure.clockRefused(message);
        }
        return Failure.of(error, message);
    }

    private static Failure unusable(Kind kind, String what, String detail) {
        String message = what + ": unusable reply: " + detail;
        return kind == Kind.READ
                ? Failure.retryable(ExchangeError.VENUE_DOWN, message, null, null)
                : Failure.unknownOutcome(message, null);
    }

    /** Retry-After in seconds ("2", "0.5"); null when absent or not a number of seconds. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(header.trim());
            return seconds.signum() < 0
                    ? null
                    : Duration.ofMillis(seconds.movePointRight(3).longValue());
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }
}
