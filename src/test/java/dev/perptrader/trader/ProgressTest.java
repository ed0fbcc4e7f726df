package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.store.Database;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The progress a farmer sees in the log, and the marks table kept small, on the injected clock. */
final class ProgressTest {
    @TempDir
    Path dir;

    private Harness h;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Orchestrator.class);

    @BeforeEach
    void capture() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(logs);
        if (h != null) {
            h.close();
        }
    }

    private List<String> lines(String prefix) {
        List<String> out = logs.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith(prefix))
                .toList();
        logs.list.clear();
        return out;
    }

    @Test
    void aSummaryLineEverySummaryMinutesWithTodaysFiguresAndWhenTheNextPairOpens() {
        h = new Harness(dir, Map.of("APP__MONITOR__SUMMARY_MINUTES", "15"));
        h.orchestrator.step();
        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(lines("summary:")).as("not before 15 minutes").isEmpty();

        h.advance(Duration.ofMinutes(14));
        h.orchestrator.step();
        assertThat(lines("summary:")).isEmpty();
        h.advance(Duration.ofMinutes(1));
        h.orchestrator.step();
        assertThat(lines("summary:"))
                .containsExactly("summary: 1 open pair(s); today (UTC): 0 pair(s) ended, "
                        + "volume 0.00 USD, fees 0.00, funding 0.00, net 0.00, points 0.00; opening allowed");

        h.advance(Duration.ofMinutes(45)); // the pair expires and closes; a cooldown of 10 minutes starts
        h.orchestrator.step();
        HedgePair closed = h.store.pair(pair.id()).orElseThrow();
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        List<String> summary = lines("");
        assertThat(summary).contains("next pair opens at 2026-03-02T11:10:00Z (in 600s)");
        Progress.Totals today = Progress.Totals.of(List.of(closed));
        assertThat(today.volume().signum()).isPositive();
        assertThat(today.net()).isEqualByComparingTo(h.store.netPnlEndedSince(Harness.START));
        assertThat(summary)
                .contains("summary: 0 open pair(s); today (UTC): 1 pair(s) ended, volume "
                        + Money.usd(closed.volume()).toPlainString() + " USD, fees "
                        + Money.usd(closed.fees()).toPlainString()
                        + ", funding " + Money.usd(closed.funding()).toPlainString() + ", net "
                        + Money.usd(today.net()).toPlainString() + ", points "
                        + closed.points().setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "; opening allowed");

        assertThat(Progress.totals(h.orchestrator.runTotals())).first().isEqualTo("run totals: 1 pair(s) ended");
        assertThat(Progress.totals(h.orchestrator.runTotals()))
                .contains("  net      " + Money.usd(today.net()).toPlainString() + " USD");
    }

    @Test
    void aPausedBookSaysSoInTheSummary() {
        h = new Harness(dir, Map.of("APP__MONITOR__SUMMARY_MINUTES", "1"));
        h.store.pauseOpening("signing key refused", Harness.START);
        h.advance(Duration.ofMinutes(1));
        h.orchestrator.step();
        assertThat(lines("summary:"))
                .singleElement()
                .asString()
                .endsWith("; opening PAUSED since 2026-03-02T10:00:00Z ('perp-trader resume' lifts it)");
    }

    @Test
    void marksOlderThanKeepMarksDaysAreThinnedAtMostOnceAnHour() {
        h = new Harness(dir, Map.of("APP__MONITOR__KEEP_MARKS_DAYS", "30"));
        h.orchestrator.step();
        long id = h.onlyPair().id();
        Instant start = h.clock.instant();
        addMarks(id, start.minus(Duration.ofDays(31)));
        addMarks(id, start.minus(Duration.ofDays(29)));
        h.restart(); // a new process thins at its first step
        h.orchestrator.step();
        assertThat(marksBetween(start.minus(Duration.ofDays(32)), start.minus(Duration.ofDays(30))))
                .as("older than 30 days: one per hour")
                .isEqualTo(1);
        assertThat(marksBetween(start.minus(Duration.ofDays(30)), start.minus(Duration.ofDays(28))))
                .as("younger: all kept")
                .isEqualTo(6);

        addMarks(id, start.minus(Duration.ofDays(40)));
        h.advance(Duration.ofMinutes(59));
        h.orchestrator.step();
        assertThat(marksBetween(start.minus(Duration.ofDays(41)), start.minus(Duration.ofDays(39))))
                .as("not again within the hour")
                .isEqualTo(6);
        h.advance(Duration.ofMinutes(1));
        h.orchestrator.step();
        assertThat(marksBetween(start.minus(Duration.ofDays(41)), start.minus(Duration.ofDays(39))))
                .as("an hour after the last thinning")
                .isEqualTo(1);
    }

    private int marksBetween(Instant from, Instant to) {
        try (Handle handle = Database.connect(dir.resolve("bot.db")).open()) {
            return handle.createQuery("SELECT COUNT(*) FROM marks WHERE at >= :f AND at < :t")
                    .bind("f", from.toEpochMilli())
                    .bind("t", to.toEpochMilli())
                    .mapTo(Integer.class)
                    .one();
        }
    }

    /** Six marks an hour for an hour from {@code from}. */
    private void addMarks(long pairId, Instant from) {
        for (int minute = 0; minute < 60; minute += 10) {
            h.store.insertMark(new Store.Mark(
                    pairId,
                    from.plus(Duration.ofMinutes(minute)),
                    BigDecimal.ONE,
                    BigDecimal.ONE,
                    BigDecimal.ZERO,
                    BigDecimal.ZERO,
                    null,
                    null,
                    BigDecimal.ZERO));
        }
    }
}
