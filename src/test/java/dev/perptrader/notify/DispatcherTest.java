package dev.perptrader.notify;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.perptrader.config.AppConfig.AlertLevel;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.CapturedLogs;
import dev.perptrader.testutil.Deadline;
import dev.perptrader.testutil.MutableClock;
import dev.perptrader.trader.Alert;
import dev.perptrader.trader.AlertKind;
import dev.perptrader.trader.Alerts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One sink's background delivery: the raising thread only enqueues, a full queue drops the
 * oldest, retries with backoff, level and throttle, and an outage logged once. Time for the
 * throttle comes from a hand-driven clock; waits are on conditions, with a deadline.
 */
final class DispatcherTest {
    private static final Dispatcher.Tuning NO_WAIT = new Dispatcher.Tuning(100, 3, Duration.ZERO, d -> {});

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-03-02T10:00:00Z");
    private final ScriptedSink sink = new ScriptedSink("scripted");
    private final CapturedLogs logs = new CapturedLogs();
    private Dispatcher dispatcher;

    @AfterEach
    void stop() {
        sink.release();
        if (dispatcher != null) {
            dispatcher.close(Duration.ofSeconds(10));
        }
        logs.close();
    }

    private Dispatcher started(AlertLevel min, Duration throttle, Dispatcher.Tuning tuning) {
        dispatcher = new Dispatcher(sink, min, throttle, clock, tuning);
        dispatcher.start();
        return dispatcher;
    }

    /** Offers a last, distinct alert and waits for it: everything offered before has been handled. */
    private void drained() {
        Alert marker = TestAlerts.error(AlertKind.TEST, 999_999L, null);
        dispatcher.offer(marker);
        Deadline.await("the marker alert delivered", () -> sink.accepted().contains(marker));
    }

    private List<AlertKind> acceptedKinds() {
        return sink.accepted().stream()
                .map(Alert::kind)
                .filter(k -> k != AlertKind.TEST)
                .toList();
    }

    @Test
    void aSinkThatHangsNeverDelaysTheTradingThreadsRaise() {
        Store store = Store.open(dir.resolve("bot.db"));
        Alerts alerts = new Alerts(store, clock, Duration.ZERO);
        started(AlertLevel.WARN, Duration.ZERO, Dispatcher.Tuning.DEFAULT);
        alerts.addListener(dispatcher::offer);
        sink.hold();

        assertThat(alerts.raise(AlertKind.UNHEDGED, Alerts.Level.ERROR, 1L, HibachiExchange.VENUE, "first"))
                .isTrue();
        Deadline.await("the sink holding the first alert", sink::holding);
        for (int i = 0; i < 150; i++) {
            assertThat(alerts.raise(AlertKind.UNHEDGED, Alerts.Level.ERROR, 1L, HibachiExchange.VENUE, "again " + i))
                    .isTrue();
        }

        // every raise returned, logged and stored while the sink still holds its first delivery
        assertThat(sink.holding()).isTrue();
        assertThat(sink.accepted()).isEmpty();
        assertThat(store.alerts(1000)).hasSize(151);
        assertThat(dispatcher.dropped()).as("150 queued into 100 places").isEqualTo(50);

        sink.release();
        Deadline.await("the queue sent", () -> sink.accepted().size() == 101);
        assertThat(sink.accepted().get(0).message()).isEqualTo("first");
        assertThat(sink.accepted().get(1).message())
                .as("the oldest were dropped")
                .isEqualTo("again 50");
        assertThat(sink.accepted().get(100).message()).isEqualTo("again 149");
    }

    @Test
    void aFullQueueDropsTheOldestAndSaysSoOnceThenHowManyWereLost() {
        started(AlertLevel.WARN, Duration.ZERO, new Dispatcher.Tuning(2, 1, Duration.ZERO, d -> {}));
        sink.hold();
        dispatcher.offer(TestAlerts.warn(AlertKind.VENUE_DOWN, 1L, null));
        Deadline.await("the sink holding the first alert", sink::holding);
        for (AlertKind k :
                List.of(AlertKind.LEG_SUSPECT, AlertKind.PRICE_SUSPECT, AlertKind.CLOCK_SKEW, AlertKind.KILL_SWITCH)) {
            dispatcher.offer(TestAlerts.warn(k, 1L, null));
        }
        assertThat(dispatcher.dropped()).isEqualTo(2);

        sink.release();
        // no marker here: offered into the still-full queue, it would itself drop an alert
        Deadline.await("the queue sent", () -> sink.accepted().size() == 3);
        // the sink records an alert before the dispatcher thread logs the recovery
        Deadline.await(
                "the recovery logged",
                () -> !logs.messages(Level.INFO, "Dispatcher").isEmpty());
        assertThat(acceptedKinds()).containsExactly(AlertKind.VENUE_DOWN, AlertKind.CLOCK_SKEW, AlertKind.KILL_SWITCH);
        assertThat(logs.messages(Level.WARN, "Dispatcher"))
                .singleElement()
                .asString()
                .startsWith("scripted: too slow to keep up: its queue of 2 is full");
        assertThat(logs.messages(Level.INFO, "Dispatcher"))
                .singleElement()
                .asString()
                .isEqualTo("scripted: delivering alerts again; 2 alert(s) were lost meanwhile");
    }

    @Test
    void aFailedAttemptIsRetriedWithDoublingBackoff() {
        List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
        started(AlertLevel.WARN, Duration.ZERO, new Dispatcher.Tuning(10, 3, Duration.ofSeconds(1), waits::add));
        sink.failNext(2, "connect timed out");
        dispatcher.offer(TestAlerts.unhedged());
        drained();

        assertThat(sink.accepted()).first().isEqualTo(TestAlerts.unhedged());
        assertThat(sink.attempts()).isEqualTo(4); // 3 for the alert, 1 for the marker
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(dispatcher.failed()).isZero();
        assertThat(logs.messages(Level.WARN, "Dispatcher")).isEmpty();
    }

    @Test
    void anOutageIsLoggedOnceWhenItStartsAndOnceWhenItEnds() {
        started(AlertLevel.WARN, Duration.ZERO, NO_WAIT);
        sink.failNext(1_000, "HTTP 503 Service Unavailable");
        List<AlertKind> kinds =
                List.of(AlertKind.VENUE_DOWN, AlertKind.LEG_SUSPECT, AlertKind.PRICE_SUSPECT, AlertKind.CLOCK_SKEW);
        kinds.forEach(k -> dispatcher.offer(TestAlerts.warn(k, 1L, null)));
        Deadline.await("four alerts given up", () -> dispatcher.failed() == 4);
        assertThat(sink.attempts()).isEqualTo(12);

        sink.failNext(0, "");
        drained();
        // the sink records the marker before the dispatcher thread logs the recovery
        Deadline.await(
                "the recovery logged",
                () -> !logs.messages(Level.INFO, "Dispatcher").isEmpty());
        List<String> warns = logs.messages(Level.WARN, "Dispatcher");
        assertThat(warns)
                .singleElement()
                .asString()
                .isEqualTo("scripted: alerts are not being delivered "
                        + "(HTTP 503 Service Unavailable after 3 attempt(s)); each new alert is still tried, and this is "
                        + "logged again only when it recovers");
        assertThat(logs.messages(Level.INFO, "Dispatcher"))
                .containsExactly("scripted: delivering alerts again; 4 alert(s) were lost meanwhile");

        // a second outage is reported again, once
        sink.failNext(1_000, "connection refused");
        kinds.forEach(k -> dispatcher.offer(TestAlerts.error(k, 2L, null)));
        Deadline.await("four more given up", () -> dispatcher.failed() == 8);
        assertThat(logs.messages(Level.WARN, "Dispatcher"))
                .hasSize(2)
                .last()
                .asString()
                .contains("(connection refused after 3 attempt(s))");
    }

    @Test
    void theSameKindPairAndVenueIsSentOncePerThrottleWindowButUnhedgedAlways() {
        started(AlertLevel.WARN, Duration.ofSeconds(60), NO_WAIT);
        Alert low = TestAlerts.warn(AlertKind.LOW_COLLATERAL, 1L, BackpackExchange.VENUE);
        dispatcher.offer(low);
        dispatcher.offer(low);
        clock.advance(Duration.ofSeconds(59));
        dispatcher.offer(low);
        dispatcher.offer(TestAlerts.warn(AlertKind.LOW_COLLATERAL, 2L, BackpackExchange.VENUE)); // another pair
        dispatcher.offer(TestAlerts.warn(AlertKind.LOW_COLLATERAL, 1L, HibachiExchange.VENUE)); // another venue
        dispatcher.offer(TestAlerts.error(AlertKind.LOW_COLLATERAL, 1L, BackpackExchange.VENUE)); // it escalated
        for (int i = 0; i < 3; i++) {
            dispatcher.offer(TestAlerts.unhedged());
        }
        clock.advance(Duration.ofSeconds(1));
        dispatcher.offer(low); // the window has passed
        drained();

        assertThat(acceptedKinds())
                .containsExactly(
                        AlertKind.LOW_COLLATERAL,
                        AlertKind.LOW_COLLATERAL,
                        AlertKind.LOW_COLLATERAL,
                        AlertKind.LOW_COLLATERAL,
                        AlertKind.UNHEDGED,
                        AlertKind.UNHEDGED,
                        AlertKind.UNHEDGED,
                        AlertKind.LOW_COLLATERAL);
    }

    @Test
    void aThrottleOfZeroSendsEveryAlert() {
        started(AlertLevel.WARN, Duration.ZERO, NO_WAIT);
        Alert low = TestAlerts.warn(AlertKind.LOW_COLLATERAL, 1L, BackpackExchange.VENUE);
        dispatcher.offer(low);
        dispatcher.offer(low);
        drained();
        assertThat(acceptedKinds()).hasSize(2);
    }

    @Test
    void belowTheMinimumLevelNothingIsSent() {
        started(AlertLevel.ERROR, Duration.ZERO, NO_WAIT);
        dispatcher.offer(TestAlerts.warn(AlertKind.PNL_DIVERGENCE, 1L, null));
        dispatcher.offer(TestAlerts.error(AlertKind.CLOSE_STUCK, 1L, null));
        drained();
        assertThat(acceptedKinds()).containsExactly(AlertKind.CLOSE_STUCK);
    }

    @Test
    void closingSendsWhatIsQueuedFirst() {
        started(AlertLevel.WARN, Duration.ZERO, NO_WAIT);
        sink.hold();
        dispatcher.offer(TestAlerts.warn(AlertKind.VENUE_DOWN, 1L, null));
        Deadline.await("the sink holding the first alert", sink::holding);
        dispatcher.offer(TestAlerts.warn(AlertKind.KILL_SWITCH, null, null));
        sink.release();
        dispatcher.close(Duration.ofSeconds(30));
        assertThat(acceptedKinds()).containsExactly(AlertKind.VENUE_DOWN, AlertKind.KILL_SWITCH);
        dispatcher.offer(TestAlerts.unhedged());
        assertThat(acceptedKinds()).as("closed: nothing more is taken").hasSize(2);
    }
}
