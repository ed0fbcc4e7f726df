package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.Deadline;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The open path acts on each leg's verdict as it arrives: a refusal sends the rollback of the
 * other leg while that leg's own bookkeeping reads are still under way, and an open never holds
 * the loop longer than risk.open_deadline_seconds. Backpack takes the LONG leg, Hibachi the SHORT.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a broken deadline must fail, not hang the build
final class OpenPathTest {
    @TempDir
    Path dir;

    private Harness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    /**
     * Opens the latch once {@code condition} holds while the venue is still holding the call (or
     * after 10 s in any case, so a failing test ends); says whether it held in time.
     */
    private static Thread releaseWhen(BooleanSupplier condition, CountDownLatch release, AtomicBoolean inTime) {
        Thread t = new Thread(
                () -> {
                    Instant giveUp = Instant.now().plusSeconds(10);
                    while (!condition.getAsBoolean() && Instant.now().isBefore(giveUp)) {
                        Thread.onSpinWait();
                    }
                    inTime.set(condition.getAsBoolean());
                    release.countDown();
                },
                "test-release");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void aRefusedLegRollsTheOtherBackBeforeTheOthersFollowUpReadsEnd() throws Exception {
        h = new Harness(dir);
        h.hibachi.failOrder(1, ExchangeError.REJECTED);
        CountDownLatch release = new CountDownLatch(1);
        h.backpack.holdNextOrderAfterFirstWord(release);
        AtomicBoolean rollbackWhileHeld = new AtomicBoolean();
        Thread releaser =
                releaseWhen(() -> h.backpack.holding() && h.backpack.orders().size() == 2, release, rollbackWhileHeld);

        h.orchestrator.step();
        releaser.join();

        assertThat(rollbackWhileHeld)
                .as("the rollback reached Backpack while its opening call was held")
                .isTrue();
        assertThat(h.backpack.orders().get(1).reduceOnly()).isTrue();
        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.ROLLED_BACK);
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();
        List<OrderRecord> orders = h.store.orders(pair.id());
        assertThat(orders)
                .extracting(OrderRecord::purpose, OrderRecord::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(OrderPurpose.OPEN, OrderStatus.FILLED),
                        org.assertj.core.groups.Tuple.tuple(OrderPurpose.OPEN, OrderStatus.REJECTED),
                        org.assertj.core.groups.Tuple.tuple(OrderPurpose.ROLLBACK, OrderStatus.FILLED));
        assertThat(h.legs(pair)).allSatisfy(l -> assertThat(l.size()).isZero());
    }

    @Test
    void aRollbackWhoseRowCannotBeWrittenIsNeverSent() throws Exception {
        h = new Harness(dir);
        // the database refuses every ROLLBACK row (as a full disk would), nothing else
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("bot.db"));
                Statement st = c.createStatement()) {
            st.execute("CREATE TRIGGER no_rollback_rows BEFORE INSERT ON orders WHEN NEW.purpose = 'ROLLBACK' "
                    + "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
        }
        h.hibachi.failOrder(1, ExchangeError.REJECTED);

        try {
            h.orchestrator.step();
        } catch (RuntimeException e) {
            // how the step reports the failed write does not matter here; what was sent does
        }

        assertThat(h.backpack.orders())
                .as("only the opening order reached Backpack: its rollback was signed but never stored")
                .hasSize(1);
        assertThat(h.backpack.orders().get(0).reduceOnly()).isFalse();
        assertThat(h.store.orders(h.onlyPair().id()))
                .extracting(OrderRecord::purpose)
                .doesNotContain(OrderPurpose.ROLLBACK);
    }

    @Test
    void bothLegsFilledAreNotRolledBack() {
        h = new Harness(dir);
        CountDownLatch release = new CountDownLatch(1);
        h.backpack.holdNextOrderAfterFirstWord(release);
        AtomicBoolean ignored = new AtomicBoolean();
        releaseWhen(() -> h.backpack.holding() && h.hibachi.orders().size() == 1, release, ignored);

        h.orchestrator.step();

        assertThat(h.onlyPair().status()).isEqualTo(PairStatus.OPEN);
        assertThat(h.backpack.orders()).hasSize(1);
        assertThat(h.hibachi.orders()).hasSize(1);
    }

    @Test
    void anOpenWaitsNoLongerThanItsDeadlineAndDecidesNothingUntilTheLegsCallHasEnded() throws Exception {
        h = new Harness(dir, Map.of("APP__RISK__OPEN_DEADLINE_SECONDS", "1"));
        CountDownLatch release = new CountDownLatch(1);
        h.hibachi.holdNextOrderBeforeAnswer(release);
        AtomicBoolean stepsReturned = new AtomicBoolean();
        AtomicBoolean returnedWhileHeld = new AtomicBoolean();
        // holds Hibachi's call until the steps below have returned (10 s at most, should they not)
        Thread releaser = releaseWhen(stepsReturned::get, release, returnedWhileHeld);
        boolean heldAtReturn;
        PairStatus whileHeld;
        try {
            h.orchestrator.step(); // returns after 1 s while Hibachi's call is still held
            heldAtReturn = h.hibachi.holding();
            h.advance(Duration.ofMinutes(1));
            h.orchestrator.step(); // settles nothing while the call is in flight
            whileHeld = h.onlyPair().status();
            stepsReturned.set(true);
        } finally {
            releaser.join();
        }
        assertThat(heldAtReturn)
                .as("the step returned while a leg was unanswered")
                .isTrue();
        assertThat(returnedWhileHeld).isTrue();
        assertThat(whileHeld)
                .as("nothing decided while a leg's call was in flight")
                .isEqualTo(PairStatus.OPENING);

        Instant giveUp = Instant.now().plusSeconds(10);
        while (h.onlyPair().status() == PairStatus.OPENING && Instant.now().isBefore(giveUp)) {
            h.advance(Duration.ofMinutes(1));
            h.orchestrator.step();
            TimeUnit.MILLISECONDS.sleep(10);
        }
        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(h.hibachi.orders()).as("never sent again").hasSize(1);
        assertThat(h.legs(pair))
                .as("the late answer is counted once")
                .allSatisfy(l -> assertThat(l.size()).isEqualByComparingTo(pair.quantity()));
        assertThat(h.alertKinds()).doesNotContain("LEG_SUSPECT", "LEG_SIZE_MISMATCH", "UNHEDGED");
    }

    @Test
    void aPairIsOpenOnceBothQuantitiesAreKnownWhileItsPricesAreStillBeingRead() throws Exception {
        // a deadline far longer than the wait below: OPEN must come from the quantities, not from it
        h = new Harness(dir, Map.of("APP__RISK__OPEN_DEADLINE_SECONDS", "600"));
        CountDownLatch release = new CountDownLatch(1);
        h.hibachi.holdNextOrderAfterFirstWord(release);
        Thread loop = new Thread(h.orchestrator::step, "test-step");
        HedgePair whileHeld;
        List<Leg> legsWhileHeld;
        List<OrderRecord> ordersWhileHeld;
        boolean stillHeld;
        try {
            loop.start();
            Deadline.await(
                    "the pair OPEN",
                    () -> !h.store.pairs(EnumSet.of(PairStatus.OPEN)).isEmpty());
            whileHeld = h.onlyPair();
            legsWhileHeld = h.legs(whileHeld);
            ordersWhileHeld = h.store.orders(whileHeld.id());
            stillHeld = h.hibachi.holding();
        } finally {
            release.countDown();
            loop.join();
        }
        assertThat(stillHeld)
                .as("OPEN while Hibachi's price and fee reads were still under way")
                .isTrue();
        assertThat(legsWhileHeld).allSatisfy(l -> assertThat(l.size()).isEqualByComparingTo(whileHeld.quantity()));
        Leg shortLeg = legsWhileHeld.stream()
                .filter(l -> l.venue() == HibachiExchange.VENUE)
                .findFirst()
                .orElseThrow();
        assertThat(shortLeg.entryPrice()).as("no price before it is read").isNull();
        assertThat(ordersWhileHeld)
                .filteredOn(o -> o.venue() == HibachiExchange.VENUE)
                .singleElement()
                .satisfies(o -> {
                    assertThat(o.status()).isEqualTo(OrderStatus.FILLED);
                    assertThat(o.priced()).isFalse();
                });

        Deadline.await(
                "Hibachi's fill priced",
                () -> h.store.orders(whileHeld.id()).stream().allMatch(OrderRecord::priced));
        OrderRecord shortOrder = h.store.orders(whileHeld.id()).stream()
                .filter(o -> o.venue() == HibachiExchange.VENUE)
                .findFirst()
                .orElseThrow();
        Leg priced = h.legs(whileHeld).stream()
                .filter(l -> l.venue() == HibachiExchange.VENUE)
                .findFirst()
                .orElseThrow();
        assertThat(priced.entryPrice()).isEqualByComparingTo(shortOrder.avgPrice());
        assertThat(priced.fees()).isEqualByComparingTo(shortOrder.fee()).isPositive();
        assertThat(priced.size()).as("the quantity is counted once").isEqualByComparingTo(whileHeld.quantity());
    }

    @Test
    void aFillWhosePriceCouldNotBeReadIsLookedUpAndItsPairEndsOnlyOnceItIsPriced() {
        h = new Harness(dir);
        h.hibachi.failNextOrderAfterFirstWord();
        h.hibachi.lookUpWithoutPrice(2); // the monitor's and the close's lookups still show no price

        h.orchestrator.step();
        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).as("both quantities are known").isEqualTo(PairStatus.OPEN);
        assertThat(h.store.orders(pair.id())).filteredOn(o -> !o.priced()).hasSize(1);

        h.advance(Duration.ofDays(2)); // past the pair's close time and the next monitor tick
        h.orchestrator.step(); // the pair expires and both legs close; the lookups show no price yet
        HedgePair closing = h.store.pair(pair.id()).orElseThrow();
        assertThat(h.legs(closing)).allSatisfy(l -> assertThat(l.size()).isZero());
        assertThat(closing.status())
                .as("not CLOSED while a fill's price and fee are unknown")
                .isEqualTo(PairStatus.CLOSING);

        h.advance(Duration.ofMinutes(5));
        h.orchestrator.step();
        HedgePair closed = h.store.pair(pair.id()).orElseThrow();
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        List<OrderRecord> orders = h.store.orders(pair.id());
        assertThat(orders).allSatisfy(o -> assertThat(o.priced()).isTrue());
        BigDecimal fees = orders.stream().map(OrderRecord::fee).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(closed.fees()).as("every fill's fee is in the result").isEqualByComparingTo(fees);
        assertThat(h.legs(closed))
                .allSatisfy(l -> assertThat(l.entryPrice()).isNotNull().isPositive());
    }

    @Test
    void bothOrdersArePreparedBeforeEitherIsSent() {
        h = new Harness(dir);
        h.orchestrator.step();

        assertThat(h.onlyPair().status()).isEqualTo(PairStatus.OPEN);
        assertThat(h.backpack.preparedAt()).hasSize(1);
        assertThat(h.hibachi.preparedAt()).hasSize(1);
        long lastPrepared =
                Math.max(h.backpack.preparedAt().get(0), h.hibachi.preparedAt().get(0));
        long firstSent = Math.min(h.backpack.sentAt().get(0), h.hibachi.sentAt().get(0));
        assertThat(lastPrepared).as("both signed before either went").isLessThan(firstSent);
    }

    @Test
    void aLegThatCannotBePreparedSendsNeither() {
        h = new Harness(dir);
        h.hibachi.failNextPrepare(ExchangeError.VENUE_DOWN);

        h.orchestrator.step();

        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.FAILED);
        assertThat(h.backpack.orders())
                .as("the partner of a leg that cannot go is not sent")
                .isEmpty();
        assertThat(h.hibachi.orders()).isEmpty();
        assertThat(h.store.orders(pair.id())).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(OrderStatus.REJECTED);
            assertThat(o.error()).startsWith("not sent");
        });
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();
        assertThat(h.alertKinds()).contains("OPEN_FAILED");
    }
}
