package dev.perptrader.notify;

import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.trader.Alert;
import dev.perptrader.trader.AlertKind;
import dev.perptrader.trader.Alerts;
import java.time.Instant;

/** Alerts for the sink tests. */
final class TestAlerts {
    static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");

    private TestAlerts() {}

    static Alert unhedged() {
        return new Alert(
                AT, Alerts.Level.ERROR, AlertKind.UNHEDGED, 3L, HibachiExchange.VENUE, "long 0.01 BTC, short 0");
    }

    static Alert warn(AlertKind kind, Long pairId, Venue venue) {
        return new Alert(AT, Alerts.Level.WARN, kind, pairId, venue, kind + " happened");
    }

    static Alert error(AlertKind kind, Long pairId, Venue venue) {
        return new Alert(AT, Alerts.Level.ERROR, kind, pairId, venue, kind + " happened");
    }
}
