package dev.perptrader.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /metrics} (Prometheus text format, the official exporter) and {@code GET /health}
 * (the health JSON: 200 when healthy, 503 when not) on one port, served by two daemon threads.
 * Any other path is 404.
 */
public final class HttpEndpoint implements AutoCloseable {
    private final HTTPServer server;

    private HttpEndpoint(HTTPServer server) {
        this.server = server;
    }

    /** Listens on {@code bind:port} (port 0: any free port, see {@link #port()}). */
    public static HttpEndpoint start(String bind, int port, PrometheusRegistry registry, HealthCheck health)
            throws IOException {
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "perp-trader-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            return new HttpEndpoint(HTTPServer.builder()
                    .hostname(bind)
                    .port(port)
                    .registry(registry)
                    .registerHealthHandler(false)
                    .defaultHandler(new Routes(health))
                    .executorService(threads)
                    .buildAndStart());
        } catch (UnresolvedAddressException e) {
            threads.shutdownNow();
            throw new IOException("no such address or host: " + bind, e);
        } catch (IOException | RuntimeException e) {
            threads.shutdownNow();
            throw e;
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Everything but /metrics: /health, and 404 for the rest. */
    private static final class Routes implements HttpHandler {
        private final HealthCheck health;

        Routes(HealthCheck health) {
            this.health = health;
        }

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                if (!path.equals("/health")) {
                    respond(exchange, 404, "text/plain; charset=utf-8", "not found: GET /health or GET /metrics\n");
                } else if (!method.equals("GET") && !method.equals("HEAD")) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed: use GET\n");
                } else {
                    Health h = health.now();
                    respond(exchange, h.ok() ? 200 : 503, "application/json; charset=utf-8", HealthJson.of(h));
                }
            }
        }

        private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
