package dev.perptrader.trader;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-pair retry schedule: after the n-th failure the next try waits base × 2^(n−1), capped at
 * max. Also remembers when the trouble started, for "stuck" alerts.
 */
final class Backoff {
    private record State(int failures, Instant nextTry, Instant since) {}

    private final Duration base;
    private final Duration max;
    private final Map<Long, State> states = new ConcurrentHashMap<>();

    Backoff(Duration base, Duration max) {
        this.base = base;
        this.max = max;
    }

    boolean due(long pairId, Instant now) {
        State s = states.get(pairId);
        return s == null || !now.isBefore(s.nextTry());
    }

    /** Records a failed try at {@code now}; returns when the trouble started. */
    Instant failed(long pairId, Instant now) {
        State s = states.get(pairId);
        int failures = s == null ? 1 : s.failures() + 1;
        Instant since = s == null ? now : s.since();
        Duration wait = base.multipliedBy(1L << Math.min(failures - 1, 20));
        if (wait.compareTo(max) > 0) {
            wait = max;
        }
        states.put(pairId, new State(failures, now.plus(wait), since));
        return since;
    }

    void succeeded(long pairId) {
        states.remove(pairId);
    }
}
