package dev.perptrader.exchange.sim;

import java.util.Random;

/**
 * The simulation's randomness: one {@link Random} per numbered draw, seeded from the configured
 * seed and the draw number. Only the draw counter needs persisting, so a restarted world
 * continues the same sequence instead of replaying it.
 */
final class SimRandom {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final long seed;

    SimRandom(long seed) {
        this.seed = seed;
    }

    /** The generator for draw number {@code n}; the same seed and n give the same numbers. */
    Random draw(long n) {
        return new Random(mix(seed + GOLDEN * (n + 1)));
    }

    /** SplitMix64 finalizer: neighbouring inputs give unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
