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
    Draw draw(long n) {
        return new Draw(mix(seed + GOLDEN * (n + 1)));
    }

    /**
     * The numbers {@code new Random(seed)} gives, by the algorithm {@link Random}'s documentation
     * sets out (its 48-bit linear congruential generator, and the polar method for
     * {@link #nextGaussian}), without Random's thread safety: a market step draws a few dozen
     * numbers on one thread, and Random paid an atomic update for each (and a lock for each
     * Gaussian).
     */
    static final class Draw {
        private static final long MULTIPLIER = 0x5DEECE66DL;
        private static final long ADDEND = 0xBL;
        private static final long MASK = (1L << 48) - 1;
        private static final double DOUBLE_UNIT = 0x1.0p-53;

        private long state;
        private double nextNextGaussian;
        private boolean haveNextNextGaussian;

        Draw(long seed) {
            state = (seed ^ MULTIPLIER) & MASK;
        }

        private int next(int bits) {
            state = (state * MULTIPLIER + ADDEND) & MASK;
            return (int) (state >>> (48 - bits));
        }

        double nextDouble() {
            return (((long) next(26) << 27) + next(27)) * DOUBLE_UNIT;
        }

        double nextGaussian() {
            if (haveNextNextGaussian) {
                haveNextNextGaussian = false;
                return nextNextGaussian;
            }
            double v1;
            double v2;
            double s;
            do {
                v1 = 2 * nextDouble() - 1;
                v2 = 2 * nextDouble() - 1;
                s = v1 * v1 + v2 * v2;
            } while (s >= 1 || s == 0);
            double multiplier = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
            nextNextGaussian = v2 * multiplier;
            haveNextNextGaussian = true;
            return v1 * multiplier;
        }
    }

    /** SplitMix64 finalizer: neighbouring inputs give unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
