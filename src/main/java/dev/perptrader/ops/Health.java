package dev.perptrader.ops;

import dev.perptrader.domain.Leg;
import dev.perptrader.domain.Venue;
import dev.perptrader.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether the bot is healthy at {@code checkedAt}, decided by {@link #of} from a {@link Snapshot}
 * alone. Unhealthy (HTTP 503) when the last completed monitor tick is older than three monitor
 * intervals (before the first tick: the start), a venue has been unreachable for longer than
 * {@code alerts.unhealthy_after_minutes}, a pair is UNHEDGED, a leg is SUSPECT, the database
 * cannot be read, or the bot has stopped. A pause on opening is reported, never unhealthy on its
 * own. {@code reasons} says why, one line each, empty when healthy.
 */
public record Health(
        boolean ok,
        Instant checkedAt,
        Instant startedAt,
        Optional<Instant> lastTickAt,
        long lastTickAgeSeconds,
        List<VenueHealth> venues,
        Optional<Store.Pause> pause,
        List<Long> unhedgedPairs,
        List<Leg> suspectLegs,
        List<String> reasons) {

    public Health {
        venues = List.copyOf(venues);
        unhedgedPairs = List.copyOf(unhedgedPairs);
        suspectLegs = List.copyOf(suspectLegs);
        reasons = List.copyOf(reasons);
        if (ok != reasons.isEmpty()) {
            throw new IllegalArgumentException("ok = " + ok + " but reasons = " + reasons);
        }
    }

    /** The limits: ticks are due every {@code monitorInterval}; a venue may be unreachable for {@code venueDownAfter}. */
    public record Rules(Duration monitorInterval, Duration venueDownAfter) {
        public Rules {
            if (monitorInterval.isZero() || monitorInterval.isNegative()) {
                throw new IllegalArgumentException("monitorInterval <= 0: " + monitorInterval);
            }
            if (venueDownAfter.isZero() || venueDownAfter.isNegative()) {
                throw new IllegalArgumentException("venueDownAfter <= 0: " + venueDownAfter);
            }
        }

        /** A last tick older than this is a stopped loop: three monitor intervals. */
        public Duration tickStaleAfter() {
            return monitorInterval.multipliedBy(3);
        }
    }

    /**
     * What the bot knows, as read at one instant: when this run started, its last completed
     * monitor tick, the configured venues and their last reads (table venue_reads), the pause on
     * opening, the UNHEDGED pairs and SUSPECT legs; {@code unreadable} when the database could not
     * be read (then the lists are empty); {@code stoppedAt} once the bot has stopped.
     */
    public record Snapshot(
            Instant startedAt,
            Optional<Instant> lastTickAt,
            List<Venue> venues,
            List<Store.VenueRead> reads,
            Optional<Store.Pause> pause,
            List<Long> unhedgedPairs,
            List<Leg> suspectLegs,
            Optional<String> unreadable,
            Optional<Instant> stoppedAt) {
        public Snapshot {
            venues = List.copyOf(venues);
            reads = List.copyOf(reads);
            unhedgedPairs = List.copyOf(unhedgedPairs);
            suspectLegs = List.copyOf(suspectLegs);
        }
    }

    /** Whether a venue answered its last read in this run's knowledge. */
    public enum Reach {
        REACHABLE,
        UNREACHABLE,
        NOT_READ
    }

    /**
     * One configured venue: its last successful read, and while its last read failed, since when
     * it counts as unreachable (its last successful read, or this run's start if that was later)
     * and the failure.
     */
    public record VenueHealth(
            Venue venue,
            Reach reach,
            Optional<Instant> lastOkAt,
            Optional<Instant> unreachableSince,
            long unreachableSeconds,
            Optional<String> lastError) {}

    /** The health at {@code now}, from {@code s} alone. */
    public static Health of(Snapshot s, Instant now, Rules rules) {
        List<String> reasons = new ArrayList<>();
        s.unreadable().ifPresent(why -> reasons.add("cannot read the database: " + why));
        s.stoppedAt().ifPresent(at -> reasons.add("perp-trader stopped at " + at));

        Instant tickedOrStarted = s.lastTickAt().orElse(s.startedAt());
        long tickAge = seconds(Duration.between(tickedOrStarted, now));
        if (Duration.between(tickedOrStarted, now).compareTo(rules.tickStaleAfter()) > 0) {
            reasons.add((s.lastTickAt().isPresent()
                            ? "no monitor tick completed for " + tickAge + " s"
                            : "no monitor tick completed since the start " + tickAge + " s ago")
                    + " (limit " + rules.tickStaleAfter().toSeconds() + " s: 3 monitor intervals)");
        }

        List<VenueHealth> venues = new ArrayList<>();
        for (Venue v : s.venues()) {
            VenueHealth h = venue(v, s.reads(), s.startedAt(), now);
            venues.add(h);
            if (h.reach() == Reach.UNREACHABLE
                    && Duration.between(h.unreachableSince().orElseThrow(), now).compareTo(rules.venueDownAfter())
                            > 0) {
                reasons.add("venue " + v.configName() + " unreachable for " + h.unreachableSeconds() + " s (limit "
                        + rules.venueDownAfter().toSeconds() + " s): "
                        + h.lastError().orElse("no reply"));
            }
        }
        s.unhedgedPairs().forEach(id -> reasons.add("pair " + id + " is UNHEDGED"));
        for (Leg leg : s.suspectLegs()) {
            reasons.add("pair " + leg.pairId() + " " + leg.side() + " leg on "
                    + leg.venue().configName() + " is SUSPECT since " + leg.suspectSince() + ": "
                    + leg.suspectReason());
        }
        return new Health(
                reasons.isEmpty(),
                now,
                s.startedAt(),
                s.lastTickAt(),
                tickAge,
                venues,
                s.pause(),
                s.unhedgedPairs(),
                s.suspectLegs(),
                reasons);
    }

    private static VenueHealth venue(Venue v, List<Store.VenueRead> reads, Instant startedAt, Instant now) {
        Optional<Store.VenueRead> read =
                reads.stream().filter(r -> r.venue() == v).findFirst();
        if (read.isEmpty()) {
            return new VenueHealth(v, Reach.NOT_READ, Optional.empty(), Optional.empty(), 0, Optional.empty());
        }
        Store.VenueRead r = read.get();
        if (r.lastErrorAt().isEmpty()) {
            return new VenueHealth(
                    v,
                    r.lastOk().isPresent() ? Reach.REACHABLE : Reach.NOT_READ,
                    r.lastOk(),
                    Optional.empty(),
                    0,
                    Optional.empty());
        }
        Instant since = r.lastOk().filter(ok -> ok.isAfter(startedAt)).orElse(startedAt);
        return new VenueHealth(
                v,
                Reach.UNREACHABLE,
                r.lastOk(),
                Optional.of(since),
                seconds(Duration.between(since, now)),
                r.lastError());
    }

    /** Whole seconds, never negative (a clock set back reads as no time at all). */
    private static long seconds(Duration d) {
        return Math.max(0, d.toSeconds());
    }
}
