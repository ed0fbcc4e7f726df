package dev.perptrader.trader;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.sim.VirtualClock;
import dev.perptrader.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The trader on a virtual clock: the same {@link Orchestrator} (and so the same HedgeManager,
 * Monitor, Reconciler and Closer) as {@code run}, over the given venues, stepping on {@code run}'s
 * loop grid but only at the instants where a step can do anything
 * ({@link Orchestrator#nextStepAt}): no sleeps, time jumps to the next event. At the end, pairs
 * still open are closed (reason {@link #END_REASON}) so every pair's costs are whole.
 */
public final class Simulation {
    /** Why pairs still open when the simulated span ends were closed. */
    public static final String END_REASON = "SIMULATION_END";

    private Simulation() {}

    /** What a simulation did: the span, how many steps it took, the pairs closed at the end. */
    public record Outcome(Instant start, Instant end, long steps, int closedAtEnd) {}

    /**
     * Runs the trader over {@code span} from the clock's current time. {@code config} must name
     * {@code venues}' database as its own; {@code random} is the trader's (the plan's choices and
     * cooldowns), seeded for a run that can be repeated.
     */
    public static Outcome run(
            AppConfig config,
            Store store,
            Map<Venue, PerpExchange> venues,
            VirtualClock clock,
            Random random,
            Duration span) {
        Duration loop = Orchestrator.loopInterval(config);
        Instant origin = clock.instant();
        Instant end = origin.plus(span);
        long steps = 0;
        int closedAtEnd;
        try (Orchestrator orchestrator = new Orchestrator(config, store, new Venues(venues), clock, random)) {
            orchestrator.recover();
            while (clock.instant().isBefore(end)) {
                orchestrator.step();
                steps++;
                Instant next = orchestrator.nextStepAt(origin, loop);
                clock.advanceTo(next.isBefore(end) ? next : end);
            }
            List<HedgePair> open = store.pairs(PairStatus.active());
            closedAtEnd = open.size();
            if (!open.isEmpty()) {
                orchestrator.closeAll(END_REASON, 3, Duration.ZERO);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("simulation interrupted", e);
        }
        int left = store.pairs(EnumSet.of(PairStatus.OPENING, PairStatus.UNHEDGED, PairStatus.CLOSING))
                .size();
        if (left > 0) {
            throw new IllegalStateException(left + " pair(s) could not be closed at the end of the simulation");
        }
        return new Outcome(origin, end, steps, closedAtEnd);
    }
}
