package dev.perptrader.exchange.sim;

import dev.perptrader.domain.Money;
import dev.perptrader.domain.Pnl;
import dev.perptrader.exchange.AccountState;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One venue account's money: cash balance and open positions (one-way, netted per symbol).
 * Immutable: every change returns a new book, so an order can be tried before it is accepted.
 */
record SimBook(BigDecimal balance, SortedMap<String, SimPosition> positions) {

    SimBook {
        positions = Collections.unmodifiableSortedMap(new TreeMap<>(positions));
    }

    static SimBook of(BigDecimal balance) {
        return new SimBook(balance, new TreeMap<>());
    }

    Optional<SimPosition> position(String symbol) {
        return Optional.ofNullable(positions.get(symbol));
    }

    /** Adds {@code amount} to the balance (negative = debit). */
    SimBook credit(BigDecimal amount) {
        return new SimBook(balance.add(amount), positions);
    }

    SimBook withPosition(SimPosition position) {
        SortedMap<String, SimPosition> next = new TreeMap<>(positions);
        next.put(position.symbol(), position);
        return new SimBook(balance, next);
    }

    SimBook without(String symbol) {
        SortedMap<String, SimPosition> next = new TreeMap<>(positions);
        next.remove(symbol);
        return new SimBook(balance, next);
    }

    /**
     * Executes {@code signedQty} (positive = buy) at {@code price} and pays {@code fee}.
     * Increasing a position averages the entry; reducing realizes PnL into the balance; going
     * through zero flips the position with the fill price as entry.
     */
    Trade trade(String symbol, BigDecimal signedQty, BigDecimal price, BigDecimal fee) {
        if (signedQty.signum() == 0) {
            return new Trade(credit(fee.negate()), BigDecimal.ZERO);
        }
        SimPosition current = positions.get(symbol);
        if (current == null) {
            SimBook opened = withPosition(new SimPosition(symbol, signedQty, price));
            return new Trade(opened.credit(fee.negate()), BigDecimal.ZERO);
        }
        BigDecimal qty = current.qty();
        BigDecimal nextQty = qty.add(signedQty);
        if (qty.signum() == signedQty.signum()) {
            BigDecimal entry = Pnl.vwap(qty.abs(), current.entryPrice(), signedQty.abs(), price);
            SimBook grown = withPosition(new SimPosition(symbol, nextQty, entry));
            return new Trade(grown.credit(fee.negate()), BigDecimal.ZERO);
        }
        BigDecimal closed = qty.abs().min(signedQty.abs());
        BigDecimal realized = Pnl.unrealized(current.side(), closed, current.entryPrice(), price);
        SimBook after;
        if (nextQty.signum() == 0) {
            after = without(symbol);
        } else if (nextQty.signum() == qty.signum()) {
            after = withPosition(new SimPosition(symbol, nextQty, current.entryPrice()));
        } else {
            after = withPosition(new SimPosition(symbol, nextQty, price));
        }
        return new Trade(after.credit(realized.subtract(fee)), realized);
    }

    /**
     * Values the book at the given marks.
     *
     * @param markOf          mark price of a symbol
     * @param leverageOf      leverage of a symbol (initial margin = notional / leverage)
     * @param maintenanceRate maintenance margin as a fraction of notional
     */
    Valuation value(
            Function<String, BigDecimal> markOf, Function<String, BigDecimal> leverageOf, BigDecimal maintenanceRate) {
        BigDecimal equity = balance;
        BigDecimal maintenance = BigDecimal.ZERO;
        List<Margin> margins = new ArrayList<>(positions.size());
        List<AccountState.Position> out = new ArrayList<>();
        for (SimPosition p : positions.values()) {
            BigDecimal mark = markOf.apply(p.symbol());
            BigDecimal upnl = p.unrealizedPnl(mark);
            BigDecimal notional = p.size().multiply(mark);
            equity = equity.add(upnl);
            maintenance = maintenance.add(notional.multiply(maintenanceRate));
            margins.add(new Margin(notional, leverageOf.apply(p.symbol())));
            out.add(new AccountState.Position(p.symbol(), p.side(), p.size(), p.entryPrice(), mark, upnl));
        }
        return new Valuation(equity, maintenance, margins, out);
    }

    /**
     * {@link #value}'s {@link Valuation#belowMaintenance}, without the initial margin and the
     * positions it does not need (the liquidation check runs at every market step).
     */
    boolean belowMaintenance(Function<String, BigDecimal> markOf, BigDecimal maintenanceRate) {
        BigDecimal equity = balance;
        BigDecimal maintenance = BigDecimal.ZERO;
        for (SimPosition p : positions.values()) {
            BigDecimal mark = markOf.apply(p.symbol());
            equity = equity.add(p.unrealizedPnl(mark));
            maintenance = maintenance.add(p.size().multiply(mark).multiply(maintenanceRate));
        }
        return !positions.isEmpty() && equity.compareTo(maintenance) < 0;
    }

    /** The result of {@link #trade}: the new book and the PnL the trade realized. */
    record Trade(SimBook book, BigDecimal realizedPnl) {}

    /** A position's notional at the mark and its leverage: its initial margin is their quotient. */
    record Margin(BigDecimal notional, BigDecimal leverage) {}

    /**
     * A book valued at marks. {@link #excess} may be negative; free collateral is not. The
     * initial margin (a division per position) is worked out only when asked: the monitor reads
     * every account at every tick and never asks for it.
     */
    record Valuation(
            BigDecimal equity, BigDecimal maintenance, List<Margin> margins, List<AccountState.Position> positions) {

        Valuation {
            margins = List.copyOf(margins);
            positions = List.copyOf(positions);
        }

        /** Σ notional / leverage over the positions, in book order. */
        BigDecimal initialMargin() {
            BigDecimal initial = BigDecimal.ZERO;
            for (Margin m : margins) {
                initial = initial.add(Money.divide(m.notional(), m.leverage()));
            }
            return initial;
        }

        BigDecimal excess() {
            return equity.subtract(initialMargin());
        }

        boolean belowMaintenance() {
            return !positions.isEmpty() && equity.compareTo(maintenance) < 0;
        }

        AccountState toAccountState() {
            return AccountState.onDemand(equity, () -> excess().max(BigDecimal.ZERO), maintenance, positions);
        }
    }
}
