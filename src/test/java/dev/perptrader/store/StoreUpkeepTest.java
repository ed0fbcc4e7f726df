package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.Mode;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Venue names as configured, venue reads, and the marks table kept small. */
final class StoreUpkeepTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;

    private long newPair(Store store) {
        return store.createPair(
                new Store.NewPair(
                        "BTC",
                        Mode.SIM,
                        new BigDecimal("2"),
                        new BigDecimal("0.01"),
                        new BigDecimal("600"),
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
    void venuesAreStoredByTheirConfigNameSoALowerCaseWhereFindsThem() {
        Path file = dir.resolve("t.db");
        Store store = Store.open(file);
        long id = newPair(store);
        store.insertAlert(T0, "WARN", "VENUE_DOWN", id, HibachiExchange.VENUE, "down");
        try (Handle h = Database.connect(file).open()) {
            assertThat(h.createQuery("SELECT COUNT(*) FROM hedge_pairs WHERE long_venue = 'backpack' "
                                    + "AND short_venue = 'hibachi'")
                            .mapTo(Integer.class)
                            .one())
                    .isEqualTo(1);
            assertThat(h.createQuery("SELECT venue FROM positions ORDER BY id")
                            .mapTo(String.class)
                            .list())
                    .containsExactly("backpack", "hibachi");
            assertThat(h.createQuery("SELECT venue FROM orders ORDER BY id")
                            .mapTo(String.class)
                            .list())
                    .containsExactly("backpack", "hibachi");
            assertThat(h.createQuery("SELECT venue FROM alerts")
                            .mapTo(String.class)
                            .list())
                    .containsExactly("hibachi");
        }
        assertThat(store.pair(id).orElseThrow().longVenue()).isEqualTo(BackpackExchange.VENUE);
        assertThat(store.legs(id))
                .extracting(l -> l.venue())
                .containsExactly(BackpackExchange.VENUE, HibachiExchange.VENUE);
    }

    @Test
    void migrationFiveRewritesUpperCaseVenuesAnEarlierVersionStored() {
        Path file = dir.resolve("t.db");
        Store store = Store.open(file);
        long id = newPair(store);
        store.insertAlert(T0, "WARN", "VENUE_DOWN", id, HibachiExchange.VENUE, "down");
        try (Handle h = Database.connect(file).open()) {
            h.execute("UPDATE hedge_pairs SET long_venue = 'BACKPACK', short_venue = 'HIBACHI'");
            h.execute("UPDATE positions SET venue = upper(venue)");
            h.execute("UPDATE orders SET venue = upper(venue)");
            h.execute("UPDATE alerts SET venue = upper(venue)");
            h.execute("INSERT INTO orphan_orders (venue, symbol, client_id, side, qty, created_at, updated_at, status) "
                    + "VALUES ('BACKPACK', 'BTC_USDC_PERP', 'o-1', 'BUY', '1', 1, 1, 'PENDING')");
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
        Store.open(file);
        try (Handle h = Database.connect(file).open()) {
            assertThat(h.createQuery("PRAGMA user_version").mapTo(Integer.class).one())
                    .as("migrated to the latest version")
                    .isEqualTo(Database.BASE_VERSION + Database.MIGRATIONS.size());
            assertThat(h.createQuery("SELECT long_venue || ',' || short_venue FROM hedge_pairs")
                            .mapTo(String.class)
                            .one())
                    .isEqualTo("backpack,hibachi");
            for (String table : List.of("positions", "orders", "alerts", "orphan_orders")) {
                assertThat(h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE venue <> lower(venue)")
                                .mapTo(Integer.class)
                                .one())
                        .as(table)
                        .isZero();
            }
        }
    }

    @Test
    void venueReadsKeepTheLastSuccessAndTheFailureSince() {
        Store store = Store.open(dir.resolve("t.db"));
        store.venueReadOk(BackpackExchange.VENUE, T0);
        store.venueReadFailed(BackpackExchange.VENUE, T0.plusSeconds(60), "connection refused");
        store.venueReadFailed(HibachiExchange.VENUE, T0.plusSeconds(60), "timeout");
        assertThat(store.venueReads())
                .containsExactly(
                        new Store.VenueRead(
                                BackpackExchange.VENUE,
                                Optional.of(T0),
                                Optional.of(T0.plusSeconds(60)),
                                Optional.of("connection refused")),
                        new Store.VenueRead(
                                HibachiExchange.VENUE,
                                Optional.empty(),
                                Optional.of(T0.plusSeconds(60)),
                                Optional.of("timeout")));
        store.venueReadOk(BackpackExchange.VENUE, T0.plusSeconds(120));
        assertThat(store.venueReads().get(0))
                .isEqualTo(new Store.VenueRead(
                        BackpackExchange.VENUE, Optional.of(T0.plusSeconds(120)), Optional.empty(), Optional.empty()));
    }

    @Test
    void ratiosAreStoredWithFourDecimals() {
        Store store = Store.open(dir.resolve("t.db"));
        long id = newPair(store);
        BigDecimal longRatio = new BigDecimal("3.14159265358979323846264338327950288");
        store.insertMark(new Store.Mark(
                id,
                T0,
                new BigDecimal("60000.5"),
                new BigDecimal("60001"),
                BigDecimal.ONE,
                BigDecimal.ONE.negate(),
                longRatio,
                null,
                new BigDecimal("0.000123456789")));
        Store.Mark m = store.latestMark(id).orElseThrow();
        assertThat(m.longVenueRatio().toPlainString()).isEqualTo("3.1416");
        assertThat(m.shortVenueRatio()).isNull();
        assertThat(m.divergence().toPlainString()).isEqualTo("0.0001");
        assertThat(m.longMark().toPlainString()).as("prices stay exact").isEqualTo("60000.5");
    }

    @Test
    void thinningKeepsOneMarkPerPairPerHourBeforeTheCutAndEveryMarkAfter() {
        Store store = Store.open(dir.resolve("t.db"));
        long a = newPair(store);
        long b = store.createPair(
                new Store.NewPair(
                        "ETH",
                        Mode.SIM,
                        new BigDecimal("2"),
                        new BigDecimal("0.1"),
                        new BigDecimal("600"),
                        3_600_000L,
                        BackpackExchange.VENUE,
                        "ETH_USDC_PERP",
                        "bp-2",
                        HibachiExchange.VENUE,
                        "ETH/USDT-P",
                        "hb-2"),
                T0);
        for (long pair : List.of(a, b)) {
            for (int minute = 0; minute < 180; minute += 10) { // 3 hours, 6 marks an hour
                store.insertMark(new Store.Mark(
                        pair,
                        T0.plus(Duration.ofMinutes(minute)),
                        BigDecimal.ONE,
                        BigDecimal.ONE,
                        BigDecimal.ZERO,
                        BigDecimal.ZERO,
                        null,
                        null,
                        BigDecimal.ZERO));
            }
        }
        Instant cut = T0.plus(Duration.ofHours(2)); // hours 10:00 and 11:00 are thinned, 12:00 kept whole
        int deleted = store.thinMarks(cut);
        assertThat(deleted).isEqualTo(2 * (12 - 2));
        assertThat(store.markCount(a)).isEqualTo(2 + 6);
        assertThat(store.markCount(b)).isEqualTo(2 + 6);
        assertThat(store.thinMarks(cut)).as("thinning twice changes nothing").isZero();
    }
}
