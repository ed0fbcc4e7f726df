package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairResult;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A book in memory writes its pairs, legs and orders to rows in memory ({@link BookRows}) instead
 * of sending statements. Every write the Store has, made on a book in a file and on one in memory,
 * answers the same, reads the same after it, and leaves the same rows, every column of them, in
 * the book written out; a write that fails leaves nothing behind on either.
 */
final class StoreRowsTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00.123Z");

    @TempDir
    Path dir;

    private static Store.NewPair newPair(String suffix, BigDecimal qty) {
        return new Store.NewPair(
                "BTC",
                Mode.SIMULATE,
                new BigDecimal("3.00"),
                qty,
                new BigDecimal("738.1234500"),
                3_600_000L,
                BackpackExchange.VENUE,
                "BTC_USDC_PERP",
                "bp-" + suffix,
                HibachiExchange.VENUE,
                "BTC/USDT-P",
                "hb-" + suffix);
    }

    private static Fill fill(OrderRecord o, OrderState state, String qty, String price, String fee) {
        return new Fill(
                o.clientId(),
                "v-" + o.clientId(),
                o.symbol(),
                o.side(),
                state,
                new BigDecimal(qty),
                price == null ? null : new BigDecimal(price),
                fee == null ? null : new BigDecimal(fee));
    }

    @Test
    void everyWriteLeavesTheRowsAFileHoldsAndReadsTheSame() throws Exception {
        try (Store file = Store.open(dir.resolve("file.db"));
                Store memory = Store.openInMemory()) {
            Both b = new Both(file, memory);
            b.same(s -> s.claimMode(Mode.SIMULATE));
            long p1 = b.same(s -> s.createPair(newPair("1", new BigDecimal("0.0120")), T0));
            // an alert's table gets its sqlite_sequence row after the pair's tables, as in a file
            b.same(s -> {
                s.insertAlert(T0, "WARN", "PRICE_SUSPECT", p1, BackpackExchange.VENUE, "checked");
                return s.alerts(5).size();
            });
            long p2 = b.same(s -> s.createPairWithoutOrders(newPair("2", new BigDecimal("0.5")), T0.plusMillis(7)));
            Leg p2Long = file.legs(p2).get(0);
            b.same(s -> s.recordOpeningOrder(p2Long, new BigDecimal("0.50"), "mk-1", new BigDecimal("60000.50"), T0));
            b.same(s -> {
                s.recordMakerExposure(p2, new BigDecimal("1.50"), 1, 300);
                s.recordMakerExposure(p2, new BigDecimal("2.25"), 2, 200);
                return s.makerExposure(p2);
            });
            sameTables(memory, "pair without orders, maker order");

            List<OrderRecord> opening = file.orders(p1);
            OrderRecord longOpen = opening.get(0);
            OrderRecord shortOpen = opening.get(1);
            b.same(s -> s.recordFirstWord(longOpen.id(), fill(longOpen, OrderState.FILLED, "0.012", null, null), T0));
            b.same(s -> s.unpricedOrders());
            b.same(s -> s.applyFill(
                    longOpen.id(),
                    fill(longOpen, OrderState.FILLED, "0.012", "60010.50", "0.2880"),
                    T0.plusSeconds(1)));
            b.same(s -> s.applyFill(
                    shortOpen.id(), fill(shortOpen, OrderState.FILLED, "0.012", "60020", "0.36"), T0.plusSeconds(1)));
            b.same(s -> s.applyFill(
                    shortOpen.id(), fill(shortOpen, OrderState.FILLED, "0.012", "60020", "0.36"), T0.plusSeconds(2)));
            b.same(s -> {
                s.markOpen(p1, PairStatus.OPENING, new BigDecimal("0.0120"), T0.plusSeconds(2), T0.plusSeconds(3602));
                return s.pairs(PairStatus.active());
            });
            sameTables(memory, "filled and open");

            Leg long1 = file.legs(p1).get(0);
            Leg short1 = file.legs(p1).get(1);
            b.same(s -> {
                s.updateLegMark(long1.id(), new BigDecimal("60100.10"), new BigDecimal("1.0680"), T0.plusSeconds(60));
                s.updateLegMark(short1.id(), new BigDecimal("60099"), new BigDecimal("-0.9480"), T0.plusSeconds(60));
                return s.legs(p1);
            });
            b.same(s -> {
                s.setLegFunding(long1.id(), new BigDecimal("-0.0100"));
                return s.unrealizedOfActivePairs();
            });
            b.same(s -> {
                s.markSuspect(short1.id(), "gone once", T0.plusSeconds(61));
                s.markSuspect(short1.id(), "gone twice", T0.plusSeconds(62));
                return s.suspectLegs();
            });
            b.same(s -> s.clearSuspect(short1.id(), T0.plusSeconds(63)));
            b.same(s -> s.clearSuspect(short1.id(), T0.plusSeconds(64)));
            b.same(s -> {
                s.markSuspect(long1.id(), "flipped", T0.plusSeconds(65));
                return s.snapshot(p1);
            });

            b.same(s -> {
                s.markClosing(p1, PairStatus.OPEN, "EXPIRED", T0.plusSeconds(3602));
                return s.pairs(EnumSet.of(PairStatus.CLOSING));
            });
            OrderRecord refused = b.same(s -> s.recordOrder(
                    file.legs(p1).get(0), OrderPurpose.CLOSE, new BigDecimal("0.012"), "c-1", T0.plusSeconds(3603)));
            sameTables(memory, "a closing order");
            b.same(s -> s.markOrder(refused.id(), OrderStatus.REJECTED, "window", T0.plusSeconds(3603)));
            b.same(s -> s.markOrder(refused.id(), OrderStatus.UNKNOWN, "again", T0.plusSeconds(3604)));
            OrderRecord resent =
                    b.same(s -> s.recordResend(s.order(refused.id()).orElseThrow(), "c-2", T0.plusSeconds(3604)));
            b.same(s -> s.applyFill(
                    resent.id(), fill(resent, OrderState.FILLED, "0.012", "60200", "0.289"), T0.plusSeconds(3605)));
            b.same(s -> {
                s.recordVenueReduction(
                        short1.id(),
                        BigDecimal.ZERO,
                        new BigDecimal("60190.0"),
                        new BigDecimal("0.30"),
                        T0.plusSeconds(3606));
                return s.legs(p1);
            });
            b.same(s -> s.netPnlEndedSince(T0)); // asked again below, once the pair ended
            b.same(s -> {
                s.markEnded(
                        p1,
                        PairStatus.CLOSING,
                        PairStatus.CLOSED,
                        new PairResult(
                                "EXPIRED",
                                new BigDecimal("1.10"),
                                new BigDecimal("1.2370"),
                                new BigDecimal("-0.0100"),
                                new BigDecimal("2881.0"),
                                new BigDecimal("2.881")),
                        T0.plusSeconds(3607));
                return s.pairsEndedSince(T0);
            });
            BigDecimal since = b.same(s -> s.netPnlEndedSince(T0));
            assertThat(since).isEqualByComparingTo("-0.147");
            b.same(s -> s.netPnlEndedSince(T0.plusSeconds(3607)));
            b.same(s -> s.netPnlEndedSince(T0.plusSeconds(3608)));

            OrderRecord makerOrder = file.orders(p2).get(0);
            b.same(s -> s.markOrder(makerOrder.id(), OrderStatus.REJECTED, "post-only crossed", T0.plusSeconds(9)));
            b.same(s -> {
                s.transition(p2, PairStatus.OPENING, PairStatus.FAILED, T0.plusSeconds(10));
                return s.pairs(EnumSet.allOf(PairStatus.class));
            });
            b.fails(s -> s.transition(p2, PairStatus.OPENING, PairStatus.FAILED, T0.plusSeconds(11)));
            b.fails(s -> s.createPair(newPair("1", BigDecimal.ONE), T0.plusSeconds(12)));
            Leg gone = new Leg(
                    999,
                    p1,
                    BackpackExchange.VENUE,
                    "BTC_USDC_PERP",
                    long1.side(),
                    BigDecimal.ZERO,
                    BigDecimal.ZERO,
                    BigDecimal.ZERO,
                    null,
                    null,
                    null,
                    null,
                    BigDecimal.ZERO,
                    BigDecimal.ZERO,
                    BigDecimal.ZERO,
                    long1.status(),
                    null,
                    null);
            // the orders' foreign key: no order for a leg that is not recorded, on either book
            b.fails(s -> s.recordOrder(gone, OrderPurpose.CLOSE, BigDecimal.ONE, "c-9", T0.plusSeconds(12)));
            b.same(s -> s.allOrders());
            b.same(s -> s.createPair(newPair("3", BigDecimal.ONE), T0.plusSeconds(13)));
            b.same(s -> s.orders(p1));
            b.same(s -> s.legs(p2));
            b.same(s -> s.makerExposureTotals());

            sameTables(memory, "at the end");
            assertThat(rows(dir.resolve("file.db"), "orders"))
                    .as("the orders written")
                    .hasSize(7);
        }
    }

    private int saves;

    /** The book in memory, written out now, holds the rows the file does, every column. */
    private void sameTables(Store memory, String when) throws Exception {
        Path out = dir.resolve("memory-" + ++saves + ".db");
        memory.saveTo(out);
        for (String table : List.of("hedge_pairs", "positions", "orders", "sqlite_sequence")) {
            assertThat(rows(out, table)).as(table + ", " + when).isEqualTo(rows(dir.resolve("file.db"), table));
        }
    }

    /** The same calls on a book in a file and a book in memory. */
    private record Both(Store file, Store memory) {
        <T> T same(Function<Store, T> call) {
            T expected = call.apply(file);
            assertThat(call.apply(memory)).isEqualTo(expected);
            return expected;
        }

        void fails(java.util.function.Consumer<Store> call) {
            assertThatThrownBy(() -> call.accept(file)).isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> call.accept(memory)).isInstanceOf(RuntimeException.class);
        }
    }

    /** Every column of every row of {@code table}, by rowid, as text. */
    private static List<String> rows(Path db, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = Database.dataSource(db).getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY rowid")) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.append(md.getColumnName(i)).append('=');
                    row.append(v == null ? "NULL" : v.getClass().getSimpleName() + ":" + v)
                            .append(' ');
                }
                out.add(row.toString());
            }
        }
        return out;
    }
}
