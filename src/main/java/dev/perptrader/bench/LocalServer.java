package dev.perptrader.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.perptrader.domain.Venue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One local venue over real loopback HTTP (the JDK's HttpServer on 127.0.0.1, an ephemeral port,
 * a bounded pool of handler threads). Every request waits half the round-trip time before the
 * venue acts on it and the other half before the reply goes back, so an order executes when it
 * would "arrive" and the client has the answer one round trip after sending. Every request is
 * recorded in the {@link RequestLog}.
 */
final class LocalServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalServer.class);
    private static final int QUEUE = 256;

    static {
        // Before the JDK's server reads its settings: small replies go out at once (no Nagle delay
        // waiting on the client's delayed ACK, which would add ~40 ms to a round trip), and idle
        // keep-alive connections stay open longer than the clients keep them pooled.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        if (System.getProperty("sun.net.httpserver.idleInterval") == null) {
            System.setProperty("sun.net.httpserver.idleInterval", "600");
        }
    }

    /** What a venue does with one request. */
    interface Route {
        Reply handle(Call call);
    }

    /** One request: query values decoded, header names lower-case (first value of each). */
    record Call(String method, String path, Map<String, String> query, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String what() {
            return method + " " + path;
        }
    }

    /**
     * A reply. {@code clientId} names the order a placement carried (kept in the request log);
     * an empty {@code body} is sent without content.
     */
    record Reply(int status, String contentType, String body, String clientId) {
        static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, null);
        }

        static Reply text(String body) {
            return new Reply(200, "text/plain", body, null);
        }

        static Reply empty() {
            return new Reply(200, "text/plain", "", null);
        }

        Reply forOrder(String id) {
            return new Reply(status, contentType, body, id);
        }
    }

    private final Venue venue;
    private final Route route;
    private final RequestLog log;
    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private volatile long rttNanos;

    private LocalServer(
            Venue venue, Route route, RequestLog log, HttpServer server, ThreadPoolExecutor pool, Duration rtt) {
        this.venue = venue;
        this.route = route;
        this.log = log;
        this.server = server;
        this.pool = pool;
        this.rttNanos = rtt.toNanos();
    }

    /** Starts a server for {@code venue} on 127.0.0.1 with {@code threads} handler threads. */
    static LocalServer start(Venue venue, Route route, RequestLog log, Duration rtt, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads < 1: " + threads);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "bench-" + venue.configName() + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), QUEUE);
        } catch (IOException e) {
            pool.shutdownNow();
            throw new UncheckedIOException("cannot start the local " + venue.configName() + " venue", e);
        }
        LocalServer local = new LocalServer(venue, route, log, server, pool, rtt);
        server.setExecutor(pool);
        server.createContext("/", local::serve);
        server.start();
        return local;
    }

    /** {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort();
    }

    void setRtt(Duration rtt) {
        if (rtt.isNegative()) {
            throw new IllegalArgumentException("rtt < 0: " + rtt);
        }
        rttNanos = rtt.toNanos();
    }

    private void serve(HttpExchange exchange) {
        long accepted = System.nanoTime();
        long rtt = rttNanos;
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getPath();
        Reply reply;
        boolean logged = false;
        try {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            pause(rtt / 2);
            reply = handle(
                    new Call(method, path, query(exchange.getRequestURI().getRawQuery()), headers(exchange), body));
            pause(rtt - rtt / 2);
            // logged before the reply is written: once the client has its answer, the bench may
            // read the log at once (a tick's calls would otherwise race this thread)
            log.add(new RequestLog.Entry(
                    venue, method, path, reply.clientId(), reply.status(), accepted, System.nanoTime()));
            logged = true;
            send(exchange, reply);
        } catch (IOException | RuntimeException e) {
            LOG.warn("local {} venue: {} {} failed: {}", venue.configName(), method, path, e.toString());
            exchange.close();
            if (!logged) {
                log.add(new RequestLog.Entry(venue, method, path, null, 0, accepted, System.nanoTime()));
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
        }
    }

    private Reply handle(Call call) {
        try {
            return route.handle(call);
        } catch (RuntimeException e) {
            LOG.error("local {} venue: {} failed", venue.configName(), call.what(), e);
            return Reply.json(500, "{\"message\":\"local venue error\"}");
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void pause(long nanos) throws InterruptedException {
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.putIfAbsent(
                    URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> out = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                out.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
