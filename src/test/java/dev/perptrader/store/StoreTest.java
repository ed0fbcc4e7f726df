package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class StoreTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;

    private long newPair(Store store) {
        return store.createPair(
                new Store.NewPair(
                        "BTC",
                        Mode.SIM,
                        new BigDecimal("2.37"),
                        new BigDecimal("0.0123"),
                        new BigDecimal("738.123456789012345678"),
                        3_600_000L,
                        BackpackExchange.VENUE,
                        "BTC_USDC_PERP",
                        "bp-1",
                        HibachiExchange.VENUE,
                        "BTC/USDT-P",
                        "hb-1"),
                T0);
    }

    @Test
    void recordsTheIntentAsOnePairTwoLegsAndTwoPendingOrders() {
        Store store = Store.open(dir.resolve("t.db"));
        long id = newPair(store);

        HedgePair p = store.pair(id).orElseThrow();
        assertThat(p.status()).isEqualTo(PairStatus.OPENING);
        assertThat(p.notional().toPlainString())
                .as("exact decimal text, no REAL rounding")
                .isEqualTo("738.123456789012345678");
        assertThat(p.createdAt()).isEqualTo(T0);
        assertThat(store.legs(id)).hasSize(2);
        assertThat(store.orders(id))
                .extracting(OrderRecord::clientId, OrderRecord::status)
                .containsExactly(Tuple.tuple("bp-1", OrderStatus.PENDING), Tuple.tuple("hb-1", OrderStatus.PENDING));
    }

    @Test
    void appliesAFillOnceOnly() {
        Store store = Store.open(dir.resolve("t.db"));
        long id = newPair(store);
        OrderRecord o = store.orders(id).get(0);
        Fill fill = new Fill(
                "bp-1",
                "9",
                "BTC_USDC_PERP",
                OrderSide.BUY,
                OrderState.FILLED,
                new BigDecimal("0.0123"),
                new BigDecimal("60012.5"),
                new BigDecimal("0.369"));

        assertThat(store.applyFill(o.id(), fill, T0)).isTrue();
        assertThat(store.applyFill(o.id(), fill, T0)).isFalse();
        Leg leg = store.legs(id).get(0);
        assertThat(leg.size()).isEqualByComparingTo("0.0123");
        assertThat(leg.entryPrice()).isEqualByComparingTo("60012.5");
        assertThat(leg.fees()).isEqualByComparingTo("0.369");
    }

    @Test
    void aRecordedModeIsReadInAnyCaseAndAnUnknownOneIsOneLineNamingTheFile() {
        Path file = dir.resolve("moded.db");
        Store store = Store.open(file);
        assertThat(store.claimMode(Mode.LIVE)).isEqualTo(Mode.LIVE);
        Database.connect(file).useHandle(h -> h.execute("UPDATE meta SET value = 'live' WHERE key = 'mode'"));
        assertThat(store.mode()).contains(Mode.LIVE);
        Database.connect(file).useHandle(h -> h.execute("UPDATE meta SET value = 'xyz' WHERE key = 'mode'"));
        assertThatThrownBy(store::mode)
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith(file + " records an unknown mode 'xyz'")
                .hasMessageNotContaining("\n");
    }

    @Test
    void refusesStaleOrIllegalTransitions() {
        Store store = Store.open(dir.resolve("t.db"));
        long id = newPair(store);
        assertThatThrownBy(() -> store.transition(id, PairStatus.OPEN, PairStatus.CLOSING, T0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not OPEN");
        assertThatThrownBy(() -> store.transition(id, PairStatus.OPENING, PairStatus.CLOSED, T0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("illegal");
        store.transition(id, PairStatus.OPENING, PairStatus.UNHEDGED, T0);
        assertThat(store.pairs(Set.of(PairStatus.UNHEDGED))).hasSize(1);
    }

    @Test
    void reopeningKeepsDataAndUsesWal() {
        Path file = dir.resolve("t.db");
        long id = newPair(Store.open(file));
        Store again = Store.open(file);
        assertThat(again.pair(id)).isPresent();
        assertThat(text(file, "PRAGMA journal_mode")).isEqualTo("wal");
        assertThat(number(file, "PRAGMA user_version")).isEqualTo(Database.BASE_VERSION + Database.MIGRATIONS.size());
    }

    @Test
    void aFillFindsItsLegsUnaccountedOrdersByIndexNotByScanningEveryOrder() {
        Path file = dir.resolve("t.db");
        Store.open(file).close();
        List<String> plan = Database.connect(file)
                .withHandle(h -> h.createQuery("EXPLAIN QUERY PLAN " + Store.UNACCOUNTED_FILLS)
                        .bind("leg", 1)
                        .map((rs, ctx) -> rs.getString("detail"))
                        .list());
        assertThat(plan).anySatisfy(step -> assertThat(step).contains("idx_orders_to_account"));
        assertThat(plan).noneSatisfy(step -> assertThat(step).startsWith("SCAN orders"));
    }

    @Test
    void refusesADatabaseFromANewerVersion() {
        Path file = dir.resolve("t.db");
        Store.open(file);
        Database.connect(file).useHandle(h -> h.execute("PRAGMA user_version = 99"));
        assertThatThrownBy(() -> Store.open(file))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99")
                .hasMessageContaining("knows up to " + (Database.BASE_VERSION + Database.MIGRATIONS.size()));
    }

    @Test
    void appliesNumberedMigrationsAboveTheFileVersion() {
        Path file = dir.resolve("t.db");
        Database.openMigrated(file, "/perp_trader.db.schema.sql", List.of());
        Database.openMigrated(file, "/perp_trader.db.schema.sql", List.of("test_002_note.sql"));
        assertThat(number(file, "PRAGMA user_version")).isEqualTo(2);
        assertThat(number(file, "SELECT COUNT(*) FROM migration_note")).isEqualTo(1);
        // applying again is a no-op: the version is already 2
        Database.openMigrated(file, "/perp_trader.db.schema.sql", List.of("test_002_note.sql"));
        assertThat(number(file, "SELECT COUNT(*) FROM migration_note")).isEqualTo(1);
    }

    private static int number(Path file, String sql) {
        Integer v = Database.connect(file)
                .withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
        return v;
    }

    private static String text(Path file, String sql) {
        String v = Database.connect(file)
                .withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
        return v;
    }
}
