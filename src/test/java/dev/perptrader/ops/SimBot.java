package dev.perptrader.ops;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.sim.SimWorld;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.MutableClock;
import dev.perptrader.trader.Orchestrator;
import dev.perptrader.trader.Venues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A whole sim-mode bot as {@code run} wires it, on a hand-driven clock: the simulated venues
 * (BTC only, no drift or basis noise), its book, {@link Ops} with the endpoint on a free port
 * and no watchdog thread (tests call {@link HealthWatchdog#check} themselves), and an
 * Orchestrator reporting to it. Tests drive it with {@link #step()}.
 */
final class SimBot implements AutoCloseable {
    static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final AppConfig config;
    final SimWorld world;
    final Store store;
    final Ops ops;
    final Orchestrator orchestrator;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    SimBot(Path dir) {
        this(dir, Map.of());
    }

    SimBot(Path dir, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>();
        env.put("APP__DATABASE__URL", "sqlite://" + dir.resolve("bot.db"));
        env.put("APP__SIM__STATE_FILE", dir.resolve("sim.db").toString());
        env.put("APP__SIM__VOLATILITY_ANNUAL", "0");
        env.put("APP__SIM__BASIS_NOISE_BPS", "0");
        env.put("APP__TRADING__MARKETS", "BTC");
        env.put("APP__TRADING__MIN_COOLDOWN_SECONDS", "600");
        env.put("APP__TRADING__MAX_COOLDOWN_SECONDS", "600");
        env.put("APP__TRADING__KILL_SWITCH_FILE", dir.resolve("STOP").toString());
        env.put("APP__TRADING__MIN_DURATION_HOURS", "1");
        env.put("APP__TRADING__MAX_DURATION_HOURS", "1");
        env.put("APP__HTTP__ENABLED", "true");
        env.putAll(extraEnv);
        config = ConfigLoader.load(null, false, dir, env, Map.of());
        world = SimWorld.open(config.sim(), clock);
        store = Store.open(config.database().path());
        ops = Ops.open(config, clock, 0);
        Map<Venue, PerpExchange> venues = new TreeMap<>();
        config.trading().venues().forEach(v -> venues.put(v, world.venue(v)));
        orchestrator = new Orchestrator(config, store, new Venues(venues), clock, new Random(7), ops.telemetry());
        try {
            ops.start(orchestrator.alerts(), false);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    void step() {
        orchestrator.step();
    }

    void advance(Duration d) {
        clock.advance(d);
    }

    /** GET {@code path} on the bot's endpoint. */
    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + path))
                .GET());
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /metrics}, read. */
    PromText scrape() {
        HttpResponse<String> r = get("/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + r.statusCode() + ": " + r.body());
        }
        return PromText.parse(r.body());
    }

    /** As {@code run} does: the loop first, then what shows it. */
    @Override
    public void close() {
        orchestrator.close();
        ops.close();
        world.close();
    }
}
