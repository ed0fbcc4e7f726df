package dev.perptrader.exchange.hibachi;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.util.List;

/**
 * Hibachi's JSON replies as they arrive (API doc §3), read leniently: unknown fields are
 * ignored, numbers and ids are accepted as JSON numbers or strings, decimals never pass through
 * a double, and every field may be missing (null). These types never leave the package.
 */
final class HibachiDto {

    /** The reader/writer for every Hibachi body. */
    static final ObjectMapper MAPPER = mapper();

    private HibachiDto() {}

    private static ObjectMapper mapper() {
        ObjectMapper m = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_LONG_FOR_INTS)
                .build();
        m.coercionConfigDefaults().setCoercion(CoercionInputShape.EmptyString, CoercionAction.AsNull);
        return m;
    }

    /** {@code {"errorCode":4,"message":"…","status":"failed"}}. */
    record ErrorBody(Integer errorCode, String message, String status) {}

    /** {@code GET data-host/market/exchange-info}. */
    record ExchangeInfo(String status, FeeConfig feeConfig, List<FutureContract> futureContracts) {}

    record FeeConfig(BigDecimal tradeTakerFeeRate, BigDecimal tradeMakerFeeRate) {}

    /** One {@code futureContracts[]} element; older responses use the risk-factor names. */
    record FutureContract(
            Long id,
            String symbol,
            String underlyingSymbol,
            Integer underlyingDecimals,
            Integer settlementDecimals,
            BigDecimal stepSize,
            BigDecimal tickSize,
            BigDecimal minOrderSize,
            BigDecimal minNotional,
            @JsonAlias("riskFactorForOrders") BigDecimal initialMarginRate,
            @JsonAlias("maintenanceFactorForPositions") BigDecimal maintenanceMarginRate,
            String status) {}

    /** {@code GET data-host/market/inventory}: every market with its mark price (api doc §3.1). */
    record Inventory(List<InventoryMarket> markets) {}

    record InventoryMarket(FutureContract contract, MarketInfo info) {}

    record MarketInfo(BigDecimal markPrice) {}

    /** {@code GET data-host/market/data/prices?symbol=}. */
    record Prices(String symbol, BigDecimal markPrice, FundingRateEstimation fundingRateEstimation) {}

    record FundingRateEstimation(BigDecimal estimatedFundingRate, Long nextFundingTimestamp) {}

    /** {@code GET data-host/exchange/utc-timestamp}. */
    record UtcTimestamp(Long timestampMs) {}

    /** {@code GET api-host/trade/account/info?accountId=}. */
    record AccountInfo(BigDecimal balance, BigDecimal maximalWithdraw, List<Position> positions) {}

    /** An open position: {@code quantity} is unsigned, {@code direction} is "Long" or "Short". */
    record Position(
            String symbol,
            String direction,
            BigDecimal quantity,
            BigDecimal openPrice,
            BigDecimal markPrice,
            BigDecimal entryNotional,
            BigDecimal notionalValue,
            BigDecimal unrealizedTradingPnl) {}

    /** {@code POST api-host/trade/order}: {@code {"orderId":"…"}}. */
    record PlaceOrderReply(String orderId) {}

    /** {@code GET api-host/trade/order?accountId=&orderId=|nonce=}; status in upper case. */
    record Order(
            String orderId,
            String symbol,
            String side,
            String orderType,
            String status,
            BigDecimal totalQuantity,
            BigDecimal availableQuantity,
            BigDecimal price,
            String orderFlags) {}

    /**
     * {@code GET data-host/market/data/orderbook?symbol=&depth=}: each side a price range and its
     * levels (api doc §3.2).
     */
    record Orderbook(BookSide ask, BookSide bid) {}

    record BookSide(BigDecimal startPrice, BigDecimal endPrice, List<BookLevel> levels) {}

    record BookLevel(BigDecimal price, BigDecimal quantity) {}

    /** {@code GET api-host/trade/orders/history}; status in title case ("Filled"). */
    record OrderHistory(Boolean hasMore, List<HistoryOrder> orders) {}

    record HistoryOrder(
            String orderId,
            String symbol,
            String side,
            String status,
            BigDecimal avgFillPrice,
            BigDecimal filledQuantity,
            BigDecimal totalQuantity) {}

    /** {@code GET api-host/trade/account/trades}: the 100 most recent trades. */
    record Trades(List<Trade> trades) {}

    /** One trade; our order is {@code orderId}, or {@code bidOrderId}/{@code askOrderId} by side. */
    record Trade(
            String id,
            String symbol,
            String side,
            BigDecimal price,
            BigDecimal quantity,
            BigDecimal fee,
            String orderId,
            String bidOrderId,
            String askOrderId,
            Long timestamp) {}

    /** {@code GET api-host/trade/account/settlements_history}: the funding payments. */
    record Settlements(List<Settlement> settlements) {}

    /** One funding payment; a negative {@code settledAmount} was paid, timestamp in seconds. */
    record Settlement(String symbol, String direction, BigDecimal quantity, BigDecimal settledAmount, Long timestamp) {}
}
