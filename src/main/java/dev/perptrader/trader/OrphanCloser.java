package dev.perptrader.trader;

import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.Venue;
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
 * Closes positions no pair accounts for ({@code reconcile.close_orphans = true}) with one
 * reduce-only market order, recorded before it is sent. While an earlier orphan order on the
 * same market is unsettled it is looked up by client id, never resent.
 */
final class OrphanCloser {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanCloser.class);

    private final Store store;
    private final Venues venues;
    private final Clock clock;

    OrphanCloser(Store store, Venues venues, Clock clock) {
        this.store = store;
        this.venues = venues;
        this.clock = clock;
    }

    /** True when no earlier orphan order on this market is left unsettled (looked up if needed). */
    boolean settled(Venue venue, String symbol) {
        boolean settled = true;
        for (Store.OrphanOrder o : store.orphanOrders(venue, symbol)) {
            if (o.status() == OrderStatus.PENDING || o.status() == OrderStatus.UNKNOWN) {
                settled &= resolve(o);
            }
        }
        return settled;
    }

    /** Sends one reduce-only order of {@code qty} on {@code side}. */
    void close(Venue venue, String symbol, OrderSide side, BigDecimal qty) {
        PerpExchange ex = venues.get(venue);
        Store.OrphanOrder o = store.recordOrphanOrder(venue, symbol, ex.newClientId(), side, qty, clock.instant());
        LOG.warn("closing orphan {} {} {} on {} reduce-only (client id {})", side, qty.toPlainString(), symbol,
                venue.configName(), o.clientId());
        try {
            Fill fill = ex.placeMarketOrder(new OrderRequest(symbol, side, qty, true, o.clientId()));
            store.settleOrphanOrder(o.id(), fill.state().status(), fill, null, clock.instant());
        } catch (ExchangeException e) {
            store.settleOrphanOrder(o.id(), e.error().mayHaveExecuted() ? OrderStatus.UNKNOWN : OrderStatus.REJECTED,
                    null, e.getMessage(), clock.instant());
            LOG.warn("orphan order {} on {}: {}", o.clientId(), venue.configName(), e.getMessage());
        }
    }

    private boolean resolve(Store.OrphanOrder o) {
        try {
            Optional<Fill> fill = venues.get(o.venue()).lookupOrder(o.symbol(), o.clientId());
            if (fill.isPresent()) {
                store.settleOrphanOrder(o.id(), fill.get().state().status(), fill.get(), null, clock.instant());
            } else {
                store.settleOrphanOrder(o.id(), OrderStatus.REJECTED, null, "venue has no order with this client id",
                        clock.instant());
            }
            return true;
        } catch (ExchangeException e) {
            LOG.warn("lookup of orphan order {} on {} failed: {}", o.clientId(), o.venue().configName(), e.getMessage());
            return false;
        }
    }
}
