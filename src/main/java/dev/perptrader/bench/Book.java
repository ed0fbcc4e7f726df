package dev.perptrader.bench;

import dev.perptrader.domain.Money;
import dev.perptrader.domain.OrderSide;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One local venue's account: its positions (net per symbol, one-way mode), every market order it
 * executed (by client id and by order id), and its balance (starting balance − fees + realized
 * PnL). A market order fills in full at the price given; a reduce-only order fills only what
 * reduces the position (nothing when there is none). Thread-safe.
 */
final class Book {

    /** A market order as the venue executed it; {@code filled} may be less than {@code qty} (reduce-only). */
    record Execution(
            long seq,
            String orderId,
            String clientId,
            String symbol,
            OrderSide side,
            BigDecimal qty,
            BigDecimal filled,
            BigDecimal price,
            BigDecimal fee,
            boolean reduceOnly,
            long atMillis) {
        boolean executed() {
            return filled.signum() > 0;
        }

        boolean complete() {
            return filled.compareTo(qty) == 0;
        }

        BigDecimal quote() {
            return filled.multiply(price);
        }
    }

    /** A net position: {@code qty} signed (positive = long), {@code entry} its average price. */
    record Holding(BigDecimal qty, BigDecimal entry) {}

    private final BigDecimal feeRate;
    private final long firstOrderId;
    private final Map<String, Holding> holdings = new TreeMap<>();
    private final List<Execution> executions = new ArrayList<>();
    private final Map<String, Execution> byClientId = new HashMap<>();
    private final Map<String, Execution> byOrderId = new HashMap<>();
    private BigDecimal balance;

    Book(BigDecimal startingBalance, BigDecimal feeRate, long firstOrderId) {
        this.balance = startingBalance;
        this.feeRate = feeRate;
        this.firstOrderId = firstOrderId;
    }

    /**
     * Executes a market order at {@code price}; empty (and nothing done) if {@code clientId} was
     * used before.
     */
    synchronized Optional<Execution> execute(
            String clientId,
            String symbol,
            OrderSide side,
            BigDecimal qty,
            boolean reduceOnly,
            BigDecimal price,
            long atMillis) {
        if (qty.signum() <= 0) {
            throw new IllegalArgumentException("qty <= 0: " + qty.toPlainString());
        }
        if (byClientId.containsKey(clientId)) {
            return Optional.empty();
        }
        Holding held = holdings.getOrDefault(symbol, new Holding(BigDecimal.ZERO, BigDecimal.ZERO));
        BigDecimal signed = side == OrderSide.BUY ? qty : qty.negate();
        if (reduceOnly) {
            boolean reduces = held.qty().signum() != 0 && held.qty().signum() != signed.signum();
            BigDecimal filled = reduces ? qty.min(held.qty().abs()) : BigDecimal.ZERO;
            signed = side == OrderSide.BUY ? filled : filled.negate();
        }
        BigDecimal filled = signed.abs();
        BigDecimal fee = filled.multiply(price).multiply(feeRate);
        if (filled.signum() > 0) {
            holdings.put(symbol, trade(held, signed, price));
            balance = balance.subtract(fee);
            if (holdings.get(symbol).qty().signum() == 0) {
                holdings.remove(symbol);
            }
        }
        long seq = executions.size() + 1;
        Execution e = new Execution(
                seq,
                Long.toString(firstOrderId + seq),
                clientId,
                symbol,
                side,
                qty,
                filled,
                price,
                fee,
                reduceOnly,
                atMillis);
        executions.add(e);
        byClientId.put(clientId, e);
        byOrderId.put(e.orderId(), e);
        return Optional.of(e);
    }

    /** The holding after trading {@code signed} at {@code price}; realized PnL goes to the balance. */
    private Holding trade(Holding held, BigDecimal signed, BigDecimal price) {
        BigDecimal q = held.qty();
        if (q.signum() == 0 || q.signum() == signed.signum()) {
            BigDecimal total = q.add(signed);
            BigDecimal entry =
                    Money.divide(q.abs().multiply(held.entry()).add(signed.abs().multiply(price)), total.abs());
            return new Holding(total, entry);
        }
        BigDecimal closing = signed.abs().min(q.abs());
        balance = balance.add(closing.multiply(price.subtract(held.entry())).multiply(BigDecimal.valueOf(q.signum())));
        BigDecimal total = q.add(signed);
        if (total.signum() == 0) {
            return new Holding(BigDecimal.ZERO, BigDecimal.ZERO);
        }
        return new Holding(total, total.signum() == q.signum() ? held.entry() : price);
    }

    synchronized Optional<Execution> byClientId(String clientId) {
        return Optional.ofNullable(byClientId.get(clientId));
    }

    synchronized Optional<Execution> byOrderId(String orderId) {
        return Optional.ofNullable(byOrderId.get(orderId));
    }

    /** Every execution, oldest first. */
    synchronized List<Execution> executions() {
        return List.copyOf(executions);
    }

    /** Open positions by symbol. */
    synchronized Map<String, Holding> holdings() {
        return Map.copyOf(holdings);
    }

    /** Starting balance − fees + realized PnL. */
    synchronized BigDecimal balance() {
        return balance;
    }
}
