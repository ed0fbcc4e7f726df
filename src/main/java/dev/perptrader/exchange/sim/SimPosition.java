package dev.perptrader.exchange.sim;

import dev.perptrader.domain.Pnl;
import dev.perptrader.domain.Side;
import java.math.BigDecimal;
import java.util.Objects;

/** One open simulated position: {@code qty} is signed (positive = long) and never zero. */
record SimPosition(String symbol, BigDecimal qty, BigDecimal entryPrice) {

    SimPosition {
        Objects.requireNonNull(symbol, "symbol");
        if (qty.signum() == 0) {
            throw new IllegalArgumentException("qty == 0 for " + symbol);
        }
        if (entryPrice.signum() <= 0) {
            throw new IllegalArgumentException("entryPrice <= 0: " + entryPrice);
        }
    }

    Side side() {
        return qty.signum() > 0 ? Side.LONG : Side.SHORT;
    }

    BigDecimal size() {
        return qty.abs();
    }

    BigDecimal unrealizedPnl(BigDecimal mark) {
        return Pnl.unrealized(side(), size(), entryPrice, mark);
    }
}
