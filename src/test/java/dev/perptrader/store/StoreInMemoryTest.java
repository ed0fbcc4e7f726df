package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.files.PrivateFiles;
import java.math.BigDecimal;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/**
 * The book {@code simulate} keeps in memory: the same schema and rows as a file, written out as
 * a normal book in WAL mode; generated keys read only by the statements that ask for them; a
 * failed call leaves the book as it was and the next call works.
 */
final class StoreInMemoryTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;

    static long newPair(Store store, String clientIdSuffix) {
        return store.createPair(
                new Store.NewPair(
                        "BTC",
                        Mode.SIMULATE,
                        new BigDecimal("2.37"),
                        new BigDecimal("0.0123"),
                        new BigDecimal("738.123456789012345678"),
                        3_600_000L,
                        BackpackExchange.VENUE,
                        "BTC_USDC_PERP",
                        "bp-" + clientIdSuffix,
                        HibachiExchange.VENUE,
                        "BTC/USDT-P",
                        "hb-" + clientIdSuffix),
                T0);
    }

    static Fill filled(String clientId) {
        return new Fill(
                clientId,
                "v-" + clientId,
                "BTC_USDC_PERP",
                OrderSide.BUY,
                OrderState.FILLED,
                new BigDecimal("0.0123"),
                new BigDecimal("60012.5"),
                new BigDecimal("0.369"));
    }

    @Test
    void aBookInMemoryIsWrittenOutAsANormalBookThatReadsTheSame() throws Exception {
        Path out = dir.resolve("out.db");
        List<String> inMemory;
        try (Store store = Store.openInMemory()) {
            store.claimMode(Mode.SIMULATE);
            long first = newPair(store, "1");
            long second = newPair(store, "2");
            assertThat(List.of(first, second)).as("each pair's own row id").containsExactly(1L, 2L);
            store.applyFill(store.orders(first).get(0).id(), filled("bp-1"), T0);
            store.insertMark(new Store.Mark(
                    first,
                    T0,
                    new BigDecimal("60010"),
                    new BigDecimal("60020"),
                    new BigDecimal("-0.03"),
                    new BigDecimal("0.02"),
                    new BigDecimal("2.5"),
                    null,
                    new BigDecimal("0.0001")));
            inMemory = book(store);
            store.saveTo(out);
        }

        try (Store read = Store.openForReading(out)) {
            assertThat(book(read)).isEqualTo(inMemory);
            assertThat(read.mode()).contains(Mode.SIMULATE);
            assertThat(read.markCount(1)).isEqualTo(1);
        }
        try (Connection c = Database.dataSource(out).getConnection();
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                assertThat(rs.getInt(1)).isEqualTo(Database.BASE_VERSION + Database.MIGRATIONS.size());
            }
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(out)).isEqualTo(PrivateFiles.OWNER_ONLY);
        }
    }

    private static List<String> book(Store store) {
        return store.pairs(EnumSet.allOf(PairStatus.class)).stream()
                .map(p -> p + " " + store.legs(p.id()) + " " + store.orders(p.id()))
                .toList();
    }

    @Test
    void aFileThatHoldsSomethingIsNeverOverwritten() throws Exception {
        Path out = dir.resolve("kept.db");
        Files.writeString(out, "someone's notes");
        try (Store store = Store.openInMemory()) {
            store.claimMode(Mode.SIMULATE);
            assertThatThrownBy(() -> store.saveTo(out))
                    .isInstanceOf(StoreException.class)
                    .hasMessage("cannot write the book to " + out.toAbsolutePath() + ": it exists (name a new file)");
        }
        assertThat(Files.readString(out)).isEqualTo("someone's notes");
    }

    @Test
    void aFailedTransactionLeavesTheBookAsItWasAndTheNextCallWorks() {
        try (Store store = Store.openInMemory()) {
            store.claimMode(Mode.SIMULATE);
            newPair(store, "1");
            // the same client ids again: the pair row is written, then the order's UNIQUE refuses
            assertThatThrownBy(() -> newPair(store, "1")).isInstanceOf(RuntimeException.class);
            assertThat(store.pairs(EnumSet.allOf(PairStatus.class))).hasSize(1);
            // the reads a book in memory answers from its own rows forget the rolled back ones too
            assertThat(store.pairs(PairStatus.active()))
                    .extracting(HedgePair::id)
                    .containsExactly(1L);
            assertThat(store.pair(2)).isEmpty();
            assertThat(store.legs(2)).isEmpty();
            assertThat(store.legsOf(PairStatus.active())).hasSize(2);
            assertThat(newPair(store, "2")).isEqualTo(2L);
            assertThat(store.pairs(EnumSet.allOf(PairStatus.class))).hasSize(2);
        }
    }

    @Test
    void aReadWaitsForAnotherThreadsWriteAndSeesItCommitted() throws Exception {
        try (Store store = Store.openInMemory()) {
            store.claimMode(Mode.SIMULATE);
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> store.batch(() -> {
                newPair(store, "1");
                writing.countDown();
                await(finish);
            }));
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(
                    () -> store.pairs(EnumSet.allOf(PairStatus.class)).size());
            finish.countDown();
            writer.get(10, TimeUnit.SECONDS);
            assertThat(reader.get(10, TimeUnit.SECONDS))
                    .as("the read waited for the commit")
                    .isEqualTo(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void theDriverReadsARowIdOnlyWhileAStatementThatAsksForItIsLent() throws Exception {
        try (Connection c = Database.memoryDataSource().getConnection();
                StatementCache cache = new StatementCache(c, 10)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
            }
            var config = c.unwrap(SQLiteConnection.class).getConnectionConfig();
            assertThat(config.isGetGeneratedKeys()).isFalse();

            PreparedStatement plain = cache.take(StatementCache.Key.plain("INSERT INTO t (name) VALUES ('a')"));
            plain.executeUpdate();
            try (ResultSet keys = plain.getGeneratedKeys()) {
                assertThat(keys.next())
                        .as("no row id read after a plain INSERT")
                        .isFalse();
            }
            cache.giveBack(plain);

            StatementCache.Key withKeys =
                    new StatementCache.Key("INSERT INTO t (name) VALUES ('b')", true, List.of("id"), false);
            PreparedStatement keyed = cache.take(withKeys);
            assertThat(config.isGetGeneratedKeys()).isTrue();
            keyed.executeUpdate();
            try (ResultSet keys = keyed.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                assertThat(keys.getLong(1)).isEqualTo(2L);
            }
            cache.giveBack(keyed);
            assertThat(config.isGetGeneratedKeys()).isFalse();
        }
    }
}
