package dev.perptrader.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.perptrader.exchange.backpack.BackpackTestAccess;
import dev.perptrader.exchange.hibachi.HibachiTestAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real jar and kills it with {@code kill -9} while it trades: right after it recorded an
 * opening order, right after it recorded a closing order, or at a random moment. After each kill
 * {@code recover} settles what was left (run again while a venue's late-execution window keeps an
 * order unknown), then the book is checked against what the venues themselves executed and hold
 * ({@link Invariants}). Twelve kills run in sim mode, where the simulated venues live in their own
 * state file; eight in live mode, against Backpack and Hibachi served by a separate JVM
 * ({@link CrashVenues}) that executes an order when it arrives and answers it later, so a killed
 * bot leaves orders the venue executed but never confirmed, and {@code recover} must find them by
 * client id through the real REST clients.
 *
 * <p>Nothing waits a fixed time to decide anything: the test polls the bot's database for the
 * state it wants, with generous deadlines; only the moment of each kill after that state is a
 * short random pause (seeded). Every process started is killed when the test ends, however it ends.
 */
final class CrashSafetyIT {
    private static final int SIM_KILLS = 12;
    private static final int LIVE_KILLS = 8;
    /** Sim mode: half before the simulated venue executes an order, half after. */
    private static final int SIM_LATENCY_MS = 400;
    /** Live mode: the venue executes an order when it arrives and replies this much later. */
    private static final int LIVE_LATENCY_MS = 800;
    /** Bound on settling what one kill left, through as many {@code recover} runs as it takes. */
    private static final Duration RECOVERY = Duration.ofSeconds(180);

    /**
     * The venues' late-execution window in live mode (by default Backpack 5 s, Hibachi 15 s): an
     * order not found at the venue stays unknown this long after it was sent, and {@code recover}
     * is run again until it has passed. The crash venues refuse an order that arrives later than
     * this after it was signed, as the real venues do after their own windows, so giving up then
     * is as safe here as it is there; a short window keeps those kills quick.
     */
    private static final Duration LATE_EXECUTION = Duration.ofSeconds(3);

    private static final Map<String, String> LATE_EXECUTION_SETTINGS = Map.of(
            "APP__EXCHANGES__BACKPACK__LATE_EXECUTION_SECONDS", Long.toString(LATE_EXECUTION.toSeconds()),
            "APP__EXCHANGES__HIBACHI__LATE_EXECUTION_SECONDS", Long.toString(LATE_EXECUTION.toSeconds()));

    private static final Map<String, String> TRADING = Map.of(
            "APP__TRADING__MAX_OPEN_PAIRS", "2",
            "APP__TRADING__MIN_DURATION_HOURS", "0.0002",
            "APP__TRADING__MAX_DURATION_HOURS", "0.0004",
            "APP__TRADING__MIN_COOLDOWN_SECONDS", "0.1",
            "APP__TRADING__MAX_COOLDOWN_SECONDS", "0.5",
            "APP__MONITOR__INTERVAL_SECONDS", "0.5",
            "APP__CLOSER__RETRY_BASE_SECONDS", "0.2",
            "APP__CLOSER__RETRY_MAX_SECONDS", "1",
            "APP__RISK__DAILY_LOSS_LIMIT_USD", "0",
            // kills mid-open roll pairs back on purpose: the opening breaker must not pause the bot
            "APP__RISK__MAX_CONSECUTIVE_FAILED_OPENS", "100");

    @RegisterExtension
    final Processes processes = new Processes();

    @TempDir
    Path dir;

    private final Random random = new Random(20261121L);

    /** When a kill comes: after an order of {@code purpose} was recorded (any order when null). */
    private enum KillPoint {
        MID_OPEN("OPEN"),
        MID_CLOSE("CLOSE"),
        ANY_MOMENT(null);

        final String purpose;

        KillPoint(String purpose) {
            this.purpose = purpose;
        }

        static KillPoint of(int kill) {
            return values()[kill % values().length];
        }
    }

    @Test
    void simKillsLeaveTheBookAsTheSimulatedVenuesHoldIt() throws Exception {
        assertThat(PerpTraderJar.JAR).as("built by the package phase").exists();
        Path home = Files.createDirectories(dir.resolve("sim"));
        Path venueState = home.resolve("venues.db");
        Map<String, String> env = new HashMap<>(TRADING);
        env.put("APP__MODE", "sim");
        env.put("APP__DATABASE__URL", "sqlite://" + home.resolve("bot.db"));
        env.put("APP__SIM__STATE_FILE", venueState.toString());
        env.put("APP__SIM__ORDER_LATENCY_MS", Integer.toString(SIM_LATENCY_MS));
        env.put("APP__TRADING__MARKETS", "BTC,ETH,SOL");
        try (BotDatabase db = new BotDatabase(home.resolve("bot.db"))) {
            Campaign c = new Campaign(
                    "sim",
                    new PerpTraderJar(processes, home, env),
                    db,
                    () -> VenueRecord.ofSim(venueState),
                    SIM_LATENCY_MS);
            c.kill(SIM_KILLS);
            c.closeAllAndCheckFlat();
            c.report();
        }
    }

    @Test
    void liveKillsMidOrderAreSettledWithVenuesThatOutliveTheBot() throws Exception {
        assertThat(PerpTraderJar.JAR).as("built by the package phase").exists();
        Path home = Files.createDirectories(dir.resolve("live"));
        try (VenueJvm venues = VenueJvm.start(processes, home, LIVE_LATENCY_MS, LATE_EXECUTION);
                BotDatabase db = new BotDatabase(home.resolve("bot.db"))) {
            Map<String, String> env = new HashMap<>(TRADING);
            env.put("APP__MODE", "live");
            env.put("APP__DATABASE__URL", "sqlite://" + home.resolve("bot.db"));
            env.put("APP__TRADING__MARKETS", "BTC,SOL");
            env.put("APP__EXCHANGES__BACKPACK__BASE_URL", venues.backpack().toString());
            env.put("APP__EXCHANGES__BACKPACK__API_KEY", BackpackTestAccess.PUBLIC_KEY);
            env.put("APP__EXCHANGES__BACKPACK__API_SECRET", BackpackTestAccess.SECRET);
            env.put("APP__EXCHANGES__HIBACHI__API_URL", venues.hibachi().toString());
            env.put("APP__EXCHANGES__HIBACHI__DATA_URL", venues.hibachi().toString());
            env.put("APP__EXCHANGES__HIBACHI__API_KEY", HibachiTestAccess.API_KEY);
            env.put("APP__EXCHANGES__HIBACHI__API_SECRET", HibachiTestAccess.HMAC_SECRET);
            env.put("APP__EXCHANGES__HIBACHI__ACCOUNT_ID", Long.toString(HibachiTestAccess.ACCOUNT_ID));
            env.putAll(LATE_EXECUTION_SETTINGS);
            Campaign c =
                    new Campaign("live", new PerpTraderJar(processes, home, env), db, venues::record, LIVE_LATENCY_MS);
            try {
                c.kill(LIVE_KILLS);
                c.closeAllAndCheckFlat();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n--- venue process\n" + venues.output(), e);
            }
            c.report();
            assertThat(c.replyLost)
                    .as("kills after which an order the venue had executed was unconfirmed")
                    .isPositive();
        }
    }

    /** One mode's kills: the jar, its database, the venues' own record, and what the kills hit. */
    private final class Campaign {
        private final String mode;
        private final PerpTraderJar jar;
        private final BotDatabase db;
        private final Callable<VenueRecord> venues;
        private final int latencyMs;
        private final long startedAt = System.nanoTime();
        private int midOpen;
        private int midClose;
        private int replyLost;
        private int neverArrived;
        private int extraRecoverRuns;

        Campaign(String mode, PerpTraderJar jar, BotDatabase db, Callable<VenueRecord> venues, int latencyMs) {
            this.mode = mode;
            this.jar = jar;
            this.db = db;
            this.venues = venues;
            this.latencyMs = latencyMs;
        }

        void kill(int kills) throws Exception {
            for (int i = 1; i <= kills; i++) {
                KillPoint point = KillPoint.of(i - 1);
                String run = "run-" + i;
                long t0 = System.nanoTime();
                killRun(run, point);
                noteWhatTheKillLeft();
                long t1 = System.nanoTime();
                String recovered = recover(i);
                long t2 = System.nanoTime();
                check("after kill " + i + " (" + point + ")", run, recovered);
                System.out.printf(
                        "CrashSafetyIT %s kill %d (%s): run %d ms, recover %d ms (%s), check %d ms%n",
                        mode,
                        i,
                        point,
                        (t1 - t0) / 1_000_000,
                        (t2 - t1) / 1_000_000,
                        recovered,
                        (System.nanoTime() - t2) / 1_000_000);
            }
            assertThat(midOpen)
                    .as("%s kills that left an opening order unsettled", mode)
                    .isPositive();
            assertThat(midClose)
                    .as("%s kills that left a closing order unsettled", mode)
                    .isPositive();
        }

        /** Starts {@code run}, waits for the kill point, then kill -9 after a short random pause. */
        private void killRun(String run, KillPoint point) throws Exception {
            long after = db.lastOrderId();
            Process bot = jar.start(run, "run");
            try {
                Polling.until(
                        mode + " " + run + ": an order recorded after #" + after
                                + (point.purpose == null ? "" : " with purpose " + point.purpose),
                        Polling.PATIENCE,
                        () -> {
                            if (!bot.isAlive()) {
                                throw new AssertionError(
                                        run + " exited with " + bot.exitValue() + "\n" + jar.tail(run, 40));
                            }
                            return db.orderAfter(after, point.purpose);
                        });
                Thread.sleep(random.nextInt(point == KillPoint.ANY_MOMENT ? 2 * latencyMs : latencyMs * 2 / 3));
            } finally {
                processes.kill(bot);
            }
        }

        /** Counts what the kill left unsettled, and whether the venue had executed it. */
        private void noteWhatTheKillLeft() throws Exception {
            List<Book.OrderRow> open =
                    db.book().orders().stream().filter(o -> !o.settled()).toList();
            Set<String> executed = venues.call().orders().stream()
                    .filter(VenueRecord.Order::executed)
                    .map(VenueRecord.Order::key)
                    .collect(Collectors.toSet());
            midOpen += open.stream().anyMatch(o -> o.purpose().equals("OPEN")) ? 1 : 0;
            midClose += open.stream().anyMatch(o -> o.purpose().equals("CLOSE")) ? 1 : 0;
            replyLost += open.stream().anyMatch(o -> executed.contains(o.key())) ? 1 : 0;
            neverArrived += open.stream().anyMatch(o -> !executed.contains(o.key())) ? 1 : 0;
        }

        /**
         * Runs {@code recover} until it exits 0. Exit 1 means a pair could not be settled yet (an
         * order not found inside its venue's late-execution window): it runs again.
         */
        private String recover(int kill) throws Exception {
            long deadline = System.nanoTime() + RECOVERY.toNanos();
            for (int attempt = 1; ; attempt++) {
                String name = "recover-" + kill + "-" + attempt;
                Process p = jar.start(name, "recover");
                if (!Processes.ends(p, Polling.PATIENCE)) {
                    fail(mode + " " + name + " still running after " + Polling.PATIENCE.toSeconds() + " s\n"
                            + jar.tail(name, 40));
                }
                if (p.exitValue() == 0) {
                    extraRecoverRuns += attempt - 1;
                    return name;
                }
                if (p.exitValue() != 1 || System.nanoTime() - deadline > 0) {
                    fail(mode + " " + name + " exited " + p.exitValue() + " (kill " + kill + " not settled within "
                            + RECOVERY.toSeconds() + " s)\n" + jar.tail(name, 40));
                }
                failIfAny(
                        "while recovering from kill " + kill + " (" + name + " left a pair mid-way)",
                        Invariants.whileRecovering(db.book(), venues.call()),
                        "run-" + kill,
                        name);
            }
        }

        private void check(String when, String... logs) throws Exception {
            failIfAny(when, Invariants.violations(db.book(), venues.call()), logs);
        }

        private void failIfAny(String when, List<Invariants.Violation> broken, String... logs) {
            if (broken.isEmpty()) {
                return;
            }
            StringBuilder why = new StringBuilder(mode + " " + when + ": the book and the venues disagree\n");
            broken.forEach(v -> why.append("  ").append(v).append('\n'));
            broken.stream()
                    .map(Invariants.Violation::check)
                    .distinct()
                    .forEach(c -> why.append("  (")
                            .append(c)
                            .append(": ")
                            .append(c.meaning)
                            .append(")\n"));
            for (String log : logs) {
                why.append(jar.tail(log, 60)).append('\n');
            }
            fail(why.toString());
        }

        void closeAllAndCheckFlat() throws Exception {
            Process closeAll = jar.start("close-all", "close-all", "--yes");
            assertThat(Processes.ends(closeAll, Polling.PATIENCE))
                    .as("close-all finished")
                    .isTrue();
            assertThat(closeAll.exitValue()).as(jar.tail("close-all", 60)).isZero();
            check("after close-all", "close-all");
            assertThat(venues.call().positions())
                    .as("%s venues flat after close-all", mode)
                    .isEmpty();
        }

        void report() throws Exception {
            VenueRecord record = venues.call();
            System.out.printf(
                    "CrashSafetyIT %s: kill -9 left an opening order unsettled %d times, a closing order"
                            + " %d times; an order the venue had executed but not confirmed %d times, one that never"
                            + " reached it %d times; %d extra recover runs; %d orders executed at the venues; %d s%n",
                    mode,
                    midOpen,
                    midClose,
                    replyLost,
                    neverArrived,
                    extraRecoverRuns,
                    record.orders().stream().filter(VenueRecord.Order::executed).count(),
                    Duration.ofNanos(System.nanoTime() - startedAt).toSeconds());
        }
    }
}
