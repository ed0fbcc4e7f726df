package dev.perptrader.ops;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.store.Store;
import dev.perptrader.trader.Telemetry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Reads a {@link Health.Snapshot} beside the running bot and decides its {@link Health}. The book
 * is read over its own read-only connection (never the trading thread's), so a probe never holds
 * a lock the bot waits for; the last tick comes from {@link LastTick}. Safe from any thread.
 */
public final class HealthCheck {
    private final Store book;
    private final List<Venue> venues;
    private final LastTick lastTick;
    private final Clock clock;
    private final Health.Rules rules;
    private final Instant startedAt;
    private volatile Instant stoppedAt;

    /**
     * @param book     the bot's database opened with {@link Store#openForReading}
     * @param venues   the configured venues, reported in this order
     * @param started  when this run started: the tick age before the first tick counts from here
     */
    public HealthCheck(
            Store book, List<Venue> venues, LastTick lastTick, Clock clock, Health.Rules rules, Instant started) {
        this.book = book;
        this.venues = List.copyOf(venues);
        this.lastTick = lastTick;
        this.clock = clock;
        this.rules = rules;
        this.startedAt = started;
    }

    /** The health now. */
    public Health now() {
        Health.Snapshot s = snapshot();
        return Health.of(s, clock.instant(), rules);
    }

    /** From now on the bot counts as stopped (its loop has ended). */
    void stopped() {
        stoppedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    Health.Rules rules() {
        return rules;
    }

    private Health.Snapshot snapshot() {
        Optional<Instant> ticked = lastTick.get().map(Telemetry.Tick::at);
        Optional<Instant> stopped = Optional.ofNullable(stoppedAt);
        try {
            return new Health.Snapshot(
                    startedAt,
                    ticked,
                    venues,
                    book.venueReads(),
                    book.openingPause(),
                    book.pairs(EnumSet.of(PairStatus.UNHEDGED)).stream()
                            .map(HedgePair::id)
                            .toList(),
                    book.suspectLegs(),
                    Optional.empty(),
                    stopped);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null
                    ? e.toString()
                    : e.getMessage().lines().findFirst().orElse("");
            return new Health.Snapshot(
                    startedAt,
                    ticked,
                    venues,
                    List.of(),
                    Optional.empty(),
                    List.of(),
                    List.of(),
                    Optional.of(why),
                    stopped);
        }
    }
}
