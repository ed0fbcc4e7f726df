package dev.perptrader.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.MutableClock;
import dev.perptrader.trader.Orchestrator;
import dev.perptrader.trader.Venues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The whole bot in live mode on venues the test provides, driven by hand: BTC only, leverage 3
 * and margin 100 USD per leg (so a notional of 300: 0.005 BTC near 60000), pairs of exactly one
 * hour, a fixed 10-minute cooldown, BACKPACK long and HIBACHI short unless other venues are given. Stepped, never scheduled;
 * the clock moves only through {@link #advance}, which tells every venue stub the new time.
 */
final class LiveRig implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Half an hour before a funding boundary of both venues (16:00 UTC). */
    static final Instant START = Instant.parse("2026-03-02T15:30:00Z");

    final MutableClock clock = new MutableClock(START);
    final AppConfig config;
    final Store store;
    private final List<Consumer<Instant>> venueClocks = new ArrayList<>();
    private Orchestrator orchestrator;

    LiveRig(Path dir) {
        this(dir, List.of(BackpackExchange.VENUE, HibachiExchange.VENUE));
    }

    /** On {@code venues} (trading.venues: the first LONG, the second SHORT). */
    LiveRig(Path dir, List<Venue> venues) {
        Map<String, String> env = new HashMap<>();
        env.put(
                "APP__TRADING__VENUES",
                venues.get(0).configName() + "," + venues.get(1).configName());
        env.put("APP__MODE", "live");
        env.put("APP__DATABASE__URL", "sqlite://" + dir.resolve("bot.db"));
        env.put("APP__SIM__STATE_FILE", dir.resolve("sim.db").toString());
        env.put("APP__SIM__VOLATILITY_ANNUAL", "0");
        env.put("APP__SIM__BASIS_NOISE_BPS", "0");
        env.put("APP__SIM__MAX_FUNDING_RATE", "0");
        env.put("APP__TRADING__MARKETS", "BTC");
        env.put("APP__TRADING__MIN_LEVERAGE", "3");
        env.put("APP__TRADING__MAX_LEVERAGE", "3");
        env.put("APP__TRADING__MIN_MARGIN_USD", "100");
        env.put("APP__TRADING__MAX_MARGIN_USD", "100");
        env.put("APP__TRADING__MIN_DURATION_HOURS", "1");
        env.put("APP__TRADING__MAX_DURATION_HOURS", "1");
        env.put("APP__TRADING__MIN_COOLDOWN_SECONDS", "600");
        env.put("APP__TRADING__MAX_COOLDOWN_SECONDS", "600");
        env.put("APP__TRADING__KILL_SWITCH_FILE", dir.resolve("STOP").toString());
        this.config = ConfigLoader.load(null, false, dir, env, Map.of());
        this.store = Store.open(config.database().path());
    }

    /** Builds the orchestrator on these venues; {@code venueClock} hears every clock move. */
    void start(PerpExchange backpack, PerpExchange hibachi, List<Consumer<Instant>> venueClock) {
        start(List.of(backpack, hibachi), venueClock);
    }

    /** Builds the orchestrator on {@code clients}, one per venue traded. */
    void start(List<PerpExchange> clients, List<Consumer<Instant>> venueClock) {
        Map<Venue, PerpExchange> byVenue = new TreeMap<>();
        clients.forEach(c -> byVenue.put(c.venue(), c));
        venueClocks.addAll(venueClock);
        orchestrator = new Orchestrator(config, store, new Venues(byVenue), clock, new Random(7));
    }

    void step() {
        orchestrator.step();
    }

    void advance(Duration d) {
        Instant now = clock.advance(d);
        venueClocks.forEach(c -> c.accept(now));
    }

    HedgePair onlyPair() {
        List<HedgePair> all = store.pairs(EnumSet.allOf(PairStatus.class));
        if (all.size() != 1) {
            throw new AssertionError("expected one pair, found " + all.size() + ": " + all);
        }
        return all.get(0);
    }

    HedgePair pair(long id) {
        return store.pair(id).orElseThrow();
    }

    /** Steps a retry period at a time, at most {@code maxSteps} times, while a pair is mid-way. */
    void settle(int maxSteps) {
        Set<PairStatus> midWay = EnumSet.of(PairStatus.OPENING, PairStatus.UNHEDGED, PairStatus.CLOSING);
        for (int i = 0; i < maxSteps && !store.pairs(midWay).isEmpty(); i++) {
            advance(config.closer().retryBase());
            step();
        }
    }

    /** The alerts raised, each as its kind and the venue it names ("VENUE_DOWN hibachi") or alone. */
    Set<String> alertsWithVenue() {
        return store.alerts(1000).stream()
                .map(a -> a.kind() + (a.venue() == null ? "" : " " + a.venue()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The leg of {@code pair} on {@code side}. */
    Leg leg(HedgePair pair, Side side) {
        return store.legs(pair.id()).stream()
                .filter(l -> l.side() == side)
                .findFirst()
                .orElseThrow();
    }

    /** The one order of {@code pair} on {@code venue} for {@code purpose} (fails the test unless exactly one). */
    OrderRecord order(HedgePair pair, Venue venue, OrderPurpose purpose) {
        List<OrderRecord> found = store.orders(pair.id()).stream()
                .filter(o -> o.venue() == venue && o.purpose() == purpose)
                .toList();
        assertThat(found).as("%s %s orders", venue, purpose).hasSize(1);
        return found.get(0);
    }

    /** A request's JSON body. */
    static JsonNode json(LoggedRequest r) {
        try {
            return JSON.readTree(r.getBodyAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything {@code server} received, oldest first. */
    static List<ServeEvent> events(WireMock server) {
        List<ServeEvent> events = new ArrayList<>(server.getServeEvents());
        Collections.reverse(events);
        return events;
    }

    /** The state of a venue's scenario on {@code server}: what the venue holds. */
    static String state(WireMock server, String scenario) {
        return server.getScenarios().stream()
                .filter(s -> s.getName().equals(scenario))
                .findFirst()
                .map(Scenario::getState)
                .orElse(Scenario.STARTED);
    }

    List<String> alertKinds() {
        return store.alerts(1000).stream().map(Store.AlertRow::kind).toList();
    }

    @Override
    public void close() {
        if (orchestrator != null) {
            orchestrator.close();
        }
    }
}
