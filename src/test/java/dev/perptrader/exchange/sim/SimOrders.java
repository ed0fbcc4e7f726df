package dev.perptrader.exchange.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import java.math.BigDecimal;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Order shorthands for the sim tests. */
final class SimOrders {
    static final String BP_BTC = "BTC_USDC_PERP";
    static final String BP_ETH = "ETH_USDC_PERP";
    static final String BP_SOL = "SOL_USDC_PERP";
    static final String HB_BTC = "BTC/USDT-P";
    static final String HB_ETH = "ETH/USDT-P";
    static final String HB_SOL = "SOL/USDT-P";

    private SimOrders() {}

    static OrderRequest buy(PerpExchange venue, String symbol, String qty) {
        return new OrderRequest(symbol, OrderSide.BUY, dec(qty), false, venue.newClientId());
    }

    static OrderRequest sell(PerpExchange venue, String symbol, String qty) {
        return new OrderRequest(symbol, OrderSide.SELL, dec(qty), false, venue.newClientId());
    }

    static OrderRequest reduce(PerpExchange venue, String symbol, OrderSide side, String qty) {
        return new OrderRequest(symbol, side, dec(qty), true, venue.newClientId());
    }

    static BigDecimal dec(String text) {
        return new BigDecimal(text);
    }

    static void assertFails(ExchangeError error, ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        ExchangeException.class, e -> assertThat(e.error()).isEqualTo(error));
    }
}
