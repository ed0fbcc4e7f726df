package dev.perptrader.trader;

import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.store.Store;
import java.time.Clock;
import java.util.Optional;

/**
 * Pauses opening when a failure will repeat: a venue refused our signature or key, or
 * {@code risk.max_consecutive_failed_opens} pairs in a row rolled back or failed. The pause is a
 * row in the database, so it survives a restart, and only {@code perp-trader resume} lifts it
 * (also while {@code run} is active: the loop reads the row every step). Monitoring and closing
 * go on while paused.
 */
final class OpeningBreaker {
    private final Store store;
    private final Alerts alerts;
    private final Clock clock;
    private final int maxFailedOpens;

    OpeningBreaker(Store store, Alerts alerts, Clock clock, int maxFailedOpens) {
        this.store = store;
        this.alerts = alerts;
        this.clock = clock;
        this.maxFailedOpens = maxFailedOpens;
    }

    /** Any venue call that failed: a refused signature or key pauses opening. */
    void refused(ExchangeException e) {
        if (e.error() == ExchangeError.AUTH_FAILED) {
            pause(e.venue().configName() + " refused our signature or key (" + e.getMessage()
                    + "); fix the key, then run 'perp-trader resume'");
        }
    }

    /** After an open ended: too many failed in a row pauses opening. */
    void opened(OpenResult result) {
        if (result instanceof OpenResult.RolledBack || result instanceof OpenResult.Failed) {
            int failed = store.failedOpensInARow();
            if (failed >= maxFailedOpens) {
                pause(failed + " pairs in a row rolled back or failed (risk.max_consecutive_failed_opens = "
                        + maxFailedOpens + "); see 'perp-trader alerts', then run 'perp-trader resume'");
            }
        }
    }

    /** Why opening is paused, if it is (read from the database every time). */
    Optional<Store.Pause> paused() {
        return store.openingPause();
    }

    private void pause(String cause) {
        if (store.pauseOpening(cause, clock.instant())) {
            alerts.raise(
                    AlertKind.OPENING_PAUSED,
                    Alerts.Level.ERROR,
                    null,
                    null,
                    "opening paused: " + cause + "; open pairs are still monitored and closed");
        }
    }
}
