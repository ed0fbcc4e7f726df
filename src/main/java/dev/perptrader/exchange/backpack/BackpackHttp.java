package dev.perptrader.exchange.backpack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.Pacer;
import dev.perptrader.exchange.Sleeper;
import dev.perptrader.exchange.backpack.BackpackErrors.CallKind;
import dev.perptrader.exchange.http.Failure;
import dev.perptrader.exchange.http.HttpSettings;
import dev.perptrader.exchange.http.Transport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backpack's side of the shared {@link Transport}: signing, the clock offset, request building,
 * and every reply read through {@link BackpackErrors}. The transport paces, bounds and retries:
 * reads are tried up to {@link Tuning#maxReadAttempts()} times with exponential backoff and
 * jitter (or the venue's Retry-After); writes are sent exactly once.
 */
final class BackpackHttp {
    private static final Logger LOG = LoggerFactory.getLogger(BackpackHttp.class);
    private static final MediaType JSON_UTF8 = MediaType.get("application/json; charset=utf-8");
    private static final String TIME_PATH = "/api/v1/time";
    private static final long OFFSET_WARN_MS = 1000;

    private enum Expect {
        JSON,
        TEXT,
        EMPTY,
        /** JSON, or no body with 202 Accepted (a cancel the venue has not carried out yet). */
        JSON_OR_ACCEPTED
    }

    private record Call(
            String method,
            String path,
            String instruction,
            Map<String, Object> params,
            CallKind kind,
            Expect expect,
            boolean notFoundIsEmpty) {
        String what() {
            return method + " " + path;
        }

        boolean signed() {
            return instruction != null;
        }
    }

    /** A usable reply ({@code node} or {@code text}) with its HTTP status. */
    private record Outcome(JsonNode node, String text, int status) {}

    /**
     * A write's reply: its HTTP status and JSON body; {@code node} is null for a 202 Accepted
     * without a body.
     */
    record WriteReply(int status, JsonNode node) {}

    /**
     * A signed write built and signed ahead of sending ({@link #prepareWrite}): body, timestamp,
     * window, signature, headers and the request itself. {@link #send} only makes the call.
     */
    static final class PreparedWrite {
        private final Call call;
        private final Request request;

        private PreparedWrite(Call call, Request request) {
            this.call = call;
            this.request = request;
        }

        @Override
        public String toString() {
            return "PreparedWrite[" + call.what() + "]";
        }
    }

    private final HttpUrl baseUrl;
    private final RequestSigner credentials;
    private final Clock clock;
    private final Tuning tuning;
    private final Transport transport;
    private final ObjectMapper json;
    private final Object syncLock = new Object();
    private volatile long offsetMs;
    private volatile boolean measured;
    private volatile Instant nextSyncAt = Instant.MIN;

    /** {@code credentials} may be null: then every signed call is refused (paper mode). */
    BackpackHttp(
            OkHttpClient client,
            HttpUrl baseUrl,
            RequestSigner credentials,
            Clock clock,
            Sleeper sleeper,
            Tuning tuning) {
        this.baseUrl = baseUrl;
        this.credentials = credentials;
        this.clock = clock;
        this.tuning = tuning;
        this.transport = new Transport(
                BackpackExchange.VENUE,
                client,
                tuning.http(),
                Pacer.onClock(clock, sleeper, tuning.requestsPerSecond(), tuning.burst()),
                sleeper);
        this.json = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);
    }

    /** The trading client: no silent retries, bounded calls, no redirects ({@link HttpSettings#newClient}). */
    static OkHttpClient httpClient(Tuning tuning) {
        return tuning.http().newClient();
    }

    boolean hasKeys() {
        return credentials != null;
    }

    /** A public GET, retried. */
    JsonNode get(String path, Map<String, Object> query) {
        return execute(new Call("GET", path, null, query, CallKind.READ, Expect.JSON, false), tuning.maxReadAttempts())
                .orElseThrow()
                .node();
    }

    /** A signed GET, retried; empty only when {@code notFoundIsEmpty} and the venue says 404. */
    Optional<JsonNode> getSigned(String instruction, String path, Map<String, Object> query, boolean notFoundIsEmpty) {
        return execute(
                        new Call("GET", path, instruction, query, CallKind.READ, Expect.JSON, notFoundIsEmpty),
                        tuning.maxReadAttempts())
                .map(Outcome::node);
    }

    /**
     * A signed write with a JSON body and a JSON reply, built and signed now with the timestamp of
     * now (the clock offset measured first when due), to be sent once by {@link #send}.
     */
    PreparedWrite prepareWrite(String method, String instruction, String path, Map<String, Object> body) {
        return prepare(new Call(method, path, instruction, body, CallKind.WRITE, Expect.JSON, false));
    }

    /**
     * Sends a prepared write, exactly once: no retry, no signing, no clock sync before it (a
     * refused timestamp has the offset measured again after, as for every signed call).
     */
    JsonNode send(PreparedWrite write) {
        return sendOnce(write).node();
    }

    /** One attempt of a prepared write; a refused timestamp has the clock measured again. */
    private Outcome sendOnce(PreparedWrite write) {
        return transport
                .send(write.request, reader(write.call), false, this::resyncIfClockRefused)
                .orElseThrow();
    }

    private void resyncIfClockRefused(Failure f) {
        if (f.clockRefused()) {
            syncIfDue(true);
        }
    }

    /**
     * As {@link #prepareWrite}, for a write whose venue may answer 202 Accepted without a body
     * (a cancel), to be sent by {@link #sendMayBeGone}.
     */
    PreparedWrite prepareWriteMayBeAccepted(String method, String instruction, String path, Map<String, Object> body) {
        return prepare(new Call(method, path, instruction, body, CallKind.WRITE, Expect.JSON_OR_ACCEPTED, false));
    }

    /**
     * Sends a prepared write exactly once, as {@link #send}, and returns its status with its body;
     * empty when the venue answers 404 / RESOURCE_NOT_FOUND (nothing it knows to act on).
     */
    Optional<WriteReply> sendMayBeGone(PreparedWrite write) {
        return transport
                .send(write.request, reader(write.call), true, this::resyncIfClockRefused)
                .map(o -> new WriteReply(o.status(), o.node()));
    }

    /** A signed write whose reply has no body (PATCH /api/v1/account), sent once. */
    void writeExpectingEmpty(String method, String instruction, String path, Map<String, Object> body) {
        send(prepare(new Call(method, path, instruction, body, CallKind.WRITE, Expect.EMPTY, false)));
    }

    private PreparedWrite prepare(Call call) {
        ready(call);
        return new PreparedWrite(call, request(call));
    }

    /** Binds a reply to a DTO type; a shape the DTO cannot take is an unusable reply. */
    <T> T decode(JsonNode node, JavaType type, CallKind kind, String what) {
        try {
            return json.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw BackpackErrors.unusable(kind, what, "unexpected shape: " + e.getOriginalMessage())
                    .toException(BackpackExchange.VENUE);
        } catch (IllegalArgumentException e) {
            throw BackpackErrors.unusable(kind, what, "unexpected shape: " + e.getMessage())
                    .toException(BackpackExchange.VENUE);
        }
    }

    <T> T decode(JsonNode node, Class<T> type, CallKind kind, String what) {
        return decode(node, json.getTypeFactory().constructType(type), kind, what);
    }

    <T> List<T> decodeList(JsonNode node, Class<T> type, CallKind kind, String what) {
        if (node == null || !node.isArray()) {
            throw BackpackErrors.unusable(kind, what, "expected a JSON array").toException(BackpackExchange.VENUE);
        }
        return decode(node, json.getTypeFactory().constructCollectionType(List.class, type), kind, what);
    }

    /** Venue clock minus ours, measured now if never measured or due (reads retried). */
    Duration clockOffset() {
        if (!measured) {
            synchronized (syncLock) {
                if (!measured) {
                    measureOffset(tuning.maxReadAttempts());
                }
            }
        } else {
            syncIfDue(false);
        }
        return Duration.ofMillis(offsetMs);
    }

    /**
     * Measures the offset when due (first signed call, then every {@code resyncEvery}) or when
     * forced (the venue refused a timestamp). A failed measurement keeps the old offset, logs a
     * WARN and is tried again after {@code resyncRetry}: signing goes on meanwhile.
     */
    private void syncIfDue(boolean force) {
        if (!force && clock.instant().isBefore(nextSyncAt)) {
            return;
        }
        synchronized (syncLock) {
            if (!force && clock.instant().isBefore(nextSyncAt)) {
                return;
            }
            try {
                measureOffset(1);
            } catch (ExchangeException e) {
                nextSyncAt = clock.instant().plus(tuning.resyncRetry());
                LOG.warn("backpack clock sync failed ({}); signing with offset {} ms", e.getMessage(), offsetMs);
            }
        }
    }

    private void measureOffset(int attempts) {
        long before = clock.millis();
        String text = execute(new Call("GET", TIME_PATH, null, Map.of(), CallKind.READ, Expect.TEXT, false), attempts)
                .orElseThrow()
                .text();
        long after = clock.millis();
        long venueMs;
        try {
            venueMs = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw BackpackErrors.unusable(CallKind.READ, "GET " + TIME_PATH, "not epoch milliseconds")
                    .toException(BackpackExchange.VENUE);
        }
        long offset = venueMs - (before + (after - before) / 2);
        offsetMs = offset;
        measured = true;
        nextSyncAt = clock.instant().plus(tuning.resyncEvery());
        if (Math.abs(offset) > OFFSET_WARN_MS) {
            LOG.warn(
                    "backpack clock offset {} ms (venue minus local): signing with the venue's time; check NTP",
                    offset);
        } else {
            LOG.debug("backpack clock offset {} ms", offset);
        }
    }

    /** A signed call needs keys, and the clock offset measured when due. */
    private void ready(Call call) {
        if (call.signed()) {
            if (credentials == null) {
                throw new ExchangeException(BackpackExchange.VENUE, ExchangeError.REJECTED, "no API keys (paper mode)");
            }
            syncIfDue(false);
        }
    }

    /**
     * A read through the transport, tried up to {@code maxAttempts} times; a refused timestamp
     * on a signed read measures the clock again and tries once more at once.
     */
    private Optional<Outcome> execute(Call call, int maxAttempts) {
        ready(call);
        return transport.read(
                call.what(), () -> request(call), reader(call), maxAttempts, call.notFoundIsEmpty(), f -> {
                    if (f.clockRefused() && call.signed()) {
                        syncIfDue(true);
                        return true;
                    }
                    return false;
                });
    }

    /** Reads one reply of {@code call}: a usable outcome, or what {@link BackpackErrors} makes of it. */
    private Transport.Reader<Outcome> reader(Call call) {
        return new Transport.Reader<>() {
            @Override
            public Transport.Attempt<Outcome> reply(Response response, String body) {
                int status = response.code();
                if (status < 200 || status > 299) {
                    return Transport.Attempt.failed(BackpackErrors.fromResponse(
                            call.kind(),
                            call.what(),
                            status,
                            body,
                            response.header("Retry-After"),
                            clock,
                            call.signed()));
                }
                return BackpackHttp.this.reply(call, status, body);
            }

            @Override
            public Failure io(IOException e) {
                return BackpackErrors.fromIo(call.kind(), call.what(), e);
            }
        };
    }

    private Transport.Attempt<Outcome> reply(Call call, int status, String body) {
        switch (call.expect()) {
            case EMPTY:
                return Transport.Attempt.ok(new Outcome(null, body, status));
            case TEXT:
                if (body.isBlank() || BackpackErrors.isHtml(body)) {
                    return unusable(call, body.isBlank() ? "empty body" : "HTML page");
                }
                return Transport.Attempt.ok(new Outcome(null, body, status));
            case JSON_OR_ACCEPTED:
                if (status == 202 && body.isBlank()) {
                    return Transport.Attempt.ok(new Outcome(null, body, status));
                }
                return jsonReply(call, status, body);
            case JSON:
                return jsonReply(call, status, body);
            default:
                throw new AssertionError(call.expect());
        }
    }

    private Transport.Attempt<Outcome> jsonReply(Call call, int status, String body) {
        if (body.isBlank()) {
            return unusable(call, "empty body");
        }
        if (BackpackErrors.isHtml(body)) {
            return unusable(call, "HTML page");
        }
        try {
            return Transport.Attempt.ok(new Outcome(json.readTree(body), body, status));
        } catch (JsonProcessingException e) {
            return unusable(call, "malformed JSON");
        }
    }

    private Transport.Attempt<Outcome> unusable(Call call, String detail) {
        return Transport.Attempt.failed(BackpackErrors.unusable(call.kind(), call.what(), detail));
    }

    /**
     * Builds (and, when signed, signs with a fresh timestamp) one attempt of a call. A prepared
     * order is signed here milliseconds before the trader releases it, with the venue's window of
     * seconds ({@code X-Window}) still ahead: sending it later only shortens the time in which the
     * venue may execute it, never lengthens it.
     */
    private Request request(Call call) {
        HttpUrl resolved = baseUrl.resolve(call.path());
        if (resolved == null) {
            throw new IllegalArgumentException("bad path: " + call.path());
        }
        HttpUrl.Builder url = resolved.newBuilder();
        RequestBody body = null;
        if ("GET".equals(call.method())) {
            call.params().forEach((k, v) -> url.addQueryParameter(k, BackpackSigner.text(k, v)));
        } else {
            body = RequestBody.create(toJson(call.params()), JSON_UTF8);
        }
        Request.Builder b = new Request.Builder().url(url.build()).method(call.method(), body);
        if (call.signed()) {
            long timestamp = clock.millis() + offsetMs;
            String signing =
                    BackpackSigner.signingString(call.instruction(), call.params(), timestamp, tuning.windowMs());
            b.header("X-API-Key", credentials.apiKey())
                    .header("X-Signature", credentials.sign(signing))
                    .header("X-Timestamp", Long.toString(timestamp))
                    .header("X-Window", Long.toString(tuning.windowMs()));
        }
        return b.build();
    }

    private String toJson(Map<String, Object> params) {
        params.forEach(BackpackSigner::text); // same value rules as the signing string
        try {
            return json.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write request body", e);
        }
    }

    @Override
    public String toString() {
        return "BackpackHttp[" + baseUrl + (credentials == null ? ", no keys" : ", keys=****") + "]";
    }
}
