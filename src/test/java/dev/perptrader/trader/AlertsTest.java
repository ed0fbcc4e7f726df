package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alert throttling: a persisting condition does not flood, an escalation is never hidden. */
final class AlertsTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-03-02T10:00:00Z");

    @Test
    void theSameAlertAtTheSameLevelRepeatsOnlyAfterTheRepeatInterval() {
        Store store = Store.open(dir.resolve("bot.db"));
        Alerts alerts = new Alerts(store, clock, Duration.ofMinutes(15));

        assertThat(alerts.raise(AlertKind.LEG_SUSPECT, Alerts.Level.WARN, 1L, HibachiExchange.VENUE, "first"))
                .isTrue();
        clock.advance(Duration.ofMinutes(14));
        assertThat(alerts.raise(AlertKind.LEG_SUSPECT, Alerts.Level.WARN, 1L, HibachiExchange.VENUE, "again"))
                .isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(alerts.raise(AlertKind.LEG_SUSPECT, Alerts.Level.WARN, 1L, HibachiExchange.VENUE, "later"))
                .isTrue();
    }

    @Test
    void aWarningThatBecomesAnErrorIsRaisedAtOnce() {
        Store store = Store.open(dir.resolve("bot.db"));
        Alerts alerts = new Alerts(store, clock, Duration.ofMinutes(15));

        alerts.raise(AlertKind.LEG_SUSPECT, Alerts.Level.WARN, 1L, HibachiExchange.VENUE, "suspect");
        clock.advance(Duration.ofSeconds(15));
        assertThat(alerts.raise(AlertKind.LEG_SUSPECT, Alerts.Level.ERROR, 1L, HibachiExchange.VENUE, "unexplained"))
                .isTrue();
        assertThat(alerts.raise(AlertKind.LEG_SUSPECT, Alerts.Level.ERROR, 1L, HibachiExchange.VENUE, "still"))
                .isFalse();
        assertThat(store.alerts(10)).extracting(Store.AlertRow::level).containsExactly("ERROR", "WARN");
    }

    @Test
    void clearingAConditionReportsItsReturnAtOnceAtEveryLevel() {
        Store store = Store.open(dir.resolve("bot.db"));
        Alerts alerts = new Alerts(store, clock, Duration.ofMinutes(15));
        alerts.raise(AlertKind.LEG_SUSPECT, Alerts.Level.WARN, 1L, HibachiExchange.VENUE, "suspect");
        alerts.raise(AlertKind.LEG_SUSPECT, Alerts.Level.ERROR, 1L, HibachiExchange.VENUE, "unexplained");

        alerts.clear(AlertKind.LEG_SUSPECT, 1L, HibachiExchange.VENUE);

        assertThat(alerts.raise(AlertKind.LEG_SUSPECT, Alerts.Level.WARN, 1L, HibachiExchange.VENUE, "back"))
                .isTrue();
        assertThat(alerts.raise(AlertKind.LEG_SUSPECT, Alerts.Level.ERROR, 1L, HibachiExchange.VENUE, "back"))
                .isTrue();
    }

    @Test
    void listenersReceiveEveryEmittedAlertButNotThrottledOnesAndAFailingListenerIsSkipped() {
        Store store = Store.open(dir.resolve("bot.db"));
        Alerts alerts = new Alerts(store, clock, Duration.ofMinutes(15));
        List<Alert> heard = new ArrayList<>();
        alerts.addListener(a -> {
            throw new IllegalStateException("sink broken");
        });
        alerts.addListener(heard::add);

        alerts.raise(AlertKind.LOW_COLLATERAL, Alerts.Level.WARN, 3L, BackpackExchange.VENUE, "ratio 1.3");
        alerts.raise(AlertKind.LOW_COLLATERAL, Alerts.Level.WARN, 3L, BackpackExchange.VENUE, "ratio 1.3 again");

        assertThat(heard)
                .containsExactly(new Alert(
                        clock.instant(),
                        Alerts.Level.WARN,
                        AlertKind.LOW_COLLATERAL,
                        3L,
                        BackpackExchange.VENUE,
                        "ratio 1.3"));
        assertThat(store.alerts(10)).hasSize(1);
    }
}
