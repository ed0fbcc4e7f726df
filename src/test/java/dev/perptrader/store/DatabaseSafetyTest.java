package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.perptrader.domain.Mode;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.files.PrivateFiles;
import java.io.RandomAccessFile;
import java.math.BigDecimal;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database belongs to one mode, is private to its owner, and a file it cannot use is one clear line. */
final class DatabaseSafetyTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;

    private static long pair(Store store, Mode mode, String cid) {
        return store.createPair(
                new Store.NewPair(
                        "BTC",
                        mode,
                        new BigDecimal("2"),
                        new BigDecimal("0.01"),
                        new BigDecimal("600"),
                        3_600_000L,
                        BackpackExchange.VENUE,
                        "BTC_USDC_PERP",
                        cid + "-l",
                        HibachiExchange.VENUE,
                        "BTC/USDT-P",
                        cid + "-s"),
                T0);
    }

    // ------------------------------------------------------------------ one database, one mode

    @Test
    void aNewDatabaseTakesTheModeOfItsFirstWriterAndKeepsIt() {
        Store store = Store.open(dir.resolve("book.db"));
        assertThat(store.mode()).isEmpty();
        assertThat(store.claimMode(Mode.LIVE)).isEqualTo(Mode.LIVE);
        assertThat(store.claimMode(Mode.SIM)).as("the first claim stays").isEqualTo(Mode.LIVE);
        assertThat(Store.open(dir.resolve("book.db")).mode()).contains(Mode.LIVE);
    }

    @Test
    void thePairsOfOneModeOnlyGoIntoItsDatabase() {
        Store store = Store.open(dir.resolve("book.db"));
        pair(store, Mode.SIM, "a");
        assertThat(store.mode()).as("the first pair records the mode").contains(Mode.SIM);
        assertThatThrownBy(() -> pair(store, Mode.LIVE, "b"))
                .isInstanceOf(StoreException.class)
                .hasMessage(dir.resolve("book.db") + " is a sim database: it cannot hold a live pair");
        assertThat(store.allOrders())
                .as("nothing of the refused pair was written")
                .hasSize(2);
    }

    @Test
    void aDatabaseFromBeforeModesWereRecordedTakesItsPairsMode() {
        Path live = oldDatabase("live.db", "SIM", "LIVE", "SIM");
        Path paper = oldDatabase("paper.db", "SIM", "PAPER");
        Path empty = oldDatabase("empty.db");

        assertThat(Store.open(live).mode()).as("any live pair makes it live").contains(Mode.LIVE);
        assertThat(Store.open(paper).mode()).as("else the newest pair's").contains(Mode.PAPER);
        Store none = Store.open(empty);
        assertThat(none.mode()).as("no pairs: the first writer decides").isEmpty();
        assertThat(none.claimMode(Mode.PAPER)).isEqualTo(Mode.PAPER);
    }

    /** A database at schema version 2 (before migration 3) holding one pair per given mode. */
    private Path oldDatabase(String name, String... pairModes) {
        Path file = dir.resolve(name);
        Database.openMigrated(file, "/perp_trader.db.schema.sql", List.of("002_orphan_orders.sql"))
                .useHandle(h -> {
                    for (String mode : pairModes) {
                        h.execute("""
                        INSERT INTO hedge_pairs (asset, long_venue, short_venue, mode, leverage, quantity, notional,
                            status, duration_ms, created_at, updated_at)
                        VALUES ('BTC', 'BACKPACK', 'HIBACHI', ?, '2', '0.01', '600', 'OPEN', 1, 1, 1)""", mode);
                    }
                });
        return file;
    }

    // ------------------------------------------------------------------ 0600

    @Test
    void theDatabaseItsWalAndShmAndItsLockFileAreCreatedOwnerOnly() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
        Path file = dir.resolve("book.db");
        Store store = Store.open(file);
        try (InstanceLock lock = InstanceLock.acquire(file);
                Handle held = Database.connect(file).open()) { // keeps -wal and -shm while we look
            pair(store, Mode.SIM, "a");
            for (String name : List.of("book.db", "book.db-wal", "book.db-shm", "book.db.lock")) {
                assertThat(Files.getPosixFilePermissions(dir.resolve(name)))
                        .as(name)
                        .isEqualTo(PrivateFiles.OWNER_ONLY);
            }
        }
    }

    // ------------------------------------------------------------------ a database it cannot use

    @Test
    void aDirectoryInTheDatabasesPlaceIsOneLine() throws Exception {
        Path file = Files.createDirectory(dir.resolve("book.db"));
        assertUnusable(file, "cannot use the database " + file + ": it is a directory, not a database file");
    }

    @Test
    void aFileThatIsNotSqliteIsOneLineNamingIt() throws Exception {
        Path file = dir.resolve("book.db");
        Files.writeString(file, "this is a shopping list, not a database\n".repeat(200));
        assertUnusable(file, "cannot use the database " + file + ": it is not a SQLite database, or it is damaged");
    }

    @Test
    void aDatabaseSqliteCanOnlyReadIsOneLineAtOpenNotAtTheFirstTrade() throws Exception {
        // Works as root too: a file format write version above 2 makes SQLite treat the file as read-only.
        Path file = dir.resolve("book.db");
        Store.open(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(18);
            raf.write(3);
        }
        assertUnusable(file, "cannot use the database " + file + ": SQLite can only read it");
    }

    @Test
    void aWriteAheadLogSqliteCannotCreateIsOneLine() throws Exception {
        // What a read-only folder does to SQLite, in a form that stops root too.
        Path file = dir.resolve("book.db");
        Store.open(file);
        Files.createDirectory(dir.resolve("book.db-wal"));
        assertUnusable(
                file,
                "cannot use the database " + file + ": " + dir.resolve("book.db-wal")
                        + " is a directory, where SQLite keeps the database's wal file");
    }

    @Test
    void aReadOnlyDatabaseFileIsOneLine() throws Exception {
        assumeFalse(isRoot(), "root writes read-only files");
        Path file = dir.resolve("book.db");
        Store.open(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertUnusable(
                file, "cannot use the database " + file + ": the file is read-only (run 'chmod u+w " + file + "')");
    }

    @Test
    void aReadOnlyFolderIsOneLine() throws Exception {
        assumeFalse(isRoot(), "root writes in read-only folders");
        Path folder = Files.createDirectory(dir.resolve("ro"));
        Path file = folder.resolve("book.db");
        Store.open(file);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-x------"));
        try {
            assertUnusable(file, "cannot use the database " + file + ": its folder " + folder + " is not writable");
            Path fresh = folder.resolve("new.db");
            assertUnusable(fresh, "cannot use the database " + fresh + ": its folder " + folder + " is not writable");
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static void assertUnusable(Path file, String message) {
        assertThatThrownBy(() -> Store.open(file).checkWritable())
                .isInstanceOf(UnusableDatabase.class)
                .hasMessageStartingWith(message)
                .message()
                .doesNotContain("\n");
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void aFolderWithoutWritePermissionSaysPermissionDeniedAndNamesTheFileOnce() {
        // Root ignores permission bits, so the denial is handed in as the OS reports it; the CLI
        // test runStopsWithOneLineOnAReadOnlyDatabaseOrFolder covers the real folder as non-root.
        Path file = dir.resolve("book.db");
        Path lock = dir.resolve("book.db.lock");
        String message = UnusableDatabase.of(file, lock, new AccessDeniedException(lock.toString()))
                .getMessage();
        assertThat(message)
                .isEqualTo("cannot use the database " + file
                        + ": cannot create its lock file book.db.lock: permission denied (its folder is not writable)");
        assertThat(UnusableDatabase.of(file, file, new AccessDeniedException(file.toString()))
                        .getMessage())
                .isEqualTo("cannot use the database " + file + ": permission denied (its folder is not writable)");
    }

    @Test
    void aBookReaderStaysClearOfBusyWhileTheRunnerHoldsAWriteTransaction() {
        Path file = dir.resolve("book.db");
        Store runner = Store.open(file);
        runner.createPair(
                new Store.NewPair(
                        "BTC",
                        Mode.SIM,
                        new BigDecimal("2"),
                        new BigDecimal("0.01"),
                        new BigDecimal("600"),
                        3_600_000L,
                        BackpackExchange.VENUE,
                        "BTC_USDC_PERP",
                        "c-l",
                        HibachiExchange.VENUE,
                        "BTC/USDT-P",
                        "c-s"),
                Instant.parse("2026-03-02T10:00:00Z"));
        Jdbi writer = Database.connect(file);
        try (Handle h = writer.open()) {
            h.begin(); // BEGIN IMMEDIATE: the write lock is held until rollback
            h.execute("UPDATE hedge_pairs SET leverage = '3'");
            Store reader = Store.openForReading(file);
            assertThat(reader.pairs(PairStatus.active())).hasSize(1);
            assertThat(reader.venueReads()).isEmpty();
            h.rollback();
        }
    }

    @Test
    void aReadingStoreCannotWriteAndMigratesAnOlderBookFirst() {
        Path file = dir.resolve("book.db");
        Store.open(file);
        try (Handle h = Database.connect(file).open()) {
            h.execute("DROP TABLE venue_reads");
            // as a version-4 book was: without what migration 6 adds
            h.execute("ALTER TABLE orders DROP COLUMN limit_price");
            h.execute("ALTER TABLE hedge_pairs DROP COLUMN maker_exposure");
            h.execute("ALTER TABLE hedge_pairs DROP COLUMN maker_fills");
            h.execute("ALTER TABLE hedge_pairs DROP COLUMN maker_worst_hedge_ms");
            h.execute("DROP INDEX idx_orders_to_account");
            h.execute("DROP INDEX idx_orders_unpriced");
            h.execute("ALTER TABLE orders DROP COLUMN priced");
            h.execute("ALTER TABLE orders DROP COLUMN accounted");
            h.execute("PRAGMA user_version = 4");
        }
        Store reader = Store.openForReading(file);
        assertThat(reader.venueReads()).as("migration 5 applied before reading").isEmpty();
        assertThatThrownBy(() -> reader.venueReadOk(BackpackExchange.VENUE, Instant.EPOCH))
                .hasStackTraceContaining("SQLITE_READONLY");
    }
}
