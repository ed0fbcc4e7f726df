package dev.perptrader.trader;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.sim.SimVenue;
import dev.perptrader.exchange.sim.SimWorld;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.MutableClock;
import dev.perptrader.testutil.ScriptedExchange;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A whole bot on the simulated venues with a hand-driven clock: BTC only, no price drift or
 * basis noise (prices constant unless a test moves them), a fixed 10-minute cooldown, BACKPACK long and
 * HIBACHI short. Each venue is wrapped in a {@link ScriptedExchange} for failures.
 */
final class Harness implements AutoCloseable {
    static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

    final Path dir;
    final MutableClock clock;
    final AppConfig config;
    final Map<String, String> env;
    SimWorld world;
    SimVenue backpackSim;
    SimVenue hibachiSim;
    ScriptedExchange backpack;
    ScriptedExchange hibachi;
    Store store;
    Orchestrator orchestrator;
    /** The venues traded, as trading.venues lists them. */
    final List<Venue> venues;

    private final Map<Venue, SimVenue> sims = new TreeMap<>();
    private final Map<Venue, ScriptedExchange> scripted = new TreeMap<>();

    Harness(Path dir) {
        this(dir, Map.of());
    }

    Harness(Path dir, Map<String, String> extraEnv) {
        this(dir, extraEnv, List.of(BackpackExchange.VENUE, HibachiExchange.VENUE));
    }

    /** On {@code venues} (trading.venues: the first takes the long). */
    Harness(Path dir, Map<String, String> extraEnv, List<Venue> venues) {
        this(dir, extraEnv, new MutableClock(START), venues);
    }

    private Harness(Path dir, Map<String, String> extraEnv, MutableClock clock, List<Venue> venues) {
        this.dir = dir;
        this.clock = clock;
        this.venues = List.copyOf(venues);
        Map<String, String> e = new HashMap<>(baseEnv(dir));
        e.put(
                "APP__TRADING__VENUES",
                venues.get(0).configName() + "," + venues.get(1).configName());
        e.putAll(extraEnv);
        this.env = Map.copyOf(e);
        this.config = ConfigLoader.load(null, false, dir, env, Map.of());
        start();
    }

    /**
     * The settings every trader test starts from: files in {@code dir}, one market (BTC), a still
     * sim market (no volatility, basis or funding), ten minutes between pairs, pairs of one hour.
     */
    static Map<String, String> baseEnv(Path dir) {
        Map<String, String> e = new HashMap<>();
        e.put("APP__DATABASE__URL", "sqlite://" + dir.resolve("bot.db"));
        e.put("APP__SIM__STATE_FILE", dir.resolve("sim.db").toString());
        e.put("APP__SIM__VOLATILITY_ANNUAL", "0");
        e.put("APP__SIM__BASIS_NOISE_BPS", "0");
        e.put("APP__SIM__MAX_FUNDING_RATE", "0");
        e.put("APP__TRADING__MARKETS", "BTC");
        e.put("APP__TRADING__MIN_COOLDOWN_SECONDS", "600");
        e.put("APP__TRADING__MAX_COOLDOWN_SECONDS", "600");
        e.put("APP__TRADING__KILL_SWITCH_FILE", dir.resolve("STOP").toString());
        e.put("APP__TRADING__MIN_DURATION_HOURS", "1");
        e.put("APP__TRADING__MAX_DURATION_HOURS", "1");
        return e;
    }

    /** Opens the sim venues, the store and a new orchestrator (as a process start would). */
    void start() {
        world = SimWorld.open(config.sim(), clock);
        Map<Venue, PerpExchange> byVenue = new TreeMap<>();
        for (Venue v : venues) {
            SimVenue sim = world.venue(v);
            ScriptedExchange wrapped = new ScriptedExchange(sim);
            sims.put(v, sim);
            scripted.put(v, wrapped);
            byVenue.put(v, wrapped);
        }
        // the named fields, for the many tests on the default pair
        backpackSim = sims.get(BackpackExchange.VENUE);
        hibachiSim = sims.get(HibachiExchange.VENUE);
        backpack = scripted.get(BackpackExchange.VENUE);
        hibachi = scripted.get(HibachiExchange.VENUE);
        store = Store.open(config.database().path());
        orchestrator = new Orchestrator(config, store, new Venues(byVenue), clock, new Random(7));
    }

    /** Simulates a crash and a new process: everything in memory is dropped, files stay. */
    void restart() {
        close();
        start();
    }

    void advance(Duration d) {
        clock.advance(d);
    }

    HedgePair onlyPair() {
        List<HedgePair> all = store.pairs(EnumSet.allOf(PairStatus.class));
        if (all.size() != 1) {
            throw new AssertionError("expected one pair, found " + all.size() + ": " + all);
        }
        return all.get(0);
    }

    List<Leg> legs(HedgePair p) {
        return store.legs(p.id());
    }

    /** The scripted wrapper the bot talks to for {@code v}. */
    ScriptedExchange scripted(Venue v) {
        return scripted.get(v);
    }

    /** The sim venue behind {@code v}'s wrapper. */
    SimVenue sim(Venue v) {
        return sims.get(v);
    }

    /** The other venue of the pair. */
    Venue other(Venue v) {
        return venues.get(0) == v ? venues.get(1) : venues.get(0);
    }

    List<AccountState.Position> positions(Venue v) {
        return sims.get(v).account().positions();
    }

    List<String> alertKinds() {
        return store.alerts(1000).stream().map(Store.AlertRow::kind).toList();
    }

    @Override
    public void close() {
        orchestrator.close();
        world.close();
    }
}
