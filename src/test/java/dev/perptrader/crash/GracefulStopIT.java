package dev.perptrader.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar in a fresh folder, as a user starts it: {@code run} without flags uses the sim
 * mode's own database, SIGTERM stops it cleanly with exit code 0 (not 143), the files holding
 * money are 0600, and {@code status} finds the one database there and says which it read.
 */
final class GracefulStopIT {
    private static final Path JAR = Path.of("target", "perp-trader.jar").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void sigtermStopsARunWithExitZeroAndEachModeKeepsItsOwnDatabase() throws Exception {
        assertThat(JAR).as("built by the package phase").exists();
        Path log = dir.resolve("run.log");
        Process bot = start(log, "run");
        try {
            untilAPairIsOpen(dir.resolve("perp_trader_book_sim.db"), log);
            bot.destroy(); // SIGTERM
            assertThat(bot.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
            assertThat(bot.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("stop requested", "perp-trader stopped");
        } finally {
            bot.destroyForcibly();
        }

        Path book = dir.resolve("perp_trader_book_sim.db");
        assertThat(book).exists();
        assertThat(dir.resolve("perp_trader.db"))
                .as("the live file is not the sim book")
                .doesNotExist();
        if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
            for (String name :
                    List.of("perp_trader_book_sim.db", "perp_trader_book_sim.db.lock", "perp_trader_sim.db")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
                        .as(name)
                        .isEqualTo("rw-------");
            }
        }

        Finished status = finish("status");
        assertThat(status.code()).as(status.output()).isZero();
        assertThat(status.output()).startsWith("sim database " + book + "\n").contains("pair 1");
    }

    private record Finished(int code, String output) {}

    private Finished finish(String... args) throws Exception {
        Path log = dir.resolve(String.join("-", args).replace("-", "") + ".log");
        Process p = start(log, args);
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS))
                    .as(String.join(" ", args) + " finished")
                    .isTrue();
            return new Finished(p.exitValue(), Files.readString(log));
        } finally {
            p.destroyForcibly();
        }
    }

    private Process start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("APP__"));
        pb.environment().put("APP__TRADING__MARKETS", "BTC");
        pb.environment().put("APP__TRADING__MIN_DURATION_HOURS", "1");
        pb.environment().put("APP__TRADING__MAX_DURATION_HOURS", "1");
        pb.environment().put("APP__MONITOR__INTERVAL_SECONDS", "0.5");
        return pb.start();
    }

    /**
     * Polls the bot's own database (not its log) until a pair is OPEN; the deadline is generous so
     * a loaded two-core machine passes, and a failure shows the log.
     */
    private static void untilAPairIsOpen(Path book, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (Files.exists(book)) {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + book + "?busy_timeout=5000");
                        ResultSet rs = c.createStatement()
                                .executeQuery("SELECT COUNT(*) FROM hedge_pairs WHERE status = 'OPEN'")) {
                    if (rs.next() && rs.getInt(1) > 0) {
                        return;
                    }
                } catch (SQLException notYet) {
                    // the schema is being created: ask again
                }
            }
            Thread.sleep(50);
        }
        fail("no OPEN pair in " + book + " within 2 minutes:\n" + Files.readString(log));
    }
}
