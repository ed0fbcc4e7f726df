package dev.perptrader.exchange.backpack;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Backpack REST shapes, as documented (api doc §3). Decimals stay the venue's strings until
 * {@link BackpackMapper} turns them into BigDecimal; every field may be {@code null}.
 */
final class BackpackDtos {
    private BackpackDtos() {}

    /**
     * GET /api/v1/markets item. {@code fundingInterval} is milliseconds, a JSON number in the
     * recordings and once a string (ccxt): read as text, parsed by the mapper.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Market(
            String symbol,
            String baseSymbol,
            String quoteSymbol,
            String marketType,
            Filters filters,
            String orderBookState,
            Boolean visible,
            String fundingInterval) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Filters(PriceFilter price, QuantityFilter quantity) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PriceFilter(String minPrice, String maxPrice, String tickSize) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record QuantityFilter(String minQuantity, String maxQuantity, String stepSize) {}

    /** GET /api/v1/markPrices item. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MarkPrice(
            String symbol, String markPrice, String indexPrice, String fundingRate, Long nextFundingTimestamp) {}

    /** GET /api/v1/capital/collateral. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Collateral(
            String assetsValue,
            String netEquity,
            String netEquityAvailable,
            String netEquityLocked,
            String imf,
            String mmf,
            String marginFraction,
            String pnlUnrealized) {}

    /** GET /api/v1/position item (FuturePositionWithMargin). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Position(
            String symbol,
            String netQuantity,
            String netExposureQuantity,
            String netExposureNotional,
            String entryPrice,
            String markPrice,
            String pnlUnrealized,
            String imf,
            String mmf,
            MarginFunction mmfFunction) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record MarginFunction(String base, String factor, String type) {}

    /** GET /api/v1/account: the futures fees are in basis points (negative maker: a rebate). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Account(String leverageLimit, Boolean liquidating, String futuresMakerFee, String futuresTakerFee) {}

    /**
     * POST /api/v1/order reply, GET /api/v1/order and the DELETE /api/v1/order reply:
     * {@code createdAt} is epoch ms, {@code clientId} a number; {@code price} only on a limit
     * order, {@code expiryReason} (e.g. PostOnlyTaker) only on an expired one.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Order(
            String id,
            Long clientId,
            String symbol,
            String side,
            String orderType,
            String quantity,
            String price,
            String executedQuantity,
            String executedQuoteQuantity,
            String status,
            String expiryReason,
            Long createdAt) {}

    /** GET /wapi/v1/history/orders item: {@code createdAt} is a naive UTC datetime string. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record HistoryOrder(
            String id,
            Long clientId,
            String symbol,
            String side,
            String orderType,
            String quantity,
            String price,
            String executedQuantity,
            String executedQuoteQuantity,
            String status,
            String createdAt,
            String expiryReason) {}

    /**
     * GET /wapi/v1/history/fills item: {@code clientId} is a string here; {@code systemOrderType}
     * is set on fills the venue made itself (liquidation, ADL, backstop, collateral conversion…).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record FillItem(
            Long tradeId,
            String orderId,
            String clientId,
            String symbol,
            String side,
            String price,
            String quantity,
            String fee,
            String feeSymbol,
            String timestamp,
            String systemOrderType) {}

    /**
     * GET /api/v1/depth: levels are [price, quantity] string pairs, {@code timestamp} in
     * microseconds; the recordings list bids ascending, so the best bid is the last one.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Depth(List<List<String>> asks, List<List<String>> bids, String lastUpdateId, Long timestamp) {}

    /** GET /wapi/v1/history/funding item: {@code quantity} positive when received. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record FundingPayment(String symbol, String quantity, String fundingRate, String intervalEndTimestamp) {}
}
