package dev.perptrader.bench;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.store.Store;
import java.util.List;
import java.util.function.Predicate;

/**
 * One pair's figures, read from the venues' request log and the trader's database: which
 * requests were the pair's orders is known from the client ids the trader stored before sending.
 */
final class Figures {
    /** A stored time is whole milliseconds: a reply up to this much after it still came before it. */
    private static final long STORED_TIME_SLACK_NANOS = 1_000_000;

    private Figures() {}

    /**
     * An opened pair: first order arrives → last reply before OPEN, → the recorded opened_at,
     * the skew between the two orders' arrivals, and each venue's requests in that span.
     */
    record OpenSample(
            long pairId,
            double atVenuesMs,
            double untilOpenMs,
            double skewMs,
            int requestsBackpack,
            int requestsHibachi) {}

    /** A rolled-back pair: good leg's reply → rollback arrives, refused leg's reply → rollback arrives. */
    record RollbackSample(long pairId, Venue refused, double nakedWindowMs, double afterRejectionMs) {}

    static OpenSample open(Store store, RequestLog log, BenchClock clock, long pairId) {
        HedgePair pair = store.pair(pairId).orElseThrow();
        if (pair.openedAt() == null) {
            throw new IllegalStateException("pair " + pairId + " is " + pair.status() + ", not opened");
        }
        List<OrderRecord> opening = store.orders(pairId).stream()
                .filter(o -> o.purpose() == OrderPurpose.OPEN)
                .toList();
        RequestLog.Entry longOrder = arrival(log, opening, OrderSide.BUY, pairId);
        RequestLog.Entry shortOrder = arrival(log, opening, OrderSide.SELL, pairId);
        long first = Math.min(longOrder.acceptedNanos(), shortOrder.acceptedNanos());
        long opened = clock.toNanos(pair.openedAt());
        long bound = opened + STORED_TIME_SLACK_NANOS;
        List<RequestLog.Entry> span = log.acceptedBetween(first, bound).stream()
                .filter(e -> bound - e.repliedNanos() >= 0)
                .toList();
        long lastReply =
                span.stream().mapToLong(RequestLog.Entry::repliedNanos).max().orElse(first);
        int backpack = (int)
                span.stream().filter(e -> e.venue() == BackpackExchange.VENUE).count();
        int hibachi = (int)
                span.stream().filter(e -> e.venue() == HibachiExchange.VENUE).count();
        return new OpenSample(
                pairId,
                Stats.millis(lastReply - first),
                Stats.millis(Math.max(opened, lastReply) - first),
                Stats.millis(Math.abs(longOrder.acceptedNanos() - shortOrder.acceptedNanos())),
                backpack,
                hibachi);
    }

    static RollbackSample rollback(Store store, RequestLog log, long pairId) {
        List<OrderRecord> orders = store.orders(pairId);
        OrderRecord refused = only(
                orders,
                o -> o.purpose() == OrderPurpose.OPEN && o.status() == OrderStatus.REJECTED,
                "refused opening order",
                pairId);
        OrderRecord good = only(
                orders,
                o -> o.purpose() == OrderPurpose.OPEN && o.status() != OrderStatus.REJECTED,
                "filled opening order",
                pairId);
        OrderRecord rollback = orders.stream()
                .filter(o -> o.purpose() == OrderPurpose.ROLLBACK)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("pair " + pairId + " has no rollback order"));
        RequestLog.Entry refusedReply = logged(log, refused, pairId);
        RequestLog.Entry goodReply = fillTold(log, logged(log, good, pairId));
        RequestLog.Entry rollbackArrival = logged(log, rollback, pairId);
        return new RollbackSample(
                pairId,
                refused.venue(),
                Stats.millis(rollbackArrival.acceptedNanos() - goodReply.repliedNanos()),
                Stats.millis(rollbackArrival.acceptedNanos() - refusedReply.repliedNanos()));
    }

    /**
     * The reply that told the trader {@code order} filled: Backpack's order reply carries the
     * fill; Hibachi's holds only an order id, so it is the status read that follows.
     */
    private static RequestLog.Entry fillTold(RequestLog log, RequestLog.Entry order) {
        if (order.venue() != HibachiExchange.VENUE) {
            return order;
        }
        return log.entries().stream()
                .filter(e -> e.venue() == HibachiExchange.VENUE
                        && e.method().equals("GET")
                        && e.path().equals("/trade/order")
                        && e.acceptedNanos() - order.repliedNanos() >= 0)
                .findFirst()
                .orElse(order);
    }

    private static RequestLog.Entry arrival(RequestLog log, List<OrderRecord> opening, OrderSide side, long pairId) {
        OrderRecord o = only(opening, r -> r.side() == side, side + " opening order", pairId);
        return logged(log, o, pairId);
    }

    private static OrderRecord only(List<OrderRecord> orders, Predicate<OrderRecord> match, String what, long pairId) {
        List<OrderRecord> found = orders.stream().filter(match).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("pair " + pairId + " has " + found.size() + " " + what + "s, expected 1");
        }
        return found.get(0);
    }

    private static RequestLog.Entry logged(RequestLog log, OrderRecord o, long pairId) {
        return log.order(o.venue(), o.clientId())
                .orElseThrow(() -> new IllegalStateException("pair " + pairId + ": order " + o.clientId()
                        + " never reached " + o.venue().configName()));
    }
}
