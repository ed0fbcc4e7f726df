package dev.perptrader.trader;

import dev.perptrader.domain.Leg;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.domain.Fill;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Optional;

/**
 * Sends orders the safe way: the order row (with its client id) is committed first, the answer
 * is recorded after, and an unknown outcome is resolved by looking the client id up, never by
 * sending again.
 */
final class OrderExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(OrderExecutor.class);

    private final Store store;
    private final Venues venues;
    private final Clock clock;

    OrderExecutor(Store store, Venues venues, Clock clock) {
        this.store = store;
        this.venues = venues;
        this.clock = clock;
    }

    /** Records and sends a reduce-only order for {@code leg}. Returns the order as stored after. */
    OrderRecord reduce(Leg leg, OrderPurpose purpose, BigDecimal qty) {
        PerpExchange ex = venues.get(leg.venue());
        OrderRecord o = store.recordOrder(leg, purpose, qty, ex.newClientId(), clock.instant());
        return send(o);
    }

    /** Sends an order already recorded as PENDING. Returns it as stored after the attempt. */
    OrderRecord send(OrderRecord o) {
        PerpExchange ex = venues.get(o.venue());
        LOG.info("order {} {} {} {} {}{} (client id {})", o.purpose(), o.venue().configName(), o.side(),
                o.qty().toPlainString(), o.symbol(), o.purpose().reduceOnly() ? " reduce-only" : "", o.clientId());
        try {
            Fill fill = ex.placeMarketOrder(new OrderRequest(o.symbol(), o.side(), o.qty(),
                    o.purpose().reduceOnly(), o.clientId()));
            store.applyFill(o.id(), fill, clock.instant());
            LOG.info("order {} {} {}: {} {} @ {} fee {}", o.purpose(), o.venue().configName(), o.clientId(),
                    fill.state(), fill.filledQty().toPlainString(), plain(fill.avgPrice()), plain(fill.fee()));
        } catch (ExchangeException e) {
            if (e.error().mayHaveExecuted()) {
                LOG.warn("order {} outcome unknown ({}); looking it up", o.clientId(), e.getMessage());
                store.markOrder(o.id(), OrderStatus.UNKNOWN, e.getMessage(), clock.instant());
                return resolve(reload(o));
            }
            LOG.warn("order {} {} {} rejected: {}", o.purpose(), o.venue().configName(), o.clientId(), e.getMessage());
            store.markOrder(o.id(), OrderStatus.REJECTED, e.getMessage(), clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("order {} failed unexpectedly ({}); looking it up", o.clientId(), e.toString());
            store.markOrder(o.id(), OrderStatus.UNKNOWN, e.toString(), clock.instant());
            return resolve(reload(o));
        }
        return reload(o);
    }

    /**
     * Settles an order left PENDING or UNKNOWN by asking the venue about its client id. If the
     * venue has no such order and its late-execution window has passed, it never executed and is
     * REJECTED; inside the window, or if the venue cannot answer, it stays as it is.
     */
    OrderRecord resolve(OrderRecord o) {
        if (o.status().settled()) {
            return o;
        }
        PerpExchange ex = venues.get(o.venue());
        try {
            Optional<Fill> found = ex.lookupOrder(o.symbol(), o.clientId());
            if (found.isPresent()) {
                store.applyFill(o.id(), found.get(), clock.instant());
                LOG.info("order {} found on {}: {} {}", o.clientId(), o.venue().configName(),
                        found.get().state(), found.get().filledQty().toPlainString());
            } else if (clock.instant().isBefore(o.createdAt().plus(ex.lateExecutionWindow()))) {
                LOG.info("order {} not found on {} yet; it could still execute until {}: asking again later",
                        o.clientId(), o.venue().configName(), o.createdAt().plus(ex.lateExecutionWindow()));
            } else {
                store.markOrder(o.id(), OrderStatus.REJECTED, "venue has no order with this client id",
                        clock.instant());
                LOG.info("order {} not found on {}: never executed", o.clientId(), o.venue().configName());
            }
        } catch (RuntimeException e) {
            LOG.warn("lookup of order {} on {} failed: {}", o.clientId(), o.venue().configName(), e.getMessage());
        }
        return reload(o);
    }

    /** Resolves every unsettled order of a pair; returns true if none is left unsettled. */
    boolean resolveAll(long pairId) {
        boolean settled = true;
        for (OrderRecord o : store.orders(pairId)) {
            if (!o.status().settled()) {
                settled &= resolve(o).status().settled();
            }
        }
        return settled;
    }

    private OrderRecord reload(OrderRecord o) {
        return store.order(o.id()).orElseThrow();
    }

    private static String plain(BigDecimal v) {
        return v == null ? "-" : v.toPlainString();
    }
}
