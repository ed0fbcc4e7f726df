package dev.perptrader.exchange;

import dev.perptrader.domain.Side;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * One venue account at one moment.
 *
 * @param equity            total account value including unrealized PnL
 * @param freeCollateral    what new positions may use
 * @param maintenanceMargin what the open positions require before liquidation
 */
public record AccountState(
        BigDecimal equity, BigDecimal freeCollateral, BigDecimal maintenanceMargin, List<Position> positions) {

    public AccountState {
        positions = List.copyOf(positions);
    }

    /** The position on {@code symbol} as a signed quantity: positive long, negative short, zero when none. */
    public BigDecimal signedPosition(String symbol) {
        BigDecimal signed = BigDecimal.ZERO;
        for (Position p : positions) {
            if (p.symbol().equals(symbol)) {
                signed = signed.add(p.side().signed(p.qty()));
            }
        }
        return signed;
    }

    public Optional<Position> position(String symbol) {
        return positions.stream().filter(p -> p.symbol().equals(symbol)).findFirst();
    }

    /** An open position: {@code qty} is unsigned, {@code side} carries the direction. */
    public record Position(
            String symbol,
            Side side,
            BigDecimal qty,
            BigDecimal entryPrice,
            BigDecimal markPrice,
            BigDecimal unrealizedPnl) {}
}
