package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.LegStatus;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fill recorded at the venue's first word (quantity now, price and fee later): the leg holds the
 * quantity at once, and its money figures come out the same as if every fill had arrived whole,
 * in the order the orders were sent, whatever order the prices arrive in.
 */
final class StoreFirstWordTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;

    private Store store;
    private long pairId;

    private int books;

    private void newPair() {
        store = Store.open(dir.resolve("t" + books++ + ".db"));
        pairId = store.createPair(
                new Store.NewPair(
                        "BTC",
                        Mode.SIM,
                        new BigDecimal("2"),
                        new BigDecimal("0.5"),
                        new BigDecimal("30000"),
                        3_600_000L,
                        BackpackExchange.VENUE,
                        "BTC_USDC_PERP",
                        "bp-1",
                        HibachiExchange.VENUE,
                        "BTC/USDT-P",
                        "hb-1"),
                T0);
    }

    private OrderRecord longOpen() {
        return store.orders(pairId).get(0);
    }

    private Leg longLeg() {
        return store.legs(pairId).stream()
                .filter(l -> l.venue() == BackpackExchange.VENUE)
                .findFirst()
                .orElseThrow();
    }

    private static Fill fill(String clientId, OrderSide side, String qty, String price, String fee) {
        return new Fill(
                clientId,
                "v-" + clientId,
                "BTC_USDC_PERP",
                side,
                OrderState.FILLED,
                new BigDecimal(qty),
                price == null ? null : new BigDecimal(price),
                fee == null ? null : new BigDecimal(fee));
    }

    @Test
    void theFirstWordHoldsTheQuantityAndTheMoneyWaitsForThePrice() {
        newPair();
        assertThat(store.recordFirstWord(longOpen().id(), fill("bp-1", OrderSide.BUY, "0.5", null, null), T0))
                .isTrue();

        OrderRecord o = longOpen();
        assertThat(o.status()).isEqualTo(OrderStatus.FILLED);
        assertThat(o.priced()).isFalse();
        assertThat(o.avgPrice()).isNull();
        assertThat(store.unpricedOrders()).extracting(OrderRecord::id).containsExactly(o.id());
        Leg leg = longLeg();
        assertThat(leg.size()).isEqualByComparingTo("0.5");
        assertThat(leg.status()).isEqualTo(LegStatus.OPEN);
        assertThat(leg.entryPrice()).isNull();
        assertThat(leg.fees()).isZero();

        assertThat(store.applyFill(o.id(), fill("bp-1", OrderSide.BUY, "0.5", "60000", "1.5"), T0))
                .isTrue();
        leg = longLeg();
        assertThat(leg.size()).as("counted once").isEqualByComparingTo("0.5");
        assertThat(leg.openedQty()).isEqualByComparingTo("0.5");
        assertThat(leg.entryPrice()).isEqualByComparingTo("60000");
        assertThat(leg.fees()).isEqualByComparingTo("1.5");
        assertThat(longOpen().priced()).isTrue();
        assertThat(store.unpricedOrders()).isEmpty();
        assertThat(store.applyFill(o.id(), fill("bp-1", OrderSide.BUY, "0.5", "60000", "1.5"), T0))
                .as("the same fill is never counted twice")
                .isFalse();
        assertThat(longLeg().fees()).isEqualByComparingTo("1.5");
    }

    @Test
    void aReductionPricedBeforeTheFillItReducesIsAccountedAfterIt() {
        newPair();
        store.recordFirstWord(longOpen().id(), fill("bp-1", OrderSide.BUY, "0.5", null, null), T0);
        OrderRecord rollback = store.recordOrder(longLeg(), OrderPurpose.ROLLBACK, new BigDecimal("0.5"), "bp-2", T0);
        store.applyFill(rollback.id(), fill("bp-2", OrderSide.SELL, "0.5", "60100", "1.2"), T0);

        Leg waiting = longLeg();
        assertThat(waiting.size()).as("the rollback's quantity is held at once").isZero();
        assertThat(waiting.realizedPnl())
                .as("no PnL against an entry not known yet")
                .isZero();
        assertThat(waiting.fees()).isZero();

        store.applyFill(longOpen().id(), fill("bp-1", OrderSide.BUY, "0.5", "60000", "1.5"), T0);

        Leg priced = longLeg();
        // the same two fills arriving whole, in order, in another book
        Store first = store;
        newPair();
        store.applyFill(longOpen().id(), fill("bp-1", OrderSide.BUY, "0.5", "60000", "1.5"), T0);
        OrderRecord whole = store.recordOrder(longLeg(), OrderPurpose.ROLLBACK, new BigDecimal("0.5"), "bp-2", T0);
        store.applyFill(whole.id(), fill("bp-2", OrderSide.SELL, "0.5", "60100", "1.2"), T0);
        Leg inOrder = longLeg();
        store = first;
        Leg leg = priced;
        assertThat(leg.size()).isZero();
        assertThat(leg.status()).isEqualTo(inOrder.status()).isEqualTo(LegStatus.CLOSED);
        assertThat(leg.entryPrice()).isEqualByComparingTo(inOrder.entryPrice());
        assertThat(leg.exitPrice()).isEqualByComparingTo(inOrder.exitPrice());
        assertThat(leg.realizedPnl())
                .isEqualByComparingTo(inOrder.realizedPnl())
                .isEqualByComparingTo("50");
        assertThat(leg.fees()).isEqualByComparingTo(inOrder.fees()).isEqualByComparingTo("2.7");
    }

    @Test
    void aFinalWordThatDiffersFromTheFirstMovesWhatTheLegHolds() {
        newPair();
        store.recordFirstWord(longOpen().id(), fill("bp-1", OrderSide.BUY, "0.5", null, null), T0);
        store.applyFill(
                longOpen().id(),
                new Fill(
                        "bp-1",
                        "v",
                        "BTC_USDC_PERP",
                        OrderSide.BUY,
                        OrderState.PARTIAL,
                        new BigDecimal("0.3"),
                        new BigDecimal("60000"),
                        new BigDecimal("0.9")),
                T0);

        assertThat(longOpen().status()).isEqualTo(OrderStatus.PARTIAL);
        assertThat(longOpen().filledQty()).isEqualByComparingTo("0.3");
        assertThat(longLeg().size()).isEqualByComparingTo("0.3");
        assertThat(longLeg().openedQty()).isEqualByComparingTo("0.3");
    }

    @Test
    void aLookupWithAQuantityButNoPriceLeavesTheFillUnpriced() {
        newPair();
        store.recordFirstWord(longOpen().id(), fill("bp-1", OrderSide.BUY, "0.5", null, null), T0);
        assertThat(store.applyFill(longOpen().id(), fill("bp-1", OrderSide.BUY, "0.5", null, null), T0))
                .isTrue();

        assertThat(longOpen().priced()).isFalse();
        assertThat(longLeg().size()).isEqualByComparingTo("0.5");
        assertThat(longLeg().entryPrice()).isNull();
    }

    @Test
    void aFirstWordOnAnOrderAlreadySettledChangesNothing() {
        newPair();
        store.applyFill(longOpen().id(), fill("bp-1", OrderSide.BUY, "0.5", "60000", "1.5"), T0);

        assertThat(store.recordFirstWord(longOpen().id(), fill("bp-1", OrderSide.BUY, "0.5", null, null), T0))
                .isFalse();
        assertThat(longOpen().priced()).isTrue();
        assertThat(longLeg().size()).isEqualByComparingTo("0.5");
    }
}
