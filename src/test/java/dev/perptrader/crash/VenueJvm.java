package dev.perptrader.crash;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@link CrashVenues} in a JVM of its own, started with this test's classpath: Backpack and
 * Hibachi whose positions and order logs outlive every bot process. Closing it closes the
 * venues' standard input, which stops them; if they do not stop, they are killed.
 */
final class VenueJvm implements AutoCloseable {
    private final Processes processes;
    private final Process process;
    private final Path log;
    private final URI backpack;
    private final URI hibachi;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private VenueJvm(Processes processes, Process process, Path log, URI backpack, URI hibachi) {
        this.processes = processes;
        this.process = process;
        this.log = log;
        this.backpack = backpack;
        this.hibachi = hibachi;
    }

    /**
     * Starts the venues, order replies {@code latencyMs} after execution, orders accepted within
     * {@code acceptWindow} of signing; returns once both serve.
     */
    static VenueJvm start(Processes processes, Path dir, int latencyMs, Duration acceptWindow) throws Exception {
        Path ready = dir.resolve("venues.ready");
        Path log = dir.resolve("venues.log");
        ProcessBuilder pb = new ProcessBuilder(
                        PerpTraderJar.javaBin(),
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashVenues.class.getName(),
                        ready.toString(),
                        Integer.toString(latencyMs),
                        Long.toString(acceptWindow.toMillis()))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process p = processes.start(pb);
        Properties urls = Polling.until("the venue process to serve", Polling.PATIENCE, () -> {
            if (!p.isAlive()) {
                throw new AssertionError(
                        "the venue process exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            if (!Files.exists(ready)) {
                return Optional.empty();
            }
            Properties props = new Properties();
            try (var in = Files.newInputStream(ready)) {
                props.load(in);
            }
            return Optional.of(props);
        });
        return new VenueJvm(
                processes, p, log, URI.create(urls.getProperty("backpack")), URI.create(urls.getProperty("hibachi")));
    }

    URI backpack() {
        return backpack;
    }

    URI hibachi() {
        return hibachi;
    }

    /** Both venues' own order logs and positions, venues named as in the bot's database. */
    VenueRecord record() throws IOException, InterruptedException {
        Map<String, URI> venues = new LinkedHashMap<>();
        venues.put("backpack", backpack); // named as the book names venues
        venues.put("hibachi", hibachi);
        return VenueRecord.ofLive(http, venues);
    }

    /** The venue process's output, for failure messages. */
    String output() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public void close() throws Exception {
        try {
            process.getOutputStream().close();
        } finally {
            if (!Processes.ends(process, Duration.ofSeconds(30))) {
                processes.kill(process);
            }
        }
    }
}
