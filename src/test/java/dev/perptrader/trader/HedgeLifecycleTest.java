package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.LegStatus;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Side;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.sim.SimFault;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pair's whole life on the simulated venues, driven step by step with a hand-moved clock. */
final class HedgeLifecycleTest {
    @TempDir
    Path dir;

    private Harness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void opensBothLegsWithEqualSizeAndOppositeSides() {
        h = new Harness(dir);
        h.orchestrator.step();

        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(pair.longVenue()).isEqualTo(BackpackExchange.VENUE);
        assertThat(pair.shortVenue()).isEqualTo(HibachiExchange.VENUE);
        assertThat(pair.leverage()).isBetween(new BigDecimal("2"), new BigDecimal("3"));
        assertThat(pair.closeAt()).isEqualTo(pair.openedAt().plus(Duration.ofHours(1)));
        List<Leg> legs = h.legs(pair);
        assertThat(legs).extracting(Leg::side).containsExactly(Side.LONG, Side.SHORT);
        assertThat(legs.get(0).size()).isEqualByComparingTo(legs.get(1).size());
        assertThat(legs.get(0).size()).isEqualByComparingTo(pair.quantity());
        // a multiple of the coarser step (hibachi BTC: 0.0001)
        assertThat(pair.quantity().remainder(new BigDecimal("0.0001"))).isZero();
        assertThat(h.positions(BackpackExchange.VENUE)).singleElement().satisfies(p -> {
            assertThat(p.side()).isEqualTo(Side.LONG);
            assertThat(p.qty()).isEqualByComparingTo(pair.quantity());
        });
        assertThat(h.positions(HibachiExchange.VENUE)).singleElement().satisfies(p -> {
            assertThat(p.side()).isEqualTo(Side.SHORT);
            assertThat(p.qty()).isEqualByComparingTo(pair.quantity());
        });
        assertThat(h.backpack.orders()).hasSize(1);
        assertThat(h.hibachi.orders()).hasSize(1);
    }

    @Test
    void recordsTheIntentBeforeAnyOrderIsSent() {
        h = new Harness(dir);
        h.backpack.failOrder(1, ExchangeError.VENUE_DOWN);
        h.hibachi.failOrder(1, ExchangeError.VENUE_DOWN);
        h.orchestrator.step();

        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.FAILED);
        List<OrderRecord> orders = h.store.orders(pair.id());
        assertThat(orders).hasSize(2).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(OrderStatus.REJECTED);
            assertThat(o.createdAt()).isEqualTo(Harness.START);
        });
        // the client ids sent are exactly the ones recorded
        assertThat(h.backpack.orders().get(0).clientId())
                .isEqualTo(orders.get(0).clientId());
        assertThat(h.hibachi.orders().get(0).clientId()).isEqualTo(orders.get(1).clientId());
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();
        assertThat(h.alertKinds()).contains("OPEN_FAILED");
    }

    @Test
    void rejectedLongLeavesNothingOpen() {
        h = new Harness(dir);
        h.backpackSim.injectOrderFault(SimFault.REJECT);
        h.orchestrator.step();

        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.ROLLED_BACK);
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();
        assertThat(h.legs(pair)).allSatisfy(l -> assertThat(l.size()).isZero());
        assertThat(h.alertKinds()).contains("ROLLED_BACK");
    }

    @Test
    void rollsBackLongWhenShortIsRejected() {
        h = new Harness(dir);
        h.hibachiSim.injectOrderFault(SimFault.INSUFFICIENT_MARGIN);
        h.orchestrator.step();

        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.ROLLED_BACK);
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();
        List<OrderRecord> orders = h.store.orders(pair.id());
        assertThat(orders)
                .extracting(OrderRecord::purpose)
                .containsExactly(OrderPurpose.OPEN, OrderPurpose.OPEN, OrderPurpose.ROLLBACK);
        OrderRecord rollback = orders.get(2);
        assertThat(rollback.venue()).isEqualTo(BackpackExchange.VENUE);
        assertThat(h.backpack.orders().get(1).reduceOnly()).isTrue();
        assertThat(rollback.qty()).isEqualByComparingTo(orders.get(0).filledQty());
        assertThat(pair.fees()).isPositive();
        assertThat(h.alertKinds()).contains("ROLLED_BACK");
    }

    @Test
    void retriesAFailedRollbackOnALaterTickUntilFlat() {
        h = new Harness(dir);
        h.hibachiSim.injectOrderFault(SimFault.REJECT);
        h.backpack.failOrder(2, ExchangeError.VENUE_DOWN); // the rollback sent at the refusal
        h.backpack.failOrder(3, ExchangeError.VENUE_DOWN); // and the repair's, in the same step
        h.orchestrator.step();

        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.UNHEDGED);
        assertThat(h.positions(BackpackExchange.VENUE)).hasSize(1);
        assertThat(h.alertKinds()).contains("UNHEDGED");
        assertThat(h.backpack.orders()).hasSize(3);

        h.orchestrator.step(); // backoff not elapsed: alert again, no order
        assertThat(h.backpack.orders()).hasSize(3);
        assertThat(h.alertKinds().stream().filter("UNHEDGED"::equals).count()).isGreaterThanOrEqualTo(2);

        h.advance(h.config.closer().retryBase());
        h.orchestrator.step();
        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.ROLLED_BACK);
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.backpack.orders()).hasSize(4);
        assertThat(h.backpack.orders().get(3).reduceOnly()).isTrue();
    }

    @Test
    void trimsThePartiallyFilledPairToEqualLegs() {
        h = new Harness(dir);
        h.hibachiSim.injectOrderFault(SimFault.partial(new BigDecimal("0.5")));
        h.orchestrator.step();

        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        List<Leg> legs = h.legs(pair);
        assertThat(legs.get(0).size()).isEqualByComparingTo(legs.get(1).size());
        assertThat(pair.quantity()).isEqualByComparingTo(legs.get(0).size());
        assertThat(h.store.orders(pair.id())).extracting(OrderRecord::purpose).contains(OrderPurpose.TRIM);
        BigDecimal held = h.positions(BackpackExchange.VENUE).get(0).qty();
        assertThat(held)
                .isEqualByComparingTo(h.positions(HibachiExchange.VENUE).get(0).qty());
        assertThat(held).isEqualByComparingTo(pair.quantity());
    }

    @Test
    void resolvesAnUnknownOutcomeByLookingTheOrderUp() {
        h = new Harness(dir);
        h.backpackSim.injectOrderFault(SimFault.TIMEOUT_AFTER_FILL);
        h.orchestrator.step();

        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(h.backpack.orders()).hasSize(1); // never resent
        assertThat(h.store.orders(pair.id()).get(0).status()).isEqualTo(OrderStatus.FILLED);
        assertThat(h.positions(BackpackExchange.VENUE)).hasSize(1);
    }

    @Test
    void anOrderThatNeverReachedTheVenueCountsAsNotFilled() {
        h = new Harness(dir);
        h.backpackSim.injectOrderFault(SimFault.TIMEOUT_BEFORE_SEND);
        h.orchestrator.step();

        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.ROLLED_BACK);
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();
    }

    @Test
    void waitsForAnUnanswerableLookupAndNeverResends() {
        h = new Harness(dir);
        h.backpackSim.injectOrderFault(SimFault.TIMEOUT_AFTER_FILL);
        h.backpack.failLookups(2); // the lookup after the timeout and the one when settling
        h.orchestrator.step();

        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPENING);
        assertThat(h.alertKinds()).contains("ORDER_UNKNOWN");

        h.advance(h.config.closer().retryBase());
        h.orchestrator.step();
        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.OPEN);
        assertThat(h.backpack.orders()).hasSize(1);
    }

    @Test
    void closesAtExpiryAndRecordsTheFigures() {
        h = new Harness(dir);
        h.orchestrator.step();
        HedgePair pair = h.onlyPair();
        h.advance(Duration.ofMinutes(59));
        h.orchestrator.step();
        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.OPEN);

        h.advance(Duration.ofMinutes(1));
        h.orchestrator.step();
        HedgePair closed = h.store.pair(pair.id()).orElseThrow();
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        assertThat(closed.closeReason()).isEqualTo("EXPIRED");
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();
        // constant prices, no slippage asymmetry between open and close on the same venue:
        // volume = 4 fills; fees = taker rate × volume
        BigDecimal volume = h.store.orders(pair.id()).stream()
                .map(o -> o.filledQty().multiply(o.avgPrice()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(closed.volume()).isEqualByComparingTo(volume);
        assertThat(closed.fees())
                .isEqualByComparingTo(volume.multiply(h.config.sim().takerFeeRate()));
        assertThat(closed.points()).isEqualByComparingTo(volume.movePointLeft(3));
        assertThat(h.legs(closed)).allSatisfy(l -> assertThat(l.status()).isEqualTo(LegStatus.CLOSED));
        assertThat(h.store.orders(pair.id()).stream().filter(o -> o.purpose() == OrderPurpose.CLOSE))
                .hasSize(2)
                .allSatisfy(o -> assertThat(o.status()).isEqualTo(OrderStatus.FILLED));
    }

    @Test
    void retriesACloseLegThatFailedUntilBothAreFlat() {
        h = new Harness(dir);
        h.orchestrator.step();
        HedgePair pair = h.onlyPair();
        h.advance(Duration.ofHours(1));
        h.hibachiSim.injectOrderFault(SimFault.REJECT);
        h.orchestrator.step();

        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.CLOSING);
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE)).hasSize(1);

        h.advance(h.config.closer().retryBase());
        h.orchestrator.step();
        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.CLOSED);
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();
    }

    @Test
    void raisesCloseStuckWhenAClosingLegKeepsFailing() {
        h = new Harness(dir);
        h.orchestrator.step();
        HedgePair pair = h.onlyPair();
        h.advance(Duration.ofHours(1));
        for (int i = 1; i <= 20; i++) {
            h.hibachi.failOrder(1, ExchangeError.VENUE_DOWN);
            h.orchestrator.step();
            h.advance(h.config.closer().retryMax());
        }
        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.CLOSING);
        assertThat(h.alertKinds()).contains("CLOSE_STUCK");
    }

    @Test
    void killSwitchStopsNewPairsButStillClosesOpenOnes() throws Exception {
        h = new Harness(dir);
        h.orchestrator.step();
        HedgePair pair = h.onlyPair();
        Files.createFile(h.config.trading().killSwitchFile());

        h.advance(Duration.ofHours(1));
        h.orchestrator.step();
        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.CLOSED);
        h.advance(Duration.ofMinutes(5));
        h.orchestrator.step();
        assertThat(h.store.pairs(Set.of(PairStatus.values()))).hasSize(1);
        assertThat(h.alertKinds()).contains("KILL_SWITCH");

        Files.delete(h.config.trading().killSwitchFile());
        h.advance(Duration.ofMinutes(10));
        h.orchestrator.step();
        assertThat(h.store.pairs(Set.of(PairStatus.values()))).hasSize(2);
    }

    @Test
    void skipsWithAnAlertWhenCollateralIsShort() {
        h = new Harness(dir);
        h.hibachi.bendAccount(
                a -> new AccountState(a.equity(), new BigDecimal("5"), a.maintenanceMargin(), a.positions()));
        h.orchestrator.step();

        assertThat(h.store.pairs(Set.of(PairStatus.values()))).isEmpty();
        assertThat(h.backpack.orders()).isEmpty();
        assertThat(h.alertKinds()).contains("INSUFFICIENT_COLLATERAL");
    }

    @Test
    void opensAtMostMaxOpenPairsOnDistinctMarkets() {
        h = new Harness(dir, Map.of("APP__TRADING__MARKETS", "BTC,ETH,SOL", "APP__TRADING__MAX_OPEN_PAIRS", "2"));
        for (int i = 0; i < 4; i++) {
            h.orchestrator.step();
            h.advance(Duration.ofMinutes(10));
        }
        List<HedgePair> open = h.store.pairs(Set.of(PairStatus.OPEN));
        assertThat(open).hasSize(2);
        assertThat(open).extracting(HedgePair::asset).doesNotHaveDuplicates();
    }

    @Test
    void anOrderNotFoundAfterATimeoutIsOnlyGivenUpOnceTheVenueCanNoLongerExecuteIt() {
        h = new Harness(dir);
        h.backpack.lateExecution(Duration.ofSeconds(5));
        h.backpack.failOrder(1, ExchangeError.UNKNOWN_OUTCOME); // never reached the venue
        h.orchestrator.step();

        HedgePair pair = h.onlyPair();
        assertThat(pair.status())
                .as("waiting: the venue could still execute it")
                .isEqualTo(PairStatus.OPENING);
        assertThat(h.store.orders(pair.id()).get(0).status()).isEqualTo(OrderStatus.UNKNOWN);
        assertThat(h.positions(HibachiExchange.VENUE))
                .as("the short is not rolled back yet")
                .hasSize(1);

        h.advance(Duration.ofSeconds(5));
        h.orchestrator.step();
        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.ROLLED_BACK);
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();
        assertThat(h.backpack.orders()).as("never resent").hasSize(1);
    }
}
