package dev.perptrader.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * Wall time spent inside the {@link Store}'s database helpers, summed over every thread. Only the
 * outermost helper of a thread counts: a call made inside a {@link Store#batch} (or any helper
 * nested in another) is already covered by the enclosing one, so nothing is counted twice.
 */
final class StoreTiming {
    private final LongAdder nanos = new LongAdder();
    private final LongAdder calls = new LongAdder();
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    /** Marks the start of a helper; pass the result to {@link #exit}. */
    long enter() {
        depth.get()[0]++;
        return System.nanoTime();
    }

    /** Marks the end of the helper started at {@code startNanos}. */
    void exit(long startNanos) {
        int[] d = depth.get();
        d[0]--;
        if (d[0] == 0) {
            nanos.add(System.nanoTime() - startNanos);
            calls.increment();
        }
    }

    Store.DbTime totals() {
        return new Store.DbTime(nanos.sum(), calls.sum());
    }
}
