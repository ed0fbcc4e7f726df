package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.PairResult;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.VenueRatio;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A book in memory keeps its frequent reads until the next write and holds the monitor's per-tick
 * writes (leg marks, venue reads, marks rows) instead of writing them at once. Neither may change
 * an answer: the same calls made on a book in a file and on one in memory read the same after
 * every step, the thinning keeps the same rows, and the book written out holds what the file does.
 */
final class StoreHeldWritesTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aBookInMemoryAnswersEveryReadAsAFileDoesWhileItHoldsTheTicksWrites() {
        try (Store file = Store.open(dir.resolve("file.db"));
                Store memory = Store.openInMemory()) {
            List<Store> both = List.of(file, memory);
            both.forEach(s -> s.claimMode(Mode.SIMULATE));
            List<Long> pairs = new ArrayList<>();
            for (Store s : both) {
                long id = StoreInMemoryTest.newPair(s, "1");
                s.orders(id).forEach(o -> s.applyFill(o.id(), StoreInMemoryTest.filled(o.clientId()), T0));
                s.markOpen(id, PairStatus.OPENING, new BigDecimal("0.0123"), T0, T0.plus(Duration.ofDays(2)));
                pairs.add(id);
            }
            long pair = pairs.get(0);
            assertThat(pairs).containsOnly(pair);
            sameReads(file, memory, pair);

            // three hours of ticks every 10 minutes; the thinning reaches the first two hours
            Instant t = T0;
            for (int tick = 0; tick < 18; tick++) {
                t = t.plus(Duration.ofMinutes(10));
                BigDecimal mark = new BigDecimal("60000.50").add(BigDecimal.valueOf(tick));
                BigDecimal upnl = new BigDecimal("-0.0100").add(BigDecimal.valueOf(tick, 3));
                for (Store s : both) {
                    Instant at = t;
                    List<Leg> legs = s.legs(pair);
                    s.batch(() -> {
                        if (at.getEpochSecond() % 3 == 0) {
                            s.venueReadFailed(HibachiExchange.VENUE, at, "timeout");
                        } else {
                            s.venueReadOk(HibachiExchange.VENUE, at);
                        }
                        s.venueReadOk(BackpackExchange.VENUE, at);
                        legs.forEach(l -> s.updateLegMark(l.id(), mark, upnl, at));
                        s.insertMark(new Store.Mark(
                                pair,
                                at,
                                mark,
                                mark.add(BigDecimal.ONE),
                                upnl,
                                upnl.negate(),
                                new BigDecimal("12.34567"),
                                null,
                                new BigDecimal("0.00010")));
                    });
                }
                if (tick % 4 == 1) {
                    Instant at = t.plusNanos(1_234_567); // kept to the millisecond, as the column is
                    String reason = tick % 8 == 1 ? null : "venues disagree " + tick;
                    both.forEach(s -> s.recordGate(reason, at));
                    same(file, memory, Store::gate); // held, in memory: no read or write came since
                }
                sameReads(file, memory, pair);
                same(file, memory, Store::gate);
                if (tick == 9 || tick == 15) {
                    Instant before = t.minus(Duration.ofMinutes(30));
                    assertThat(memory.thinMarks(before)).as("rows thinned").isEqualTo(file.thinMarks(before));
                }
            }
            for (Store s : both) {
                s.markClosing(pair, PairStatus.OPEN, "EXPIRED", t);
            }
            sameReads(file, memory, pair);
            // before any read of the table, which writes out what memory holds
            for (long minutes : new long[] {0, 95, 125, 165, 180, 200}) {
                same(file, memory, s -> s.marksAround(pair, T0.plus(Duration.ofMinutes(minutes))));
            }
            int kept = same(file, memory, s -> s.markCount(pair));
            assertThat(kept).as("18 rows, 4 then 5 thinned").isEqualTo(18 - 4 - 5);
            same(file, memory, s -> s.latestMark(pair));
            same(file, memory, Store::venueReads);
            same(file, memory, Store::gate);
        }
    }

    @Test
    void collateralRatiosHeldInMemoryAreHandedOverAfterTheWrittenOnes() {
        try (Store file = Store.open(dir.resolve("file.db"));
                Store memory = Store.openInMemory()) {
            for (Store s : List.of(file, memory)) {
                s.claimMode(Mode.SIMULATE);
                long pair = StoreInMemoryTest.newPair(s, "1");
                for (int i = 0; i < 5; i++) {
                    s.insertMark(new Store.Mark(
                            pair,
                            T0.plus(Duration.ofMinutes(40L * i)),
                            null,
                            null,
                            null,
                            null,
                            new BigDecimal("3.100").add(BigDecimal.valueOf(i)),
                            new BigDecimal("7.25"),
                            null));
                }
                s.thinMarks(T0.plus(Duration.ofMinutes(90)));
            }
            List<VenueRatio> ratios = same(file, memory, s -> {
                List<VenueRatio> out = new ArrayList<>();
                s.eachCollateralRatio(out::add);
                return out;
            });
            assertThat(ratios).hasSize(2 * 4);
        }
    }

    /**
     * A book in memory picks the reads of some active pairs, of an active pair's legs, of the
     * suspect legs and of the unrealized sum out of one read of every active pair and leg: each
     * answers as its own query does on a file, whatever mix of statuses the pairs are in.
     */
    @Test
    void readsPickedFromTheActivePairsAnswerAsTheirOwnQueries() {
        try (Store file = Store.open(dir.resolve("file.db"));
                Store memory = Store.openInMemory()) {
            List<Store> both = List.of(file, memory);
            List<List<Long>> ids = new ArrayList<>();
            for (Store s : both) {
                s.claimMode(Mode.SIMULATE);
                long opening = StoreInMemoryTest.newPair(s, "a");
                long open = opened(s, "b");
                long closing = opened(s, "c");
                s.markClosing(closing, PairStatus.OPEN, "EXPIRED", T0.plusSeconds(30));
                long failed = StoreInMemoryTest.newPair(s, "d");
                s.markEnded(
                        failed,
                        PairStatus.OPENING,
                        PairStatus.FAILED,
                        new PairResult(
                                "FAILED",
                                BigDecimal.ZERO,
                                BigDecimal.ZERO,
                                BigDecimal.ZERO,
                                BigDecimal.ZERO,
                                BigDecimal.ZERO),
                        T0.plusSeconds(40));
                long later = opened(s, "e");
                // the closing pair's long is suspected after the open pair's short: the suspects
                // come oldest suspicion first, not in id order
                s.markSuspect(s.legs(open).get(1).id(), "absent once", T0.plusSeconds(50));
                s.markSuspect(s.legs(closing).get(0).id(), "absent once", T0.plusSeconds(60));
                s.markSuspect(s.legs(failed).get(0).id(), "absent once", T0.plusSeconds(55));
                s.markSuspect(s.legs(later).get(0).id(), "absent once", T0.plusSeconds(45));
                for (long pair : List.of(open, closing, later)) {
                    List<Leg> legs = s.legs(pair);
                    s.batch(() -> legs.forEach(l -> s.updateLegMark(
                            l.id(), new BigDecimal("60100.5"), new BigDecimal(pair + ".25"), T0.plusSeconds(70))));
                }
                ids.add(List.of(opening, open, closing, failed, later));
            }
            assertThat(ids.get(1)).isEqualTo(ids.get(0));
            List<Set<PairStatus>> sets = List.of(
                    EnumSet.of(PairStatus.OPENING),
                    EnumSet.of(PairStatus.OPEN),
                    EnumSet.of(PairStatus.CLOSING),
                    EnumSet.of(PairStatus.UNHEDGED),
                    EnumSet.of(PairStatus.OPENING, PairStatus.UNHEDGED),
                    EnumSet.of(PairStatus.OPENING, PairStatus.UNHEDGED, PairStatus.CLOSING),
                    EnumSet.of(PairStatus.OPEN, PairStatus.CLOSING),
                    PairStatus.active(),
                    EnumSet.of(PairStatus.OPEN, PairStatus.FAILED),
                    EnumSet.of(PairStatus.FAILED));
            for (Set<PairStatus> statuses : sets) {
                List<HedgePair> pairs = same(file, memory, s -> s.pairs(statuses));
                assertThat(pairs).as("pairs in %s", statuses).allMatch(p -> statuses.contains(p.status()));
            }
            assertThat(file.pairs(PairStatus.active())).hasSize(4);
            for (long pair : ids.get(0)) {
                List<Leg> legs = same(file, memory, s -> s.legs(pair));
                assertThat(legs).hasSize(2);
                assertThat(same(file, memory, s -> s.snapshot(pair)).legs()).isEqualTo(legs);
            }
            same(file, memory, s -> s.legs(9_999));
            List<Leg> suspects = same(file, memory, Store::suspectLegs);
            assertThat(suspects)
                    .extracting(Leg::pairId)
                    .containsExactly(
                            ids.get(0).get(4), ids.get(0).get(1), ids.get(0).get(2));
            same(file, memory, Store::unrealizedOfActivePairs);
        }
    }

    /**
     * The rows the thinning keeps wait in memory until a batch of them is full, so the hourly
     * thinning is no write; meanwhile, and after the batch goes in, every read of marks answers as
     * the file does, wherever the row it finds is: in the table, among the rows kept, or newer.
     */
    @Test
    void rowsTheThinningKeepsGoInByTheBatchAndAreReadTheSameMeanwhile() {
        try (Store file = Store.open(dir.resolve("file.db"));
                Store memory = Store.openInMemory()) {
            List<Store> both = List.of(file, memory);
            List<Long> pairs = new ArrayList<>();
            int rows = 2 * (TickWrites.THINNED_BATCH + 100); // a row every 30 minutes
            for (Store s : both) {
                s.claimMode(Mode.SIMULATE);
                long pair = StoreInMemoryTest.newPair(s, "1");
                pairs.add(pair);
                s.batch(() -> {
                    for (int i = 0; i < rows; i++) {
                        BigDecimal mark = new BigDecimal("60000.5").add(BigDecimal.valueOf(i));
                        s.insertMark(new Store.Mark(
                                pair,
                                T0.plus(Duration.ofMinutes(30L * i)),
                                mark,
                                i % 7 == 2 ? null : mark.add(BigDecimal.ONE), // now and then one mark only
                                new BigDecimal("0.10"),
                                new BigDecimal("-0.10"),
                                new BigDecimal("8.125").add(BigDecimal.valueOf(i, 3)),
                                new BigDecimal("9.5"),
                                null));
                    }
                });
            }
            long pair = pairs.get(0);
            assertThat(pairs).containsOnly(pair);

            Store.DbTime before = memory.dbTime();
            Instant cut = T0.plus(Duration.ofHours(400));
            assertThat(memory.thinMarks(cut)).as("rows thinned").isEqualTo(file.thinMarks(cut));
            assertThat(memory.dbTime().since(before).calls())
                    .as("a thinning short of a batch writes nothing")
                    .isZero();
            sameAround(file, memory, pair, 1);
            for (int hours : new int[] {TickWrites.THINNED_BATCH + 20, TickWrites.THINNED_BATCH + 60}) {
                cut = T0.plus(Duration.ofHours(hours)).plus(Duration.ofMinutes(10));
                assertThat(memory.thinMarks(cut)).as("rows thinned").isEqualTo(file.thinMarks(cut));
                sameAround(file, memory, pair, 1);
            }
            List<VenueRatio> ratios = same(file, memory, s -> {
                List<VenueRatio> out = new ArrayList<>();
                s.eachCollateralRatio(out::add);
                return out;
            });
            // one row an hour up to the last cut (B + 61 of them), all 79 after it; two ratios a row
            assertThat(ratios).hasSize(2 * (TickWrites.THINNED_BATCH + 61 + 79));
            sameAround(file, memory, pair, 1);
            same(file, memory, s -> s.markCount(pair));
            same(file, memory, s -> s.latestMark(pair));
        }
    }

    /** marksAround answers the same on both books at every {@code stepHours} of the rows' span. */
    private static void sameAround(Store file, Store memory, long pair, int stepHours) {
        for (long minutes = -45; minutes <= 60L * (TickWrites.THINNED_BATCH + 110); minutes += 60L * stepHours + 15) {
            Instant at = T0.plus(Duration.ofMinutes(minutes));
            same(file, memory, s -> s.marksAround(pair, at));
        }
        // every quarter hour where the batch written ends and the rows still held begin
        for (long minutes = 60L * (TickWrites.THINNED_BATCH + 15);
                minutes <= 60L * (TickWrites.THINNED_BATCH + 25);
                minutes += 15) {
            Instant at = T0.plus(Duration.ofMinutes(minutes));
            same(file, memory, s -> s.marksAround(pair, at));
        }
    }

    /**
     * A book in memory keeps the order a fill was just recorded on as the write read it back, so
     * the trader's read of it right after costs no query; it is the row a file gives back.
     */
    @Test
    void anOrderJustWrittenIsReadBackAsTheFileGivesItWithoutAQuery() {
        try (Store file = Store.open(dir.resolve("file.db"));
                Store memory = Store.openInMemory()) {
            List<Store> both = List.of(file, memory);
            List<List<OrderRecord>> orders = new ArrayList<>();
            for (Store s : both) {
                s.claimMode(Mode.SIMULATE);
                orders.add(s.orders(StoreInMemoryTest.newPair(s, "1")));
            }
            assertThat(orders.get(1)).isEqualTo(orders.get(0));
            OrderRecord first = orders.get(0).get(0);
            OrderRecord second = orders.get(0).get(1);
            for (Store s : both) {
                assertThat(s.recordFirstWord(first.id(), StoreInMemoryTest.filled(first.clientId()), T0.plusSeconds(1)))
                        .isTrue();
            }
            sameWithoutAQuery(file, memory, first.id());
            assertThat(memory.order(first.id()).orElseThrow().priced())
                    .as("a first word is unpriced")
                    .isFalse();
            for (Store s : both) {
                assertThat(s.applyFill(first.id(), StoreInMemoryTest.filled(first.clientId()), T0.plusSeconds(2)))
                        .isTrue();
                assertThat(s.applyFill(second.id(), StoreInMemoryTest.filled(second.clientId()), T0.plusSeconds(3)))
                        .isTrue();
            }
            sameWithoutAQuery(file, memory, second.id());
            same(file, memory, s -> s.order(first.id())); // a later write made the memo forget it: read again
            assertThat(memory.order(first.id()).orElseThrow().priced()).isTrue();
            for (Store s : both) {
                // already settled and priced: changes nothing, keeps nothing
                assertThat(s.applyFill(second.id(), StoreInMemoryTest.filled(second.clientId()), T0.plusSeconds(4)))
                        .isFalse();
            }
            same(file, memory, s -> s.order(second.id()));
            same(file, memory, s -> s.orders(second.pairId()));
        }
    }

    private static void sameWithoutAQuery(Store file, Store memory, long orderId) {
        Store.DbTime before = memory.dbTime();
        Optional<OrderRecord> kept = memory.order(orderId);
        assertThat(memory.dbTime().since(before).calls())
                .as("order %d read from the table", orderId)
                .isZero();
        assertThat(kept).isEqualTo(file.order(orderId));
    }

    /**
     * The legs a book in memory lays its held marks over are read several times a tick: each read
     * shows the marks held at that moment, however many reads came before with older ones.
     */
    @Test
    void legsReadAgainShowTheMarksHeldSinceTheLastRead() {
        try (Store file = Store.open(dir.resolve("file.db"));
                Store memory = Store.openInMemory()) {
            List<Store> both = List.of(file, memory);
            both.forEach(s -> s.claimMode(Mode.SIMULATE));
            long pair = same(file, memory, s -> opened(s, "1"));
            List<Leg> legs = file.legs(pair);
            for (int tick = 1; tick <= 3; tick++) {
                BigDecimal mark = new BigDecimal("60000.5").add(BigDecimal.valueOf(tick));
                Instant at = T0.plusSeconds(60L * tick);
                for (Store s : both) {
                    s.updateLegMark(legs.get(0).id(), mark, BigDecimal.valueOf(tick), at);
                }
                same(file, memory, s -> s.legs(pair));
                for (Store s : both) {
                    s.updateLegMark(legs.get(1).id(), mark, BigDecimal.valueOf(-tick), at);
                }
                List<Leg> read = same(file, memory, s -> s.legs(pair));
                assertThat(read).extracting(Leg::markPrice).containsOnly(mark);
                same(file, memory, s -> s.legs(pair));
            }
        }
    }

    /** A new pair whose two orders filled, OPEN. */
    private static long opened(Store s, String suffix) {
        long id = StoreInMemoryTest.newPair(s, suffix);
        s.orders(id).forEach(o -> s.applyFill(o.id(), StoreInMemoryTest.filled(o.clientId()), T0));
        s.markOpen(id, PairStatus.OPENING, new BigDecimal("0.0123"), T0, T0.plus(Duration.ofDays(2)));
        return id;
    }

    /** The reads the trader repeats every step answer the same on both books. */
    private static void sameReads(Store file, Store memory, long pair) {
        same(file, memory, s -> s.legs(pair));
        same(file, memory, s -> s.legsOf(PairStatus.active()));
        same(file, memory, Store::unrealizedOfActivePairs);
        same(file, memory, Store::suspectLegs);
        same(file, memory, s -> s.pairs(EnumSet.of(PairStatus.OPEN)));
        same(file, memory, s -> s.pair(pair).map(HedgePair::status));
        same(file, memory, s -> s.orders(pair));
        same(file, memory, s -> s.snapshot(pair));
    }

    private static <T> T same(Store file, Store memory, Function<Store, T> read) {
        T expected = read.apply(file);
        assertThat(read.apply(memory)).isEqualTo(expected);
        return expected;
    }
}
