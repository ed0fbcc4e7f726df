package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.sim.SimReadFault;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process that died mid-open or mid-close: the next start finishes the job from the database. */
final class RecoveryTest {
    private static final BigDecimal QTY = new BigDecimal("0.005");

    @TempDir
    Path dir;

    private Harness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    /** Records an OPENING pair as HedgeManager would, then "sends" only the chosen legs and dies. */
    private long crashMidOpen(boolean longSent, boolean shortSent) {
        String longCid = h.backpack.newClientId();
        String shortCid = h.hibachi.newClientId();
        long id = h.store.createPair(
                new Store.NewPair(
                        "BTC",
                        Mode.SIM,
                        new BigDecimal("2"),
                        QTY,
                        QTY.multiply(new BigDecimal("60000")),
                        3_600_000L,
                        BackpackExchange.VENUE,
                        "BTC_USDC_PERP",
                        longCid,
                        HibachiExchange.VENUE,
                        "BTC/USDT-P",
                        shortCid),
                h.clock.instant());
        if (longSent) {
            h.backpackSim.placeMarketOrder(new OrderRequest("BTC_USDC_PERP", OrderSide.BUY, QTY, false, longCid));
        }
        if (shortSent) {
            h.hibachiSim.placeMarketOrder(new OrderRequest("BTC/USDT-P", OrderSide.SELL, QTY, false, shortCid));
        }
        h.restart();
        return id;
    }

    @Test
    void aPairLeftOpeningWithBothLegsFilledBecomesOpen() {
        h = new Harness(dir);
        long id = crashMidOpen(true, true);
        h.orchestrator.recover();

        HedgePair pair = h.store.pair(id).orElseThrow();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(h.store.orders(id)).allSatisfy(o -> assertThat(o.status()).isEqualTo(OrderStatus.FILLED));
        assertThat(h.legs(pair)).allSatisfy(l -> assertThat(l.size()).isEqualByComparingTo(QTY));
        assertThat(h.backpack.orders()).as("nothing resent").isEmpty();
        assertThat(h.hibachi.orders()).isEmpty();
    }

    @Test
    void aPairLeftOpeningWithOneLegFilledIsRolledBack() {
        h = new Harness(dir);
        long id = crashMidOpen(true, false);
        h.orchestrator.recover();

        HedgePair pair = h.store.pair(id).orElseThrow();
        assertThat(pair.status()).isEqualTo(PairStatus.ROLLED_BACK);
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();
        assertThat(h.hibachi.orders()).as("the short is never sent late").isEmpty();
        assertThat(h.backpack.orders())
                .singleElement()
                .satisfies(o -> assertThat(o.reduceOnly()).isTrue());
    }

    @Test
    void aPairLeftClosingFinishesClosingWithoutDoublingTheSentLeg() {
        h = new Harness(dir);
        h.orchestrator.step();
        HedgePair pair = h.onlyPair();
        List<Leg> legs = h.legs(pair);
        h.advance(Duration.ofHours(1));
        // the dying process committed CLOSING and both close orders, and sent only the long's
        h.store.markClosing(pair.id(), PairStatus.OPEN, "EXPIRED", h.clock.instant());
        OrderRecord longClose = h.store.recordOrder(
                legs.get(0), OrderPurpose.CLOSE, legs.get(0).size(), h.backpack.newClientId(), h.clock.instant());
        h.store.recordOrder(
                legs.get(1), OrderPurpose.CLOSE, legs.get(1).size(), h.hibachi.newClientId(), h.clock.instant());
        h.backpackSim.placeMarketOrder(
                new OrderRequest(longClose.symbol(), longClose.side(), longClose.qty(), true, longClose.clientId()));
        h.restart();
        h.orchestrator.recover();

        HedgePair closed = h.store.pair(pair.id()).orElseThrow();
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();
        assertThat(h.backpack.orders())
                .as("the long's close was found, not resent")
                .isEmpty();
        assertThat(h.hibachi.orders()).hasSize(1);
        List<OrderRecord> orders = h.store.orders(pair.id());
        assertThat(orders).extracting(OrderRecord::clientId).doesNotHaveDuplicates();
        assertThat(orders)
                .filteredOn(o -> o.purpose() == OrderPurpose.CLOSE)
                .extracting(OrderRecord::status)
                .containsExactly(OrderStatus.FILLED, OrderStatus.REJECTED, OrderStatus.FILLED);
        assertThat(closed.realizedPnl()).isNotNull();
    }

    @Test
    void nothingNewOpensWhileAPairIsLeftMidWay() {
        h = new Harness(dir);
        long id = crashMidOpen(true, false);
        h.backpackSim.injectReadFault(SimReadFault.UNKNOWN_OUTCOME); // lookup fails
        h.orchestrator.step();

        assertThat(h.store.pair(id).orElseThrow().status()).isEqualTo(PairStatus.OPENING);
        assertThat(h.store.pairs(PairStatus.active())).hasSize(1);
        assertThat(h.hibachi.orders()).isEmpty();
    }
}
