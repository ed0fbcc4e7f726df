package dev.perptrader.crash;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perptrader.domain.OrderSide;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One venue account as the venue itself keeps it: a one-way position per symbol and every order
 * it received and acted on, oldest first. A market order fills at once at the given price; a
 * reduce-only order fills only what reduces the position (nothing when there is nothing to
 * reduce). Thread-safe; the venue's HTTP threads share one instance.
 */
final class Ledger {
    /** Taker fee as a fraction of notional. */
    static final BigDecimal FEE_RATE = new BigDecimal("0.0004");

    /** One order the venue acted on; {@code filled} is zero when a reduce-only order found nothing to reduce. */
    record Execution(
            long seq,
            String orderId,
            String clientId,
            String symbol,
            OrderSide side,
            BigDecimal qty,
            boolean reduceOnly,
            BigDecimal filled,
            BigDecimal price,
            BigDecimal fee,
            long atMs) {
        boolean executed() {
            return filled.signum() > 0;
        }

        BigDecimal quote() {
            return filled.multiply(price);
        }
    }

    private record Position(BigDecimal qty, BigDecimal entry) {}

    private final long firstOrderId;
    private final List<Execution> executions = new ArrayList<>();
    private final Map<String, Position> positions = new TreeMap<>();

    /** Order ids are {@code firstOrderId}, {@code firstOrderId + 1}, … */
    Ledger(long firstOrderId) {
        this.firstOrderId = firstOrderId;
    }

    /** Acts on a market order now and keeps it in the order history. */
    synchronized Execution execute(
            String clientId,
            String symbol,
            OrderSide side,
            BigDecimal qty,
            boolean reduceOnly,
            BigDecimal price,
            long nowMs) {
        if (qty.signum() <= 0) {
            throw new IllegalArgumentException("qty <= 0: " + qty);
        }
        BigDecimal sign = side == OrderSide.BUY ? BigDecimal.ONE : BigDecimal.ONE.negate();
        Position before = positions.getOrDefault(symbol, new Position(BigDecimal.ZERO, BigDecimal.ZERO));
        BigDecimal filled = qty;
        if (reduceOnly) {
            boolean reduces = before.qty().signum() != 0 && before.qty().signum() != sign.signum();
            filled = reduces ? qty.min(before.qty().abs()) : BigDecimal.ZERO;
        }
        BigDecimal fee = filled.multiply(price).multiply(FEE_RATE).setScale(6, RoundingMode.HALF_UP);
        Execution e = new Execution(
                executions.size() + 1,
                Long.toString(firstOrderId + executions.size()),
                clientId,
                symbol,
                side,
                qty,
                reduceOnly,
                filled,
                price,
                fee,
                nowMs);
        executions.add(e);
        if (e.executed()) {
            positions.put(symbol, moved(before, sign.multiply(filled), price));
        }
        return e;
    }

    private static Position moved(Position p, BigDecimal delta, BigDecimal price) {
        BigDecimal after = p.qty().add(delta);
        if (after.signum() == 0) {
            return new Position(BigDecimal.ZERO, BigDecimal.ZERO);
        }
        if (p.qty().signum() == 0 || p.qty().signum() != after.signum()) {
            return new Position(after, price);
        }
        if (p.qty().abs().compareTo(after.abs()) > 0) {
            return new Position(after, p.entry());
        }
        BigDecimal entry =
                p.qty().multiply(p.entry()).add(delta.multiply(price)).divide(after, 10, RoundingMode.HALF_EVEN);
        return new Position(after, entry);
    }

    synchronized Optional<Execution> byClientId(String clientId) {
        return executions.stream().filter(e -> e.clientId().equals(clientId)).findFirst();
    }

    synchronized Optional<Execution> byOrderId(String orderId) {
        return executions.stream().filter(e -> e.orderId().equals(orderId)).findFirst();
    }

    /** Every order acted on, oldest first. */
    synchronized List<Execution> executions() {
        return List.copyOf(executions);
    }

    /** Signed quantity held per symbol (long positive), flat symbols left out. */
    synchronized Map<String, BigDecimal> positions() {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        positions.forEach((s, p) -> {
            if (p.qty().signum() != 0) {
                out.put(s, p.qty());
            }
        });
        return out;
    }

    /** Average entry price of the position in {@code symbol}; zero when flat. */
    synchronized BigDecimal entry(String symbol) {
        return positions
                .getOrDefault(symbol, new Position(BigDecimal.ZERO, BigDecimal.ZERO))
                .entry();
    }

    /** What {@code GET /__crash/executed} answers: every order acted on, oldest first. */
    ArrayNode executionsJson(ObjectMapper json) {
        ArrayNode out = json.createArrayNode();
        for (Execution e : executions()) {
            ObjectNode o = out.addObject();
            o.put("clientId", e.clientId());
            o.put("orderId", e.orderId());
            o.put("symbol", e.symbol());
            o.put("side", e.side().name());
            o.put("qty", e.qty().toPlainString());
            o.put("reduceOnly", e.reduceOnly());
            o.put("filled", e.filled().toPlainString());
            o.put("atMs", e.atMs());
        }
        return out;
    }

    /** What {@code GET /__crash/positions} answers: signed quantity per symbol. */
    ObjectNode positionsJson(ObjectMapper json) {
        ObjectNode out = json.createObjectNode();
        positions().forEach((s, q) -> out.put(s, q.toPlainString()));
        return out;
    }
}
