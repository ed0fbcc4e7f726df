package dev.perptrader.notify;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The HTTP client the sinks share, with short timeouts (a sink must never hold anything up for
 * long), and the one place a failed call becomes an error text: built here, never the client's
 * own message verbatim (OkHttp's exceptions and {@code Response.toString()} carry the URL, and the
 * Bot API puts the token in the URL's path).
 */
final class SinkHttp {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_DETAIL = 200;

    private SinkHttp() {}

    /** A client for sends: no silent retries (the dispatcher retries, and says so), short timeouts. */
    static OkHttpClient client() {
        return new OkHttpClient.Builder()
                .retryOnConnectionFailure(false)
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(READ_TIMEOUT)
                .writeTimeout(READ_TIMEOUT)
                .callTimeout(CALL_TIMEOUT)
                .build();
    }

    /** Runs one call; any status other than 2xx, or no reply, is a {@link DeliveryFailed}. */
    static String execute(OkHttpClient client, Request request, Redactor redactor) throws DeliveryFailed {
        try (Response response = client.newCall(request).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) {
                throw new DeliveryFailed(status(response.code(), response.message(), redactor));
            }
            return body;
        } catch (IOException e) {
            throw new DeliveryFailed(describe(e, redactor));
        }
    }

    /** "HTTP 401 Unauthorized": the code and the reason phrase, scrubbed. */
    static String status(int code, String reason, Redactor redactor) {
        String phrase = clean(reason, redactor);
        return "HTTP " + code + (phrase.isEmpty() ? "" : " " + phrase);
    }

    /** A text from the other side (a reason phrase, a description) as one short, scrubbed line; "" for none. */
    static String clean(String text, Redactor redactor) {
        return text == null || text.isBlank() ? "" : shorten(redactor.scrub(text.strip()));
    }

    /** What went wrong with a call that got no reply, in words; a raw message only scrubbed. */
    static String describe(IOException e, Redactor redactor) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException && message.contains("timeout")) {
            return message.contains("connect") ? "connect timed out" : "timed out";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof SSLException) {
            return "TLS failed";
        }
        if (e instanceof SocketException && message.contains("reset")) {
            return "connection reset";
        }
        if (e instanceof EOFException || message.contains("unexpected end of stream")) {
            return "connection closed without a reply";
        }
        if (e instanceof InterruptedIOException) {
            return "interrupted";
        }
        String detail = clean(e.getMessage(), redactor);
        detail = detail.isEmpty() ? "" : ": " + detail;
        return e.getClass().getSimpleName() + detail;
    }

    /** Frees the client's threads and connections. */
    static void shutdown(OkHttpClient client) {
        client.dispatcher().cancelAll();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    private static String shorten(String s) {
        String line = s.replaceAll("\\s+", " ");
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "...";
    }
}
