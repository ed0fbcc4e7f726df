package dev.perptrader.crash;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the real jar in sim mode and kills it with {@code kill -9} twenty times — right after an
 * opening order went out, right after a closing order went out, or at a random moment — and
 * after each kill lets {@code recover} finish what was left, then checks that the book is
 * whole: every venue position belongs to exactly one active pair whose partner leg holds the
 * same size on the other venue, closed pairs hold nothing, and no client id was used twice.
 * The simulated venues take 300 ms per order, so kills land while orders are in flight.
 */
final class CrashSafetyIT {
    private static final int KILLS = 20;
    private static final Path JAR = Path.of("target", "perp-trader.jar").toAbsolutePath();

    @TempDir
    Path dir;

    private final Random random = new Random(20261121L);

    @Test
    void everyKillEndsWithBothLegsEqualOrBothFlat() throws Exception {
        assertThat(JAR).as("built by the package phase").exists();
        int midOpen = 0;
        int midClose = 0;
        for (int i = 0; i < KILLS; i++) {
            String target = switch (i % 3) {
                case 0 -> "order OPEN";
                case 1 -> "order CLOSE";
                default -> null;
            };
            Path log = dir.resolve("run-" + i + ".log");
            Process bot = start(log, "run");
            waitFor(log, target == null ? "perp-trader starting" : target, 15_000);
            Thread.sleep(target == null ? random.nextInt(2_500) : random.nextInt(300));
            bot.destroyForcibly();
            bot.waitFor(10, TimeUnit.SECONDS);

            Path recoverLog = dir.resolve("recover-" + i + ".log");
            Process recover = start(recoverLog, "recover");
            assertThat(recover.waitFor(60, TimeUnit.SECONDS)).as("recover finished").isTrue();
            String recovered = Files.readString(recoverLog);
            midOpen += recovered.contains(": OPENING -> ") ? 1 : 0;
            midClose += recovered.contains(": CLOSING -> ") ? 1 : 0;
            checkBook("after kill " + (i + 1) + "\n" + recovered);
        }
        System.out.printf("CrashSafetyIT: %d kill -9, recover resolved a pair left OPENING after %d of them,"
                + " CLOSING after %d; book checked after each%n", KILLS, midOpen, midClose);
        assertThat(midOpen).as("kills that left a pair OPENING").isPositive();
        assertThat(midClose).as("kills that left a pair CLOSING").isPositive();

        Process closeAll = start(dir.resolve("close-all.log"), "close-all", "--yes");
        assertThat(closeAll.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(closeAll.exitValue()).as(Files.readString(dir.resolve("close-all.log"))).isZero();
        checkBook("after close-all");
        assertThat(venuePositions()).as("flat after close-all").isEmpty();
    }

    private Process start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("APP__"));
        env.put("APP__TRADING__MARKETS", "BTC,ETH,SOL");
        env.put("APP__TRADING__MAX_OPEN_PAIRS", "2");
        env.put("APP__TRADING__MIN_DURATION_HOURS", "0.0003");
        env.put("APP__TRADING__MAX_DURATION_HOURS", "0.0006");
        env.put("APP__TRADING__MIN_COOLDOWN_SECONDS", "0.1");
        env.put("APP__TRADING__MAX_COOLDOWN_SECONDS", "0.5");
        env.put("APP__MONITOR__INTERVAL_SECONDS", "0.5");
        env.put("APP__CLOSER__RETRY_BASE_SECONDS", "0.2");
        env.put("APP__CLOSER__RETRY_MAX_SECONDS", "1");
        env.put("APP__SIM__ORDER_LATENCY_MS", "300");
        env.put("APP__RISK__DAILY_LOSS_LIMIT_USD", "0");
        return pb.start();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void waitFor(Path log, String text, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(10);
        }
        fail("'" + text + "' not in " + log + " within " + timeoutMs + " ms:\n" + Files.readString(log));
    }

    private record Leg(long pairId, String status, String venue, String symbol, String side, BigDecimal held) {
        BigDecimal signed() {
            return side.equals("LONG") ? held : held.negate();
        }
    }

    /** The invariants of a quiescent book (no process running). */
    private void checkBook(String context) throws SQLException {
        List<Leg> legs = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("perp_trader_book_sim.db"));
             ResultSet rs = c.createStatement().executeQuery("""
                     SELECT h.id, h.status, p.venue, p.symbol, p.side, p.held
                     FROM hedge_pairs h JOIN positions p ON p.pair_id = h.id""")) {
            while (rs.next()) {
                legs.add(new Leg(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), new BigDecimal(rs.getString(6))));
            }
            try (ResultSet dup = c.createStatement().executeQuery(
                    "SELECT COUNT(*) - COUNT(DISTINCT venue || '/' || client_id) FROM orders")) {
                assertThat(dup.getInt(1)).as("client ids used twice " + context).isZero();
            }
        }
        Map<String, BigDecimal> expected = new HashMap<>();
        Map<Long, List<Leg>> byPair = new HashMap<>();
        for (Leg l : legs) {
            byPair.computeIfAbsent(l.pairId(), k -> new ArrayList<>()).add(l);
            if (List.of("CLOSED", "ROLLED_BACK", "FAILED").contains(l.status())) {
                assertThat(l.held().signum()).as("ended pair %d holds nothing %s", l.pairId(), context).isZero();
            } else if (l.held().signum() != 0) {
                assertThat(expected.put(l.venue() + "/" + l.symbol(), l.signed()))
                        .as("one active leg per venue and market " + context).isNull();
            }
        }
        for (List<Leg> pair : byPair.values()) {
            assertThat(pair).hasSize(2);
            assertThat(pair.get(0).held()).as("legs of pair %d equal %s", pair.get(0).pairId(), context)
                    .isEqualByComparingTo(pair.get(1).held());
            if (pair.get(0).held().signum() != 0) {
                assertThat(pair.get(0).status()).as(context).isIn("OPEN", "CLOSING");
            }
        }
        Map<String, BigDecimal> actual = venuePositions();
        assertThat(actual.keySet()).as("venue positions vs active legs " + context)
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        actual.forEach((k, qty) -> assertThat(qty).as(k + " " + context).isEqualByComparingTo(expected.get(k)));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("perp_trader_sim.db"));
             ResultSet dup = c.createStatement().executeQuery(
                     "SELECT COUNT(*) - COUNT(DISTINCT venue || '/' || client_id) FROM sim_order")) {
            assertThat(dup.getInt(1)).as("venue saw a client id twice " + context).isZero();
        }
    }

    private Map<String, BigDecimal> venuePositions() throws SQLException {
        Map<String, BigDecimal> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("perp_trader_sim.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT venue, symbol, qty FROM sim_position")) {
            while (rs.next()) {
                BigDecimal qty = new BigDecimal(rs.getString(3));
                if (qty.signum() != 0) {
                    // the sim state file names venues by enum name, the book by config name
                    out.put(dev.perptrader.domain.Venue.parse(rs.getString(1)).configName() + "/" + rs.getString(2), qty);
                }
            }
        }
        return out;
    }
}
