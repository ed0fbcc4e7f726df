package dev.perptrader.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.exchange.backpack.BackpackTestAccess;
import dev.perptrader.exchange.hibachi.HibachiTestAccess;
import dev.perptrader.testutil.StubServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A live cycle and a rejected leg with recognizable fake keys, logging at DEBUG: none of the keys
 * may appear in any log line, any exception message in the log, the database files (alerts and
 * order errors included) or a stored message.
 */
final class SecretsNeverLeakTest {
    private static final List<String> SECRETS = List.of(
            BackpackTestAccess.SECRET,
            BackpackTestAccess.PUBLIC_KEY,
            HibachiTestAccess.HMAC_SECRET,
            HibachiTestAccess.API_KEY);

    @RegisterExtension
    final WireMockExtension backpackServer = StubServer.on();

    @RegisterExtension
    final WireMockExtension hibachiServer = StubServer.on();

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger root;
    private Level rootLevel;
    private LiveRig rig;
    private BackpackVenue backpack;
    private HibachiVenue hibachi;

    @BeforeEach
    void start() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        logs.start();
        root.addAppender(logs);
        rig = new LiveRig(dir);
        backpack = new BackpackVenue(backpackServer.getRuntimeInfo());
        hibachi = new HibachiVenue(hibachiServer.getRuntimeInfo());
        backpack.install(rig.clock.instant());
        hibachi.install(rig.clock.instant());
        rig.start(
                BackpackTestAccess.exchange(backpackServer.getRuntimeInfo(), rig.clock),
                HibachiTestAccess.hmacExchange(hibachiServer.getRuntimeInfo(), rig.clock),
                List.of(backpack::clockIs, hibachi::clockIs));
    }

    @AfterEach
    void stop() {
        rig.close();
        root.detachAppender(logs);
        root.setLevel(rootLevel);
    }

    @Test
    void aFullCycleLeavesNoKeyInLogsExceptionsOrTheDatabase() throws Exception {
        rig.step();
        HedgePair pair = rig.onlyPair();
        rig.advance(Duration.ofSeconds(60));
        rig.step();
        rig.advance(Duration.between(rig.clock.instant(), pair.closeAt()));
        rig.step();
        assertThat(rig.pair(pair.id()).status()).isEqualTo(PairStatus.CLOSED);

        assertNoSecretAnywhere();
    }

    @Test
    void aRejectedLegAndItsRollbackLeaveNoKeyAnywhere() throws Exception {
        hibachi.rejectsOrdersWith(HibachiTestAccess.fixture("error-insufficient.json"));
        rig.step();
        assertThat(rig.onlyPair().status()).isEqualTo(PairStatus.ROLLED_BACK);

        assertNoSecretAnywhere();
    }

    private void assertNoSecretAnywhere() throws Exception {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : logs.list) {
            lines.add(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                lines.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        assertThat(lines).as("log lines captured").hasSizeGreaterThan(10);
        for (String secret : SECRETS) {
            assertThat(lines).as("log lines and exception messages").noneMatch(l -> l != null && l.contains(secret));
        }
        List<Path> dbFiles;
        try (Stream<Path> files = Files.list(dir)) {
            dbFiles = files.filter(f -> f.getFileName().toString().startsWith("bot.db"))
                    .toList();
        }
        assertThat(dbFiles).isNotEmpty();
        for (Path f : dbFiles) {
            String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            for (String secret : SECRETS) {
                assertThat(bytes.contains(secret))
                        .as("%s holds a key", f.getFileName())
                        .isFalse();
            }
        }
        assertThat(rig.store.alerts(100))
                .allSatisfy(a -> SECRETS.forEach(s -> assertThat(a.message()).doesNotContain(s)));
    }
}
