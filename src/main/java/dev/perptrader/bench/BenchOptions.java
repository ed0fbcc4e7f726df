package dev.perptrader.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one bench run does.
 *
 * @param pairs       pairs opened through the trader and measured (open latency, leg skew)
 * @param maxOpen     the largest number of open pairs the monitor is measured at (also at 1 and 10)
 * @param rollbacks   opens with one leg refused on purpose (alternately Hibachi, Backpack) to
 *                    measure the rollback
 * @param ticks       monitor ticks measured at each number of open pairs
 */
public record BenchOptions(
        int pairs, int maxOpen, Duration rttBackpack, Duration rttHibachi, int rollbacks, int ticks, long seed) {
    /** The most pairs a bench can hold open: one per synthetic market. */
    public static final int MAX_OPEN_LIMIT = 60;
    /** The longest round trip a local venue can be given. */
    public static final Duration MAX_RTT = Duration.ofSeconds(10);

    /** Checks every value; the message of the {@link IllegalArgumentException} names the option. */
    public BenchOptions {
        if (maxOpen < 1 || maxOpen > MAX_OPEN_LIMIT) {
            throw new IllegalArgumentException(
                    "--max-open must be between 1 and " + MAX_OPEN_LIMIT + ", got " + maxOpen);
        }
        if (pairs < 1 || pairs > maxOpen) {
            throw new IllegalArgumentException(
                    "--pairs must be between 1 and --max-open (" + maxOpen + "), got " + pairs);
        }
        requireRtt("--rtt-backpack-ms", rttBackpack);
        requireRtt("--rtt-hibachi-ms", rttHibachi);
        if (rollbacks < 0 || rollbacks > 20) {
            throw new IllegalArgumentException("--rollbacks must be between 0 and 20, got " + rollbacks);
        }
        if (ticks < 1 || ticks > 20) {
            throw new IllegalArgumentException("--ticks must be between 1 and 20, got " + ticks);
        }
    }

    private static void requireRtt(String option, Duration rtt) {
        if (rtt == null || rtt.isNegative() || rtt.compareTo(MAX_RTT) > 0) {
            throw new IllegalArgumentException(option + " must be between 0 and " + MAX_RTT.toMillis() + ", got "
                    + (rtt == null ? "nothing" : rtt.toMillis()));
        }
    }

    /** The slower venue's round trip. */
    Duration maxRtt() {
        return rttBackpack.compareTo(rttHibachi) >= 0 ? rttBackpack : rttHibachi;
    }

    /**
     * Physically fastest open: Backpack answers an order with its fill (1 round trip); Hibachi's
     * order reply holds only an id, so its fill needs a status read (2 round trips). Both legs go
     * at once: the slower of the two.
     */
    Duration openLimit() {
        Duration hibachi = rttHibachi.multipliedBy(2);
        return rttBackpack.compareTo(hibachi) >= 0 ? rttBackpack : hibachi;
    }

    /** The numbers of open pairs the monitor is measured at: 1, 10 and {@code maxOpen}, the ones not above it. */
    List<Integer> tickPoints() {
        List<Integer> points = new ArrayList<>();
        for (int p : new int[] {1, 10, maxOpen}) {
            if (p <= maxOpen && !points.contains(p)) {
                points.add(p);
            }
        }
        return points;
    }
}
