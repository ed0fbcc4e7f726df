package dev.perptrader.bench;

import java.util.Random;

/**
 * Which orders a local venue refuses, as a venue refuses an order it cannot fund: the next
 * {@code n} opening orders the bench asks for (to measure a rollback), and a random share of the
 * rest, drawn from a seeded sequence. Reduce-only orders (rollbacks, trims, closes) are never
 * refused. Thread-safe.
 */
final class Rejections {
    private final double rate;
    private final Random random;
    private int next;
    private int refusedAtRandom;

    /** {@code rate}: the share of opening orders refused at random, 0 to 1. */
    Rejections(double rate, long seed) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate not in 0..1: " + rate);
        }
        this.rate = rate;
        this.random = new Random(seed);
    }

    /** The next {@code n} opening orders are refused. */
    synchronized void rejectNext(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n < 0: " + n);
        }
        next += n;
    }

    /** Opening orders still to be refused on request. */
    synchronized int pending() {
        return next;
    }

    /** Opening orders refused at random so far (not those asked for by {@link #rejectNext}). */
    synchronized int refusedAtRandom() {
        return refusedAtRandom;
    }

    /** Whether to refuse this order. */
    synchronized boolean refuse(boolean reduceOnly) {
        if (reduceOnly) {
            return false;
        }
        if (next > 0) {
            next--;
            return true;
        }
        if (rate > 0 && random.nextDouble() < rate) {
            refusedAtRandom++;
            return true;
        }
        return false;
    }
}
