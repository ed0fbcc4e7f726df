package dev.perptrader.exchange;

import dev.perptrader.domain.Side;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One venue account at one moment: its equity (total account value including unrealized PnL), its
 * free collateral (what new positions may use) and the maintenance margin its open positions
 * require before liquidation, and those positions. A value: equal when every figure is.
 *
 * <p>A class rather than a record only so a venue that works its free collateral out (the sim
 * venues: a division per position) may leave that to the first read of it ({@link #onDemand}):
 * the monitor reads every account at every tick and never asks for it.
 */
public final class AccountState {
    private final BigDecimal equity;
    private final BigDecimal maintenanceMargin;
    private final List<Position> positions;
    /** Works the free collateral out once, at the first read; null once it has. */
    private Supplier<BigDecimal> freeSource;

    private BigDecimal freeCollateral;

    public AccountState(
            BigDecimal equity, BigDecimal freeCollateral, BigDecimal maintenanceMargin, List<Position> positions) {
        this(equity, maintenanceMargin, positions, null, freeCollateral);
    }

    private AccountState(
            BigDecimal equity,
            BigDecimal maintenanceMargin,
            List<Position> positions,
            Supplier<BigDecimal> freeSource,
            BigDecimal freeCollateral) {
        this.equity = equity;
        this.maintenanceMargin = maintenanceMargin;
        this.positions = List.copyOf(positions);
        this.freeSource = freeSource;
        this.freeCollateral = freeCollateral;
    }

    /**
     * An account whose free collateral {@code free} works out when it is first read, from values
     * it captured when the account was read (never from anything that changes after).
     */
    public static AccountState onDemand(
            BigDecimal equity, Supplier<BigDecimal> free, BigDecimal maintenanceMargin, List<Position> positions) {
        return new AccountState(equity, maintenanceMargin, positions, Objects.requireNonNull(free, "free"), null);
    }

    public BigDecimal equity() {
        return equity;
    }

    public synchronized BigDecimal freeCollateral() {
        if (freeSource != null) {
            freeCollateral = freeSource.get();
            freeSource = null;
        }
        return freeCollateral;
    }

    public BigDecimal maintenanceMargin() {
        return maintenanceMargin;
    }

    public List<Position> positions() {
        return positions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccountState a
                && Objects.equals(equity, a.equity)
                && Objects.equals(freeCollateral(), a.freeCollateral())
                && Objects.equals(maintenanceMargin, a.maintenanceMargin)
                && positions.equals(a.positions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(equity, freeCollateral(), maintenanceMargin, positions);
    }

    @Override
    public String toString() {
        return "AccountState[equity=" + equity + ", freeCollateral=" + freeCollateral() + ", maintenanceMargin="
                + maintenanceMargin + ", positions=" + positions + "]";
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
