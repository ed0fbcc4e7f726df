package dev.perptrader.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * What one bench run does.
 *
 * @param pairs          pairs opened through the trader and measured (open latency, leg skew)
 * @param maxOpen        the largest number of open pairs the monitor is measured at (also at 1 and 10)
 * @param rollbacks      opens with one leg refused on purpose (alternately Hibachi, Backpack) to
 *                       measure the rollback
 * @param ticks          monitor ticks measured at each number of open pairs
 * @param markets        markets the local venues list and the trader is configured with
 * @param rejectRate     the share of opening orders each local venue refuses at random, drawn
 *                       from {@code seed}: 0 (none) up to, not including, 1
 * @param hibachiSigning how the local Hibachi account signs: HMAC-SHA256 or ECDSA secp256k1
 */
public record BenchOptions(
        int pairs,
        int maxOpen,
        Duration rttBackpack,
        Duration rttHibachi,
        int rollbacks,
        int ticks,
        long seed,
        int markets,
        double rejectRate,
        HibachiSigning hibachiSigning) {
    /** The most pairs a bench can hold open. */
    public static final int MAX_OPEN_LIMIT = 60;
    /** The most markets the local venues can list: BTC, ETH, SOL and 97 synthetic ones. */
    public static final int MAX_MARKETS = 100;
    /** The longest round trip a local venue can be given. */
    public static final Duration MAX_RTT = Duration.ofSeconds(10);
    /** The number of open pairs the monitor is also measured at with only as many markets. */
    static final int FEW_MARKETS_PAIRS = 10;

    /** How the local Hibachi account signs its orders and cancels (api doc §2.2). */
    public enum HibachiSigning {
        /** An exchange-managed account: HMAC-SHA256 keyed with the 44-character secret. */
        HMAC,
        /** A trustless account: ECDSA secp256k1 over SHA-256 of the payload, r ‖ s ‖ v. */
        ECDSA;

        /** {@code hmac} or {@code ecdsa}, any case; the message names the option. */
        public static HibachiSigning parse(String text) {
            String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            return switch (t) {
                case "hmac" -> HMAC;
                case "ecdsa" -> ECDSA;
                default ->
                    throw new IllegalArgumentException(
                            "--hibachi-signing must be hmac or ecdsa, got '" + (text == null ? "" : text) + "'");
            };
        }

        /** {@code hmac} or {@code ecdsa}, as the option and the JSON write it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

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
        if (markets < maxOpen || markets > MAX_MARKETS) {
            throw new IllegalArgumentException("--markets must be between --max-open (" + maxOpen + ") and "
                    + MAX_MARKETS + " (one market per open pair), got " + markets);
        }
        if (rollbacks > 0 && markets <= pairs) {
            throw new IllegalArgumentException("--markets must be above --pairs (" + pairs
                    + ") when --rollbacks is above 0 (a rollback opens on a market no open pair holds), got "
                    + markets);
        }
        if (!(rejectRate >= 0 && rejectRate < 1)) {
            throw new IllegalArgumentException("--reject-rate must be at least 0 and below 1, got " + rejectRate);
        }
        if (hibachiSigning == null) {
            throw new IllegalArgumentException("--hibachi-signing must be hmac or ecdsa, got nothing");
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
        for (int p : new int[] {1, FEW_MARKETS_PAIRS, maxOpen}) {
            if (p <= maxOpen && !points.contains(p)) {
                points.add(p);
            }
        }
        return points;
    }

    /**
     * The open pairs at which the monitor is measured a second time, by a second trader whose
     * venues list only as many markets as pairs: 10, or {@code maxOpen} if fewer. Empty when
     * {@code markets} is no more than that already (the run itself has few markets).
     */
    OptionalInt fewMarketsPairs() {
        int p = Math.min(FEW_MARKETS_PAIRS, maxOpen);
        return markets > p ? OptionalInt.of(p) : OptionalInt.empty();
    }
}
