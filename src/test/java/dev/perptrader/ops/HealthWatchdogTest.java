package dev.perptrader.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.files.PrivateFiles;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.MutableClock;
import dev.perptrader.trader.Alert;
import dev.perptrader.trader.AlertKind;
import dev.perptrader.trader.Alerts;
import dev.perptrader.trader.Telemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The watchdog on a hand-driven clock, its checks called directly: the health file it writes, and
 * UNHEALTHY raised only after alerts.unhealthy_after_minutes of unhealth without a break.
 */
final class HealthWatchdogTest {
    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final Duration AFTER = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);
    private final LastTick lastTick = new LastTick();
    private final List<Alert> delivered = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(HealthWatchdog.class);
    private Store store;
    private Alerts alerts;
    private Path file;
    private HealthWatchdog watchdog;

    @BeforeEach
    void setUp() {
        logs.start();
        logger.addAppender(logs);
        store = Store.open(dir.resolve("bot.db"));
        alerts = new Alerts(store, clock, Duration.ofMinutes(15));
        alerts.addListener(delivered::add);
        file = dir.resolve("health.json");
        watchdog = watchdog(Optional.of(file));
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(logs);
    }

    private HealthWatchdog watchdog(Optional<Path> to) {
        HealthCheck check = new HealthCheck(
                Store.openForReading(dir.resolve("bot.db")),
                List.of(BackpackExchange.VENUE, HibachiExchange.VENUE),
                lastTick,
                clock,
                new Health.Rules(INTERVAL, AFTER),
                START);
        HealthWatchdog w = new HealthWatchdog(check, to, AFTER);
        w.raiseThrough(alerts);
        return w;
    }

    private void tick() {
        lastTick.tickCompleted(new Telemetry.Tick(clock.instant(), Duration.ZERO, Map.of(), Map.of()));
    }

    private List<String> unhealthyAlerts() {
        return store.alerts(100).stream()
                .filter(a -> a.kind().equals("UNHEALTHY"))
                .map(a -> a.level() + " " + a.message())
                .toList();
    }

    private String status() throws Exception {
        return new ObjectMapper().readTree(Files.readString(file)).get("status").asText();
    }

    @Test
    void unhealthyIsRaisedOnlyAfterTheSetMinutesOfUnhealthWithoutABreakThenAtTheRepeatInterval() throws Exception {
        tick();
        assertThat(watchdog.check().ok()).isTrue();
        clock.advance(Duration.ofSeconds(181)); // ticks stopped: unhealthy from here
        assertThat(watchdog.check().ok()).isFalse();
        assertThat(status()).isEqualTo("unhealthy");

        clock.advance(AFTER);
        watchdog.check();
        assertThat(unhealthyAlerts())
                .as("exactly the set minutes is not more than them")
                .isEmpty();

        clock.advance(Duration.ofSeconds(1));
        watchdog.check();
        assertThat(unhealthyAlerts())
                .containsExactly("ERROR unhealthy for 5m01s: no monitor tick completed for "
                        + "482 s (limit 180 s: 3 monitor intervals)");
        assertThat(delivered).extracting(Alert::kind).containsExactly(AlertKind.UNHEALTHY);
        assertThat(delivered.get(0).level()).isEqualTo(Alerts.Level.ERROR);

        clock.advance(Duration.ofMinutes(14));
        watchdog.check();
        assertThat(unhealthyAlerts()).as("throttled like any alert").hasSize(1);
        clock.advance(Duration.ofMinutes(1));
        watchdog.check();
        assertThat(unhealthyAlerts()).as("repeated after alerts.repeat_minutes").hasSize(2);
    }

    @Test
    void aHealthyCheckInBetweenStartsTheCountAgainAndIsLoggedOnce() {
        tick();
        clock.advance(Duration.ofSeconds(181));
        watchdog.check();
        clock.advance(Duration.ofMinutes(4));
        tick(); // ticking again before the set minutes
        assertThat(watchdog.check().ok()).isTrue();
        assertThat(messages())
                .containsExactly(
                        "health: unhealthy: no monitor tick completed for 181 s (limit 180 s: 3 monitor intervals)",
                        "health: healthy again after 4m00s unhealthy");

        clock.advance(Duration.ofSeconds(181));
        watchdog.check();
        clock.advance(Duration.ofMinutes(4));
        watchdog.check();
        assertThat(unhealthyAlerts()).as("4 minutes, not 4 + 4").isEmpty();
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        watchdog.check();
        assertThat(unhealthyAlerts()).hasSize(1);
    }

    @Test
    void afterRecoveryTheNextOutageIsRaisedAtOnceItsMinutesArePastNotAfterTheThrottle() {
        tick();
        clock.advance(Duration.ofSeconds(181));
        watchdog.check();
        clock.advance(AFTER.plusSeconds(1));
        watchdog.check();
        assertThat(unhealthyAlerts()).hasSize(1);
        tick();
        watchdog.check();

        clock.advance(Duration.ofSeconds(181));
        watchdog.check();
        clock.advance(AFTER.plusSeconds(1));
        watchdog.check();
        assertThat(unhealthyAlerts())
                .as("a new outage, 11 minutes after the first alert")
                .hasSize(2);
    }

    @Test
    void theHealthFileIsReplacedWholeAndOwnerOnly() throws Exception {
        tick();
        watchdog.check();
        assertThat(status()).isEqualTo("ok");
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PrivateFiles.OWNER_ONLY);
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
                    .isEmpty();
        }
    }

    @Test
    void aHealthFileThatCannotBeWrittenIsSaidOnceAndTheChecksGoOn() throws Exception {
        Path blocked = dir.resolve("not-a-folder");
        Files.writeString(blocked, "a file where a folder should be");
        HealthWatchdog w = watchdog(Optional.of(blocked.resolve("health.json")));
        tick();
        assertThat(w.check().ok()).isTrue();
        assertThat(w.check().ok()).isTrue();
        assertThat(messages()).hasSize(1).allMatch(m -> m.startsWith("cannot write the health file "));
    }

    @Test
    void withoutAHealthFileNothingIsWrittenAndClosingSaysStopped() {
        HealthWatchdog w = watchdog(Optional.empty());
        tick();
        assertThat(w.check().ok()).isTrue();
        w.tickCompleted(
                new Telemetry.Tick(clock.instant(), Duration.ZERO, Map.of(), Map.of())); // not started: no thread
        w.close();
        assertThat(Files.exists(file)).isFalse();

        tick();
        watchdog.check();
        watchdog.close();
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().startsWith("health check failed"));
        assertThat(Files.exists(file)).isTrue();
    }

    private List<String> messages() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
