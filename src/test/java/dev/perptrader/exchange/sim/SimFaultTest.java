package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.BP_ETH;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.assertFails;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static dev.perptrader.exchange.sim.SimOrders.sell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.OrderState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SimFaultTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");
    private SimWorld world;
    private SimVenue bp;
    private SimVenue hb;

    @BeforeEach
    void open() {
        world = SimWorld.open(new SimParams(dir).build(), clock);
        bp = world.venue(BackpackExchange.VENUE);
        hb = world.venue(HibachiExchange.VENUE);
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void timeoutAfterFillExecutesAndTheOrderIsFoundByClientId() {
        OrderRequest request = buy(bp, BP_BTC, "0.01");
        bp.injectOrderFault(SimFault.TIMEOUT_AFTER_FILL);

        assertThatThrownBy(() -> bp.placeMarketOrder(request)).isInstanceOfSatisfying(ExchangeException.class, e -> {
            assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
            assertThat(e.error().mayHaveExecuted()).isTrue();
        });

        Fill found = bp.lookupOrder(BP_BTC, request.clientId()).orElseThrow();
        assertThat(found.state()).isEqualTo(OrderState.FILLED);
        assertThat(found.filledQty()).isEqualByComparingTo("0.01");
        assertThat(found.avgPrice()).isEqualByComparingTo("60030");
        assertThat(bp.account().position(BP_BTC)).isPresent();
        assertThat(bp.orderCount()).isEqualTo(1);
    }

    @Test
    void timeoutBeforeSendExecutesNothingAndLookupIsEmpty() {
        OrderRequest request = buy(bp, BP_BTC, "0.01");
        bp.injectOrderFault(SimFault.TIMEOUT_BEFORE_SEND);

        assertFails(ExchangeError.UNKNOWN_OUTCOME, () -> bp.placeMarketOrder(request));

        assertThat(bp.lookupOrder(BP_BTC, request.clientId())).isEmpty();
        assertThat(bp.account().positions()).isEmpty();
        assertThat(bp.account().equity()).isEqualByComparingTo("10000");
        assertThat(bp.orderCount()).isZero();
    }

    @Test
    void partialFillFillsTheFractionRoundedDownToTheStep() {
        OrderRequest request = sell(hb, HB_BTC, "0.0015");
        hb.injectOrderFault(SimFault.partial(dec("0.5")));

        Fill fill = hb.placeMarketOrder(request);

        assertThat(fill.state()).isEqualTo(OrderState.PARTIAL);
        assertThat(fill.filledQty()).isEqualByComparingTo("0.0007");
        assertThat(fill.fee()).isEqualByComparingTo("0.0209895");
        assertThat(hb.account().position(HB_BTC).orElseThrow().qty()).isEqualByComparingTo("0.0007");
        assertThat(hb.lookupOrder(HB_BTC, request.clientId())).contains(fill);
    }

    @Test
    void refusingFaultsApplyInOrderAndExecuteNothing() {
        bp.injectOrderFault(SimFault.REJECT);
        bp.injectOrderFault(SimFault.INSUFFICIENT_MARGIN);
        bp.injectOrderFault(SimFault.VENUE_DOWN);
        OrderRequest rejected = buy(bp, BP_ETH, "0.1");

        assertFails(ExchangeError.REJECTED, () -> bp.placeMarketOrder(rejected));
        assertFails(ExchangeError.INSUFFICIENT_MARGIN, () -> bp.placeMarketOrder(buy(bp, BP_ETH, "0.1")));
        assertFails(ExchangeError.VENUE_DOWN, () -> bp.placeMarketOrder(buy(bp, BP_ETH, "0.1")));

        assertThat(bp.orderCount()).isZero();
        assertThat(bp.lookupOrder(BP_ETH, rejected.clientId())).isEmpty();
        assertThat(bp.placeMarketOrder(rejected).state()).isEqualTo(OrderState.FILLED);
    }

    @Test
    void faultsStayOnTheirVenue() {
        bp.injectOrderFault(SimFault.REJECT);

        assertThat(hb.placeMarketOrder(buy(hb, HB_BTC, "0.001")).state()).isEqualTo(OrderState.FILLED);
        assertFails(ExchangeError.REJECTED, () -> bp.placeMarketOrder(buy(bp, BP_BTC, "0.001")));
    }

    @Test
    void readFaultsFailTheNextReadOnly() {
        OrderRequest request = buy(hb, HB_BTC, "0.001");
        hb.placeMarketOrder(request);

        hb.injectReadFault(SimReadFault.VENUE_DOWN);
        assertFails(ExchangeError.VENUE_DOWN, () -> hb.quotes(List.of(HB_BTC)));
        assertThat(hb.quotes(List.of(HB_BTC))).containsKey(HB_BTC);

        hb.injectReadFault(SimReadFault.VENUE_DOWN);
        assertFails(ExchangeError.VENUE_DOWN, hb::account);
        assertThat(hb.account().positions()).hasSize(1);

        hb.injectReadFault(SimReadFault.UNKNOWN_OUTCOME);
        assertFails(ExchangeError.UNKNOWN_OUTCOME, () -> hb.lookupOrder(HB_BTC, request.clientId()));
        assertThat(hb.lookupOrder(HB_BTC, request.clientId())).isPresent();
    }
}
