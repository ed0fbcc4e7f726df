package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.BP_SOL;
import static dev.perptrader.exchange.sim.SimOrders.assertFails;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.OrderState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PreparedOrder;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.testutil.MutableClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default prepared order (the sim and paper venues): nothing ahead, placed when sent, once. */
final class SimPreparedOrderTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");
    private SimWorld world;
    private SimVenue bp;

    @BeforeEach
    void open() {
        world = SimWorld.open(new SimParams(dir).build(), clock);
        bp = world.venue(BackpackExchange.VENUE);
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void aPreparedOrderTradesNothingUntilSentAndThenOnlyOnce() {
        OrderRequest request = buy(bp, BP_BTC, "0.01");

        PreparedOrder order = bp.prepareMarketOrder(request);
        assertThat(bp.orderCount()).isZero();
        assertThat(bp.account().position(BP_BTC)).isEmpty();
        List<Fill> seen = new ArrayList<>();
        Fill fill = order.send(seen::add);

        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.clientId()).isEqualTo(request.clientId());
        assertThat(seen).containsExactly(fill);
        assertThatThrownBy(order::send).isInstanceOf(IllegalStateException.class);
        assertThat(bp.orderCount()).isEqualTo(1);
        assertThat(bp.account().position(BP_BTC).orElseThrow().qty()).isEqualByComparingTo("0.01");
    }

    @Test
    void anOrderTheVenueRefusesIsRefusedWhenSent() {
        PreparedOrder order = bp.prepareMarketOrder(buy(bp, BP_SOL, "0.015"));

        assertFails(ExchangeError.BELOW_MINIMUM, order::send);
        assertThatThrownBy(order::send).isInstanceOf(IllegalStateException.class);
    }
}
