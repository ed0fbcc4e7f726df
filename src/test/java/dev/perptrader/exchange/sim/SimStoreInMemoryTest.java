package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static dev.perptrader.exchange.sim.SimOrders.sell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sim venues' state in memory ({@code sim.state_file = ":memory:"}, for {@code simulate}):
 * the same fills, accounts, prices and funding as a world on a file, and a failed write leaves
 * the state as the last committed one, as a file's rollback does.
 */
final class SimStoreInMemoryTest {
    @TempDir
    Path dir;

    /** What a world did over two hours with a hedge open: every answer the venues gave, in order. */
    private List<Object> twoHoursOfAHedge(AppConfig.Sim params) {
        MutableClock clock = MutableClock.at("2024-01-01T00:10:00Z");
        Instant start = clock.instant();
        List<Object> seen = new ArrayList<>();
        try (SimWorld world = SimWorld.open(params, clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            bp.ensureLeverage(BP_BTC, dec("3"));
            hb.ensureLeverage(HB_BTC, dec("2"));
            clock.advance(Duration.ofMinutes(20));
            seen.add(bp.placeMarketOrder(buy(bp, BP_BTC, "0.2")));
            seen.add(hb.placeMarketOrder(sell(hb, HB_BTC, "0.2")));
            for (int i = 0; i < 12; i++) {
                clock.advance(Duration.ofMinutes(10));
                seen.add(bp.quotes(List.of(BP_BTC)));
                seen.add(hb.quotes(List.of(HB_BTC)));
                seen.add(bp.account());
                seen.add(hb.account());
            }
            seen.add(bp.fundingBetween(BP_BTC, start, clock.instant()));
            seen.add(hb.fillsSince(HB_BTC, start));
            seen.add(bp.newClientId());
        }
        return seen;
    }

    @Test
    void aWorldInMemoryAnswersAsAWorldOnAFile() {
        SimParams params = new SimParams(dir).volatility("0.8").basisNoiseBps("3");
        List<Object> onFile =
                twoHoursOfAHedge(params.file(dir.resolve("sim.db")).build());
        List<Object> inMemory = twoHoursOfAHedge(params.file(SimStore.IN_MEMORY).build());
        assertThat(inMemory).isEqualTo(onFile);
    }

    @Test
    void aFailedWriteLeavesTheStateAsTheLastCommittedOne() {
        try (SimStore store = SimStore.open(SimStore.IN_MEMORY)) {
            SimAccount account = new SimAccount(BackpackExchange.VENUE, SimBook.of(new BigDecimal("1000")), 3, 4);
            TreeMap<String, SimPosition> positions = new TreeMap<>();
            positions.put(BP_BTC, new SimPosition(BP_BTC, new BigDecimal("0.2"), new BigDecimal("60000.5")));
            account.book(new SimBook(new BigDecimal("990.25"), positions));
            store.inTransaction(() -> {
                store.putMeta("k", "1");
                store.saveAccount(account);
                store.saveLeverage(BackpackExchange.VENUE, BP_BTC, new BigDecimal("3"));
            });

            account.book(SimBook.of(new BigDecimal("5")));
            assertThatThrownBy(() -> store.inTransaction(() -> {
                        store.putMeta("k", "2");
                        store.saveAccount(account);
                        store.saveLeverage(BackpackExchange.VENUE, BP_BTC, new BigDecimal("9"));
                        throw new IllegalStateException("refused");
                    }))
                    .hasMessage("refused");

            assertThat(store.meta("k")).contains("1");
            SimAccount loaded = store.loadAccount(BackpackExchange.VENUE).orElseThrow();
            assertThat(loaded.book().balance()).isEqualByComparingTo("990.25");
            assertThat(loaded.book().positions()).containsOnlyKeys(BP_BTC);
            assertThat(loaded.book().positions().get(BP_BTC).entryPrice()).isEqualByComparingTo("60000.5");
            assertThat(loaded.leverage(BP_BTC)).isEqualByComparingTo("3");
            assertThat(loaded.clientSeq()).isEqualTo(3);
            assertThat(store.loadAccount(HibachiExchange.VENUE)).isEmpty();
        }
    }

    @Test
    void fundingPaidInMemoryIsReadBackAsFromAFileOverEveryWindow() {
        Instant t0 = Instant.parse("2026-01-01T08:00:00Z");
        List<Instant> paidAt = List.of(t0, t0.plusSeconds(3_600), t0.plusSeconds(3_600), t0.plusSeconds(7_200));
        List<List<BigDecimal>> answers = new ArrayList<>();
        for (Path where : List.of(dir.resolve("funding.db"), SimStore.IN_MEMORY)) {
            try (SimStore store = SimStore.open(where)) {
                store.inTransaction(() -> {
                    for (int i = 0; i < paidAt.size(); i++) {
                        BigDecimal amount = new BigDecimal("-1.50").add(BigDecimal.valueOf(i)); // kept as "-1.50"
                        store.insertFunding(
                                BackpackExchange.VENUE,
                                BP_BTC,
                                paidAt.get(i),
                                BigDecimal.ONE,
                                BigDecimal.TEN,
                                BigDecimal.ONE,
                                amount);
                    }
                    store.insertFunding(
                            HibachiExchange.VENUE,
                            HB_BTC,
                            t0,
                            BigDecimal.ONE,
                            BigDecimal.TEN,
                            BigDecimal.ONE,
                            BigDecimal.TEN);
                });
                List<BigDecimal> seen = new ArrayList<>();
                // windows are (from, to]: a payment at a window's start is left out, one at its end counted
                long[] edges = {-1, 0, 1, 3_599, 3_600, 3_601, 7_199, 7_200, 7_201};
                for (long from : edges) {
                    for (long to : edges) {
                        if (to < from) {
                            continue;
                        }
                        List<BigDecimal> amounts = store.fundingAmounts(
                                BackpackExchange.VENUE, BP_BTC, t0.plusSeconds(from), t0.plusSeconds(to));
                        seen.add(new BigDecimal(amounts.size()));
                        seen.addAll(amounts);
                    }
                }
                seen.addAll(store.fundingAmounts(HibachiExchange.VENUE, HB_BTC, t0.minusSeconds(1), t0));
                seen.addAll(store.fundingAmounts(HibachiExchange.VENUE, BP_BTC, t0.minusSeconds(1), t0));
                answers.add(seen);
            }
        }
        assertThat(answers.get(1)).isEqualTo(answers.get(0));
        assertThat(answers.get(0)).contains(new BigDecimal("-1.50"), new BigDecimal("10"));
    }

    @Test
    void aBodyThatWritesARowCommitsItWithTheStateAndAFailedOneLeavesNoRow() {
        try (SimStore store = SimStore.open(SimStore.IN_MEMORY)) {
            Instant t0 = Instant.parse("2026-01-01T08:00:00Z");
            Instant t1 = t0.plusSeconds(28_800);
            BigDecimal one = BigDecimal.ONE;
            store.inTransaction(() -> store.putMeta("k", "values only"));
            store.inTransaction(() -> {
                store.putMeta("k", "1");
                store.insertFunding(
                        BackpackExchange.VENUE, BP_BTC, t0, one, new BigDecimal("60000"), one, new BigDecimal("-1.5"));
            });
            assertThatThrownBy(() -> store.inTransaction(() -> {
                        store.putMeta("k", "2");
                        store.insertFunding(
                                BackpackExchange.VENUE,
                                BP_BTC,
                                t1,
                                one,
                                new BigDecimal("61000"),
                                one,
                                new BigDecimal("-2.5"));
                        throw new IllegalStateException("refused");
                    }))
                    .hasMessage("refused");

            assertThat(store.meta("k")).contains("1");
            assertThat(store.fundingAmounts(BackpackExchange.VENUE, BP_BTC, t0.minusSeconds(1), t1.plusSeconds(1)))
                    .containsExactly(new BigDecimal("-1.5"));
            // the next body begins afresh: its row goes in
            store.inTransaction(() -> store.insertFunding(
                    BackpackExchange.VENUE, BP_BTC, t1, one, new BigDecimal("61000"), one, new BigDecimal("-2.5")));
            assertThat(store.fundingAmounts(BackpackExchange.VENUE, BP_BTC, t0.minusSeconds(1), t1.plusSeconds(1)))
                    .containsExactly(new BigDecimal("-1.5"), new BigDecimal("-2.5"));
        }
    }

    /**
     * Market orders a store in memory keeps as values are found, listed in the fill history and
     * refused a second time as a file's rows are; a failed body leaves none behind.
     */
    @Test
    void ordersKeptInMemoryAreReadBackAsFromAFile() {
        Instant t0 = Instant.parse("2026-01-01T08:00:00Z");
        List<List<Object>> answers = new ArrayList<>();
        for (Path where : List.of(dir.resolve("orders.db"), SimStore.IN_MEMORY)) {
            try (SimStore store = SimStore.open(where)) {
                List<Object> seen = new ArrayList<>();
                store.inTransaction(() -> {
                    store.insertOrder(
                            BackpackExchange.VENUE,
                            order("a", BP_BTC, "0.50", "60000.10"),
                            false,
                            new BigDecimal("0.5"),
                            BigDecimal.ZERO,
                            t0);
                    store.insertOrder(
                            BackpackExchange.VENUE,
                            order("b", BP_BTC, "0", "0"),
                            true,
                            BigDecimal.ONE,
                            BigDecimal.ZERO,
                            t0); // nothing filled: not in the history
                    store.insertOrder(
                            BackpackExchange.VENUE,
                            order("c", BP_BTC, "0.25", "60001"),
                            true,
                            new BigDecimal("0.25"),
                            BigDecimal.ONE,
                            t0);
                    store.insertOrder(
                            HibachiExchange.VENUE,
                            order("a", HB_BTC, "0.5", "59990"),
                            false,
                            new BigDecimal("0.5"),
                            BigDecimal.ZERO,
                            t0.plusSeconds(60));
                    store.saveResting(
                            BackpackExchange.VENUE,
                            new SimResting(
                                    "e",
                                    "v-e",
                                    BP_BTC,
                                    OrderSide.SELL,
                                    BigDecimal.ONE,
                                    new BigDecimal("61000"),
                                    true,
                                    false,
                                    RestingOrder.Status.OPEN,
                                    BigDecimal.ZERO,
                                    BigDecimal.ZERO,
                                    BigDecimal.ZERO,
                                    t0));
                });
                assertThatThrownBy(() -> store.inTransaction(() -> {
                            store.insertOrder(
                                    BackpackExchange.VENUE,
                                    order("d", BP_BTC, "1", "60002"),
                                    false,
                                    BigDecimal.ONE,
                                    BigDecimal.ZERO,
                                    t0.plusSeconds(1));
                            throw new IllegalStateException("refused");
                        }))
                        .hasMessage("refused");
                assertThatThrownBy(() -> store.inTransaction(() -> store.insertOrder(
                                BackpackExchange.VENUE,
                                order("a", BP_BTC, "1", "1"),
                                false,
                                BigDecimal.ONE,
                                BigDecimal.ZERO,
                                t0)))
                        .as("a client id used on that venue")
                        .isInstanceOf(RuntimeException.class);
                for (String id : List.of("a", "b", "c", "d", "e")) {
                    seen.add(store.findOrder(BackpackExchange.VENUE, id));
                    seen.add(store.clientIdUsed(BackpackExchange.VENUE, id));
                    seen.add(store.clientIdUsed(HibachiExchange.VENUE, id));
                }
                for (long from : new long[] {-1, 0, 1, 60, 61}) {
                    seen.add(store.fillsSince(BackpackExchange.VENUE, BP_BTC, t0.plusSeconds(from)));
                    seen.add(store.fillsSince(HibachiExchange.VENUE, HB_BTC, t0.plusSeconds(from)));
                    seen.add(store.fillsSince(HibachiExchange.VENUE, BP_BTC, t0.plusSeconds(from)));
                }
                answers.add(seen);
            }
        }
        assertThat(answers.get(1)).isEqualTo(answers.get(0));
        assertThat(answers.get(0).get(0)).isNotEqualTo(Optional.empty());
        assertThat(answers.get(0).get(1)).isEqualTo(true);
        assertThat(answers.get(0).subList(12, 15))
                .as("a limit order's client id is used on its venue only")
                .containsExactly(Optional.empty(), true, false);
    }

    private static Fill order(String clientId, String symbol, String filled, String price) {
        return new Fill(
                clientId,
                "v-" + clientId,
                symbol,
                OrderSide.BUY,
                new BigDecimal(filled).signum() == 0 ? OrderState.REJECTED : OrderState.FILLED,
                new BigDecimal(filled),
                new BigDecimal(price),
                new BigDecimal("0.0100"));
    }
}
