package dev.perptrader.notify;

import dev.perptrader.trader.Alert;
import dev.perptrader.trader.AlertKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sink's own throttle: the same kind for the same pair and venue at most once per
 * {@code window}; UNHEDGED always passes (a naked leg must not go quiet), as in {@code Alerts}.
 * Each level is throttled on its own, so a condition that escalates (WARN, then ERROR) reaches the
 * owner at once. Safe from any thread.
 */
final class Throttle {
    private static final int FORGET_ABOVE = 1_000;

    private final Duration window;
    private final Clock clock;
    private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();

    Throttle(Duration window, Clock clock) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("window < 0: " + window);
        }
        this.window = window;
        this.clock = clock;
    }

    /** True if {@code alert} may be sent now (and it is then counted as sent). */
    boolean admit(Alert alert) {
        if (window.isZero() || alert.kind() == AlertKind.UNHEDGED) {
            return true;
        }
        Instant now = clock.instant();
        String key = alert.kind() + "/" + alert.level() + "/" + alert.pairId() + "/"
                + (alert.venue() == null ? null : alert.venue().name());
        boolean[] admitted = new boolean[1];
        lastSent.compute(key, (k, last) -> {
            if (last != null && now.isBefore(last.plus(window))) {
                return last;
            }
            admitted[0] = true;
            return now;
        });
        if (admitted[0] && lastSent.size() > FORGET_ABOVE) {
            lastSent.values().removeIf(t -> !now.isBefore(t.plus(window)));
        }
        return admitted[0];
    }
}
