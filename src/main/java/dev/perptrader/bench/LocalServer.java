package dev.perptrader.bench;

import dev.perptrader.domain.Venue;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One local venue over real loopback HTTP/1.1 (127.0.0.1, an ephemeral port). Each connection
 * has its own thread, blocked on the socket until a request's first byte arrives: that moment is
 * when the request is taken to have reached the venue, with no dispatcher or pool hand-off before
 * it is stamped (a shared server's would add one or two thread wake-ups, a millisecond or more on
 * a busy two-core machine, to every arrival the bench compares). Every request waits half the
 * round-trip time before the venue acts on it and the other half before the reply goes back, so
 * an order executes when it would "arrive" and the client has the answer one round trip after
 * sending. Every request is recorded in the {@link RequestLog}.
 *
 * <p>Enough HTTP for the trader's own clients: requests with a {@code Content-Length} body or
 * none, keep-alive unless the client asks to close, replies with a {@code Content-Length}.
 */
final class LocalServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalServer.class);
    private static final int BACKLOG = 256;
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_BODY = 1024 * 1024;

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
    private final ServerSocket socket;
    private final Semaphore connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private volatile long rttNanos;
    private volatile boolean closed;

    private LocalServer(Venue venue, Route route, RequestLog log, ServerSocket socket, int threads, Duration rtt) {
        this.venue = venue;
        this.route = route;
        this.log = log;
        this.socket = socket;
        this.connections = new Semaphore(threads);
        this.rttNanos = rtt.toNanos();
    }

    /**
     * Starts a server for {@code venue} on 127.0.0.1 serving at most {@code threads} connections
     * at once (a further one waits in the backlog until one closes).
     */
    static LocalServer start(Venue venue, Route route, RequestLog log, Duration rtt, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads < 1: " + threads);
        }
        ServerSocket socket;
        try {
            socket = new ServerSocket(0, BACKLOG, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local " + venue.configName() + " venue", e);
        }
        LocalServer local = new LocalServer(venue, route, log, socket, threads, rtt);
        Thread acceptor = new Thread(local::acceptLoop, "bench-" + venue.configName() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return local;
    }

    /** {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://" + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    void setRtt(Duration rtt) {
        if (rtt.isNegative()) {
            throw new IllegalArgumentException("rtt < 0: " + rtt);
        }
        rttNanos = rtt.toNanos();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                connections.acquire();
            } catch (InterruptedException e) {
                return;
            }
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                connections.release();
                if (!closed) {
                    LOG.warn("local {} venue: accept failed: {}", venue.configName(), e.toString());
                }
                continue;
            }
            open.add(s);
            Thread t = new Thread(
                    () -> {
                        try {
                            serveConnection(s);
                        } finally {
                            open.remove(s);
                            connections.release();
                        }
                    },
                    "bench-" + venue.configName() + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serveConnection(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (!closed) {
                int first = in.read();
                if (first < 0) {
                    return;
                }
                // the request's first byte is here: it has reached the venue
                long accepted = System.nanoTime();
                if (!serveOne(first, in, out, accepted)) {
                    return;
                }
            }
        } catch (IOException e) {
            if (!closed && !(e instanceof SocketException)) {
                LOG.warn("local {} venue: connection failed: {}", venue.configName(), e.toString());
            }
        }
    }

    /** Serves the request whose first byte was {@code first}; false when the connection ends. */
    private boolean serveOne(int first, InputStream in, OutputStream out, long accepted) throws IOException {
        String method = "?";
        String path = "?";
        boolean logged = false;
        long rtt = rttNanos;
        try {
            String[] requestLine = (((char) first) + readLine(in)).split(" ");
            if (requestLine.length != 3) {
                throw new IOException("bad request line");
            }
            method = requestLine[0].toUpperCase(Locale.ROOT);
            URI target = URI.create(requestLine[1]);
            path = target.getPath();
            Map<String, String> headers = readHeaders(in);
            String body = readBody(in, headers);
            pause(rtt / 2);
            Reply reply = handle(new Call(method, path, query(target.getRawQuery()), headers, body));
            pause(rtt - rtt / 2);
            // logged before the reply is written: once the client has its answer, the bench may
            // read the log at once (a tick's calls would otherwise race this thread)
            log.add(new RequestLog.Entry(
                    venue, method, path, reply.clientId(), reply.status(), accepted, System.nanoTime()));
            logged = true;
            write(out, reply);
            return !"close".equalsIgnoreCase(headers.get("connection"));
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.warn("local {} venue: {} {} failed: {}", venue.configName(), method, path, e.toString());
            }
            if (!logged) {
                log.add(new RequestLog.Entry(venue, method, path, null, 0, accepted, System.nanoTime()));
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed inside a request");
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("request line or header over " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Header names lower-case, the first value of each. */
    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line");
            }
            out.putIfAbsent(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        return out;
    }

    private static String readBody(InputStream in, Map<String, String> headers) throws IOException {
        if (headers.containsKey("transfer-encoding")) {
            throw new IOException("chunked request bodies are not served (send a Content-Length)");
        }
        String length = headers.get("content-length");
        if (length == null) {
            return "";
        }
        int n;
        try {
            n = Integer.parseInt(length);
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length " + length);
        }
        if (n < 0 || n > MAX_BODY) {
            throw new IOException("Content-Length " + n + " out of range");
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private Reply handle(Call call) {
        try {
            return route.handle(call);
        } catch (RuntimeException e) {
            LOG.error("local {} venue: {} failed", venue.configName(), call.what(), e);
            return Reply.json(500, "{\"message\":\"local venue error\"}");
        }
    }

    private static void write(OutputStream out, Reply reply) throws IOException {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + reply.status() + (reply.status() < 400 ? " OK" : " Error") + "\r\n"
                + "Content-Type: " + reply.contentType() + "\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + bytes.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(bytes, 0, all, headBytes.length, bytes.length);
        // one write: the reply leaves in one segment
        out.write(all);
        out.flush();
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

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("local {} venue: closing its socket: {}", venue.configName(), e.toString());
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("local {} venue: closing a connection: {}", venue.configName(), e.toString());
            }
        }
    }
}
