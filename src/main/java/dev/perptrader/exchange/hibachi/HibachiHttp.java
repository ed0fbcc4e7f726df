package dev.perptrader.exchange.hibachi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perptrader.config.Secret;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.Pacer;
import dev.perptrader.exchange.Sleeper;
import dev.perptrader.exchange.hibachi.HibachiErrors.Call;
import dev.perptrader.exchange.hibachi.HibachiErrors.Problem;
import dev.perptrader.exchange.http.Failure;
import dev.perptrader.exchange.http.HttpSettings;
import dev.perptrader.exchange.http.Transport;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hibachi's side of the shared {@link Transport}: the two hosts, headers, and every reply read
 * through {@link HibachiErrors} into a {@link Failure}. The transport paces, bounds and retries
 * reads ({@link #SETTINGS}); writes go out exactly once.
 */
final class HibachiHttp {
    private static final Logger LOG = LoggerFactory.getLogger(HibachiHttp.class);
    private static final MediaType JSON = MediaType.get("application/json");
    static final String USER_AGENT = "perp-trader/0.1.0";

    /** Tries per read, the first included. */
    static final int READ_ATTEMPTS = 3;

    /**
     * Timeouts (connect 5 s, read 8 s, call 10 s), the pace ({@link HibachiExchange#PACE_PER_SECOND}),
     * {@link #READ_ATTEMPTS} tries per read with backoff 300 ms × 2^(n−1) up to 3 s plus up to 50 %
     * jitter, and a Retry-After beyond 10 s reported rather than waited out.
     */
    static final HttpSettings SETTINGS = new HttpSettings(
            Duration.ofSeconds(5),
            Duration.ofSeconds(8),
            Duration.ofSeconds(10),
            HibachiExchange.PACE_PER_SECOND,
            HibachiExchange.PACE_BURST,
            READ_ATTEMPTS,
            Duration.ofMillis(300),
            Duration.ofSeconds(3),
            Duration.ofSeconds(10));

    /** The two Hibachi hosts. */
    enum Host {
        /** Trading and account: {@code /trade/*}, {@code /capital/*}; takes the API key. */
        API,
        /** Public market data: {@code /market/*}, {@code /exchange/*}. */
        DATA
    }

    private final HttpUrl apiUrl;
    private final HttpUrl dataUrl;
    private final Secret apiKey;
    private final Transport transport;

    HibachiHttp(
            OkHttpClient client,
            HttpUrl apiUrl,
            HttpUrl dataUrl,
            Secret apiKey,
            Sleeper sleeper,
            Pacer pacer,
            DoubleSupplier jitter) {
        this.apiUrl = apiUrl;
        this.dataUrl = dataUrl;
        this.apiKey = apiKey;
        this.transport = new Transport(HibachiExchange.VENUE, client, SETTINGS, pacer, sleeper, jitter);
    }

    HibachiHttp(OkHttpClient client, HttpUrl apiUrl, HttpUrl dataUrl, Secret apiKey, Sleeper sleeper, Pacer pacer) {
        this(
                client,
                apiUrl,
                dataUrl,
                apiKey,
                sleeper,
                pacer,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** A GET that must answer: retried on 429, 5xx and timeouts. */
    JsonNode get(Host host, String path, Map<String, String> query) {
        return get(host, path, query, Call.READ).orElseThrow(() -> new IllegalStateException("a READ is never absent"));
    }

    /**
     * A GET retried on 429, 5xx and timeouts (with backoff and jitter, honouring Retry-After).
     * With {@link Call#LOOKUP}, "not found" (errorCode 3) is an empty answer.
     */
    Optional<JsonNode> get(Host host, String path, Map<String, String> query, Call call) {
        Request request = request(host, path, query).get().build();
        String what = "GET " + path;
        return transport.read(what, () -> request, reader(call, what), call == Call.LOOKUP, f -> false);
    }

    /**
     * A POST of an order body, its signature already in it, made ready to send: the body written
     * and the request built with its headers. {@link #send(PreparedPost)} only makes the call.
     */
    static final class PreparedPost {
        private final String path;
        private final Request request;

        private PreparedPost(String path, Request request) {
            this.path = path;
            this.request = request;
        }

        @Override
        public String toString() {
            return "PreparedPost[POST " + path + "]";
        }
    }

    /** Writes {@code body} and builds the POST that {@link #send(PreparedPost)} will send. */
    PreparedPost preparePost(String path, ObjectNode body) {
        return new PreparedPost(
                path,
                request(Host.API, path, Map.of())
                        .post(RequestBody.create(json(body), JSON))
                        .build());
    }

    /**
     * Sends a prepared POST once: no retry here, none by OkHttp. A timeout, 5xx or unreadable
     * reply is {@link ExchangeError#UNKNOWN_OUTCOME}: the venue may have acted on it.
     */
    JsonNode send(PreparedPost post) {
        return transport.send(post.request, reader(Call.ORDER, "POST " + post.path));
    }

    /**
     * A signed DELETE of one order (its signature already in {@code body}), sent once: no retry
     * here, none by OkHttp. The reply body ({@code {}}: accepted), or empty when the venue answers
     * "not found" (errorCode 3). A timeout, 5xx or unreadable reply is
     * {@link ExchangeError#UNKNOWN_OUTCOME}: the venue may have acted on it.
     */
    Optional<JsonNode> deleteOnce(String path, ObjectNode body) {
        Request request = request(Host.API, path, Map.of())
                .delete(RequestBody.create(json(body), JSON))
                .build();
        return transport.send(request, reader(Call.ORDER, "DELETE " + path), true, f -> {});
    }

    /** How the venue answered a probe: {@code problem} is null when it answered 2xx. */
    record ProbeReply(Problem problem, String detail) {}

    /**
     * A signed DELETE that changes nothing, sent once (no retry here, none by OkHttp); the
     * answer is classified and returned, not thrown, and a refused signature is not logged as
     * an error: the caller reads the answer.
     */
    ProbeReply probe(String path, ObjectNode body) {
        Request request = request(Host.API, path, Map.of())
                .delete(RequestBody.create(json(body), JSON))
                .build();
        Transport.Attempt<ProbeReply> a = transport.once(request, new Transport.Reader<>() {
            @Override
            public Transport.Attempt<ProbeReply> reply(Response response, String body) {
                Reply reply = classify(request, response, body, Call.PROBE);
                if (reply instanceof Ok ok) {
                    return Transport.Attempt.ok(
                            new ProbeReply(null, "HTTP 2xx " + oneLine(ok.body().toString())));
                }
                Failed failed = (Failed) reply;
                return Transport.Attempt.ok(
                        new ProbeReply(failed.problem(), "DELETE " + path + ": " + failed.detail()));
            }

            @Override
            public Failure io(IOException e) {
                Failed failed = fromIo(e);
                return HibachiErrors.failure(
                        failed.problem(), Call.PROBE, "DELETE " + path + ": " + failed.detail(), null, e);
            }
        });
        if (a instanceof Transport.Ok<ProbeReply> ok) {
            return ok.value();
        }
        Failure f = ((Transport.Failed<ProbeReply>) a).failure();
        return new ProbeReply(f.notFound() ? Problem.NOT_FOUND : Problem.NO_REPLY, f.message());
    }

    private static String json(ObjectNode body) {
        try {
            return HibachiDto.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write request body", e);
        }
    }

    private Request.Builder request(Host host, String path, Map<String, String> query) {
        HttpUrl.Builder url = (host == Host.API ? apiUrl : dataUrl)
                .newBuilder()
                .addPathSegments(path.startsWith("/") ? path.substring(1) : path);
        query.forEach(url::addQueryParameter);
        Request.Builder b = new Request.Builder()
                .url(url.build())
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT);
        if (host == Host.API && apiKey.isPresent()) {
            b.header("Authorization", apiKey.reveal());
        }
        return b;
    }

    /** Reads one reply of a {@code call} called {@code what} into a value or a {@link Failure}. */
    private Transport.Reader<JsonNode> reader(Call call, String what) {
        return new Transport.Reader<>() {
            @Override
            public Transport.Attempt<JsonNode> reply(Response response, String body) {
                Reply reply = classify(response.request(), response, body, call);
                if (reply instanceof Ok ok) {
                    return Transport.Attempt.ok(ok.body());
                }
                Failed failed = (Failed) reply;
                return Transport.Attempt.failed(HibachiErrors.failure(
                        failed.problem(), call, what + ": " + failed.detail(), failed.retryAfter(), failed.cause()));
            }

            @Override
            public Failure io(IOException e) {
                Failed failed = fromIo(e);
                return HibachiErrors.failure(failed.problem(), call, what + ": " + failed.detail(), null, e);
            }
        };
    }

    /** One reply from the venue, classified; never throws for venue trouble. */
    private Reply classify(Request request, Response response, String text, Call call) {
        JsonNode node = parse(text);
        int code = response.code();
        if (response.isSuccessful() && node != null && !isFailed(node)) {
            return new Ok(node);
        }
        if (response.isSuccessful() && node == null) {
            return new Failed(Problem.UNREADABLE, "HTTP " + code + " with " + describe(text), null, null);
        }
        HibachiDto.ErrorBody error = node == null ? null : errorBody(node);
        Problem problem = HibachiErrors.classify(code, error);
        if (problem == Problem.UNAUTHORIZED && request.header("Authorization") == null) {
            problem = Problem.REFUSED; // a public request: no key was there to refuse
        }
        if (problem == Problem.RATE_LIMITED) {
            LOG.warn(
                    "hibachi {} {} rate limited (HTTP 429): {}",
                    request.method(),
                    request.url().encodedPath(),
                    text.isBlank() ? "empty body" : scrub(oneLine(text)));
        }
        if ((problem == Problem.BAD_SIGNATURE || problem == Problem.MAC_ERROR) && call != Call.PROBE) {
            LOG.error(
                    "hibachi {} {} REFUSED OUR SIGNATURE ({}): check exchanges.hibachi.api_secret or "
                            + "private_key and that the signed payload matches the body",
                    request.method(),
                    request.url().encodedPath(),
                    errorText(error));
        }
        String detail = "HTTP " + code
                + (error != null ? " " + errorText(error) : node == null ? " with " + describe(text) : "");
        return new Failed(problem, detail, retryAfter(response.header("Retry-After")), null);
    }

    /** No reply: never sent (connection refused, unknown host), or lost after it may have left. */
    private static Failed fromIo(IOException e) {
        if (e instanceof ConnectException || e instanceof UnknownHostException) {
            return new Failed(Problem.NOT_SENT, "not sent: " + e.getClass().getSimpleName(), null, e);
        }
        String what = e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + " " + e.getMessage();
        return new Failed(Problem.NO_REPLY, "no reply: " + what, null, e);
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = HibachiDto.MAPPER.readTree(text);
            return node == null || node.isMissingNode() || !(node.isObject() || node.isArray()) ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static boolean isFailed(JsonNode node) {
        return node.isObject() && "failed".equalsIgnoreCase(node.path("status").asText(""));
    }

    private static HibachiDto.ErrorBody errorBody(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        try {
            return HibachiDto.MAPPER.treeToValue(node, HibachiDto.ErrorBody.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String errorText(HibachiDto.ErrorBody error) {
        if (error == null) {
            return "";
        }
        String message = error.message() == null ? "" : error.message().strip().replaceAll("\\s+", " ");
        if (message.length() > 200) {
            message = message.substring(0, 200) + "…";
        }
        return "errorCode " + error.errorCode() + ": " + message;
    }

    /** Text on one line, at most 300 characters. */
    static String oneLine(String text) {
        String s = text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    /** The venue's text with our API key masked, should a reply ever echo it. */
    private String scrub(String text) {
        return apiKey.isPresent() && !apiKey.reveal().isEmpty() ? text.replace(apiKey.reveal(), "****") : text;
    }

    /** What an unreadable body looked like, without echoing it. */
    private static String describe(String text) {
        if (text == null || text.isBlank()) {
            return "an empty body";
        }
        String t = text.stripLeading();
        if (t.startsWith("<")) {
            return "an HTML/XML body";
        }
        return "a body that is not JSON (" + text.length() + " chars)";
    }

    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(header.trim());
            if (seconds.signum() < 0) {
                return null;
            }
            return Duration.ofMillis(seconds.movePointRight(3).longValue());
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private sealed interface Reply permits Ok, Failed {}

    private record Ok(JsonNode body) implements Reply {}

    private record Failed(Problem problem, String detail, Duration retryAfter, Throwable cause) implements Reply {}
}
