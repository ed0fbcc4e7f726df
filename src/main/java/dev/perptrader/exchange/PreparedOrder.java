package dev.perptrader.exchange;

import dev.perptrader.domain.Fill;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A market order made ready ahead of the moment it goes ({@link PerpExchange#prepareMarketOrder}):
 * on a signed venue its body, timestamp or nonce, signature and HTTP request are built, so that
 * {@link #send} only makes the call and reads the reply. Nothing has been sent until then. Sent at
 * most once: a second {@link #send}, even after the first failed, throws
 * {@link IllegalStateException} (a failed order is reconciled by client id, never resent). An
 * order never sent may simply be dropped: it holds no resources.
 */
public final class PreparedOrder {
    /** What sending does: the venue call and the reading of its reply. */
    @FunctionalInterface
    public interface Sender {
        Fill send(Consumer<Fill> firstSeen);
    }

    private final OrderRequest request;
    private final Sender sender;
    private final AtomicBoolean sent = new AtomicBoolean();

    public PreparedOrder(OrderRequest request, Sender sender) {
        this.request = Objects.requireNonNull(request, "request");
        this.sender = Objects.requireNonNull(sender, "sender");
    }

    /** The order this was prepared from. */
    public OrderRequest request() {
        return request;
    }

    /**
     * Sends the order, with the contract of {@link PerpExchange#placeMarketOrder(OrderRequest,
     * Consumer)}: {@code firstSeen} gets state and filled quantity as soon as the venue has told
     * them, an {@link ExchangeError#UNKNOWN_OUTCOME} means reconcile by client id.
     *
     * @throws IllegalStateException if this order was sent before
     */
    public Fill send(Consumer<Fill> firstSeen) {
        Objects.requireNonNull(firstSeen, "firstSeen");
        if (!sent.compareAndSet(false, true)) {
            throw new IllegalStateException("order " + request.clientId() + " was sent before: a prepared order is"
                    + " sent at most once (reconcile by client id instead)");
        }
        return sender.send(firstSeen);
    }

    /** As {@link #send(Consumer)}, without a first word. */
    public Fill send() {
        return send(fill -> {});
    }

    @Override
    public String toString() {
        return "PreparedOrder[" + request + (sent.get() ? ", sent" : "") + "]";
    }
}
