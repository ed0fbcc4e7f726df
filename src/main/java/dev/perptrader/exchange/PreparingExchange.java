package dev.perptrader.exchange;

import dev.perptrader.domain.Fill;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A venue client that builds every market order ahead of sending it: placing an order is
 * {@link #prepareMarketOrder} and then its {@link PreparedOrder#send}, so the order placed alone
 * and the order released beside another leg go through the same code.
 */
public interface PreparingExchange extends PerpExchange {

    @Override
    PreparedOrder prepareMarketOrder(OrderRequest request);

    @Override
    default Fill placeMarketOrder(OrderRequest request) {
        return placeMarketOrder(request, fill -> {});
    }

    @Override
    default Fill placeMarketOrder(OrderRequest request, Consumer<Fill> firstSeen) {
        Objects.requireNonNull(firstSeen, "firstSeen");
        return prepareMarketOrder(request).send(firstSeen);
    }
}
