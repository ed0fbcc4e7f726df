package dev.perptrader.trader;

import dev.perptrader.domain.Venue;
import java.time.Instant;

/** One alert as raised: logged, stored, then handed to every {@link Alerts} listener. */
public record Alert(Instant at, Alerts.Level level, AlertKind kind, Long pairId, Venue venue, String message) {
    public Alert {
        if (at == null || level == null || kind == null || message == null) {
            throw new IllegalArgumentException("alert without time, level, kind or message");
        }
    }
}
