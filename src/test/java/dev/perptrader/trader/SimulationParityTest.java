package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.sim.SimFault;
import dev.perptrader.exchange.sim.SimWorld;
import dev.perptrader.exchange.sim.VirtualClock;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate} is the bot, not a model of it: the same configuration, seed and price path run
 * the {@code run} way (a step every second of a test clock) and the {@code simulate} way (steps
 * only where something is due) give the same pairs, sizes, prices, fees and PnL.
 */
final class SimulationParityTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration SPAN = Duration.ofMinutes(40);
    private static final long SEED = 20261202L;

    @TempDir
    Path dir;

    private AppConfig config(String name) {
        Map<String, String> env = new HashMap<>();
        env.put("APP__DATABASE__URL", "sqlite://" + dir.resolve(name + ".db"));
        env.put("APP__SIM__STATE_FILE", dir.resolve(name + "-sim.db").toString());
        env.put("APP__SIM__SEED", Long.toString(SEED));
        env.put("APP__TRADING__KILL_SWITCH_FILE", dir.resolve("STOP").toString());
        env.put("APP__TRADING__MARKETS", "BTC,ETH,SOL");
        env.put("APP__TRADING__MAX_OPEN_PAIRS", "2");
        env.put("APP__TRADING__MIN_DURATION_HOURS", "0.05");
        env.put("APP__TRADING__MAX_DURATION_HOURS", "0.15");
        env.put("APP__TRADING__MIN_COOLDOWN_SECONDS", "30");
        env.put("APP__TRADING__MAX_COOLDOWN_SECONDS", "90");
        env.put("APP__MONITOR__INTERVAL_SECONDS", "20");
        return ConfigLoader.load(null, false, dir, env, Map.of());
    }

    private static Map<Venue, PerpExchange> venues(SimWorld world, AppConfig cfg) {
        Map<Venue, PerpExchange> out = new TreeMap<>();
        cfg.trading().venues().forEach(v -> out.put(v, world.venue(v)));
        return out;
    }

    /** What must be equal: every pair, leg and order, by value, without ids and database-only times. */
    private static List<String> book(Store store) {
        return store.pairs(EnumSet.allOf(PairStatus.class)).stream()
                .map(p -> pair(p) + "\n  " + legs(store, p) + "\n  " + orders(store, p))
                .toList();
    }

    private static String pair(HedgePair p) {
        return String.join(
                " ",
                p.asset(),
                p.longVenue().configName(),
                p.shortVenue().configName(),
                p.status().name(),
                plain(p.leverage()),
                plain(p.quantity()),
                plain(p.notional()),
                String.valueOf(p.durationMs()),
                String.valueOf(p.openedAt()),
                String.valueOf(p.closedAt()),
                String.valueOf(p.closeReason()),
                plain(p.realizedPnl()),
                plain(p.fees()),
                plain(p.funding()),
                plain(p.volume()),
                plain(p.points()));
    }

    private static String legs(Store store, HedgePair p) {
        return store.legs(p.id()).stream()
                .map((Leg l) -> l.side() + " " + l.venue().configName() + " " + plain(l.size()) + " "
                        + plain(l.openedQty()) + " @ " + plain(l.entryPrice()) + " -> " + plain(l.exitPrice())
                        + " pnl " + plain(l.realizedPnl()) + " fees " + plain(l.fees()) + " funding "
                        + plain(l.funding()))
                .collect(Collectors.joining("; "));
    }

    /** A pair's orders by purpose and venue: the two legs' orders go out at once, so their row ids race. */
    private static String orders(Store store, HedgePair p) {
        return store.orders(p.id()).stream()
                .sorted(Comparator.comparing((OrderRecord o) -> o.purpose().ordinal())
                        .thenComparing(o -> o.venue().configName()))
                .map((OrderRecord o) -> o.purpose() + " " + o.venue().configName() + " " + o.side() + " "
                        + plain(o.qty()) + " " + o.status() + " " + plain(o.filledQty()) + " @ "
                        + plain(o.avgPrice()) + " fee " + plain(o.fee()))
                .collect(Collectors.joining("; "));
    }

    private static String plain(BigDecimal v) {
        return v == null ? "-" : v.stripTrailingZeros().toPlainString();
    }

    /**
     * The {@code run} way: one step every loop interval of the clock, as Orchestrator.run schedules
     * them, on a test clock that is not a {@link VirtualClock}: the legs go out from threads of
     * their own, as in {@code run}, where {@code simulate} sends them one after the other.
     */
    private List<String> runEverySecond(Consumer<SimWorld> setUp) {
        AppConfig cfg = config("run");
        MutableClock clock = new MutableClock(START);
        Duration loop = Orchestrator.loopInterval(cfg);
        try (SimWorld world = SimWorld.open(cfg.sim(), clock);
                Store store = Store.open(cfg.database().path());
                Orchestrator o =
                        new Orchestrator(cfg, store, new Venues(venues(world, cfg)), clock, new Random(SEED))) {
            setUp.accept(world);
            o.recover();
            Instant end = START.plus(SPAN);
            while (clock.instant().isBefore(end)) {
                o.step();
                clock.advance(loop);
            }
            o.closeAll(Simulation.END_REASON, 3, Duration.ZERO);
            return book(store);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The {@code simulate} way. */
    private List<String> simulate(Consumer<SimWorld> setUp) {
        AppConfig cfg = config("simulate");
        VirtualClock clock = new VirtualClock(START);
        try (SimWorld world = SimWorld.open(cfg.sim(), clock);
                Store store = Store.open(cfg.database().path())) {
            setUp.accept(world);
            Simulation.Outcome outcome = Simulation.run(cfg, store, venues(world, cfg), clock, new Random(SEED), SPAN);
            assertThat(outcome.steps())
                    .as("steps only where something is due: far fewer than one a second")
                    .isLessThan(SPAN.toSeconds() / 4);
            return book(store);
        }
    }

    @Test
    void simulateTakesTheSameDecisionsAsRunSteppingEverySecond() {
        List<String> run = runEverySecond(world -> {});
        List<String> simulated = simulate(world -> {});

        assertThat(run)
                .as("a few pairs opened and closed, so there is something to compare")
                .hasSizeGreaterThan(3);
        assertThat(simulated).containsExactlyElementsOf(run);
    }

    /**
     * The first pair's Hibachi leg is refused while its Backpack leg fills: the early rollback
     * ({@code OrderExecutor#reduceAfter}) is sent from the refusal's callback, on the caller's
     * thread in {@code simulate}, where a task waiting for another would never end. Both ways roll
     * the pair back and go on to the same book.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRefusedLegIsRolledBackTheSameWhenTheLegsGoOutOneAfterTheOther() {
        Consumer<SimWorld> refuseFirstHibachiOrder =
                world -> world.venue(HibachiExchange.VENUE).injectOrderFault(SimFault.REJECT);
        List<String> run = runEverySecond(refuseFirstHibachiOrder);
        List<String> simulated = simulate(refuseFirstHibachiOrder);

        assertThat(run.get(0)).contains("ROLLED_BACK").contains("ROLLBACK backpack");
        assertThat(run).hasSizeGreaterThan(3);
        assertThat(simulated).containsExactlyElementsOf(run);
    }

    @Test
    void theNextStepIsOnTheLoopGridAndNeverBeforeTheNextInstantOfIt() {
        Instant origin = Instant.parse("2026-01-01T00:00:00Z");
        Duration loop = Duration.ofSeconds(1);
        assertThat(Orchestrator.onGrid(origin, loop, origin.plusMillis(1))).isEqualTo(origin.plusSeconds(1));
        assertThat(Orchestrator.onGrid(origin, loop, origin.plusSeconds(5))).isEqualTo(origin.plusSeconds(5));
        assertThat(Orchestrator.onGrid(origin, loop, origin.plusMillis(5_001))).isEqualTo(origin.plusSeconds(6));
        assertThat(Orchestrator.onGrid(origin, Duration.ofMillis(250), origin.plusMillis(260)))
                .isEqualTo(origin.plusMillis(500));
    }
}
