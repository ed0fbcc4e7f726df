package dev.perptrader.exchange.backpack;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.PerpExchange.Quote;
import dev.perptrader.exchange.RestingOrder;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backpack DTOs → domain values. Decimals are parsed from the venue's strings, never through
 * double. A missing required field is an {@link IllegalArgumentException} naming it; the client
 * turns that into an unusable-reply error.
 */
final class BackpackMapper {
    private static final Logger LOG = LoggerFactory.getLogger(BackpackMapper.class);

    private BackpackMapper() {}

    /**
     * PERP markets keyed by base asset. {@code open} only when {@code orderBookState} is
     * {@code Open} and the market is not hidden. A market whose filters cannot be read is left out
     * with a WARN. If two PERP markets share a base asset, an open one wins over a closed one.
     */
    static Map<String, MarketRules> markets(List<BackpackDtos.Market> markets) {
        Map<String, MarketRules> byAsset = new TreeMap<>();
        for (BackpackDtos.Market m : markets) {
            if (m == null || !"PERP".equals(m.marketType())) {
                continue;
            }
            MarketRules rules;
            try {
                rules = market(m);
            } catch (IllegalArgumentException e) {
                LOG.warn("backpack market {} skipped: {}", m.symbol(), e.getMessage());
                continue;
            }
            MarketRules previous = byAsset.get(rules.asset());
            if (previous == null || (!previous.open() && rules.open())) {
                byAsset.put(rules.asset(), rules);
            }
        }
        return Map.copyOf(byAsset);
    }

    /**
     * Each PERP market's funding interval by symbol, from its {@code fundingInterval} (ms): per
     * market, since they differ (1 h on most, 8 h on an older ETH_USDC_PERP). A market without a
     * readable positive interval is left out with a WARN: no interval is assumed for it.
     */
    static Map<String, Duration> fundingIntervals(List<BackpackDtos.Market> markets) {
        Map<String, Duration> out = new TreeMap<>();
        for (BackpackDtos.Market m : markets) {
            if (m == null || !"PERP".equals(m.marketType()) || m.symbol() == null) {
                continue;
            }
            try {
                out.put(m.symbol(), fundingInterval(m.fundingInterval()));
            } catch (IllegalArgumentException e) {
                LOG.warn("backpack market {}: {}", m.symbol(), e.getMessage());
            }
        }
        return Map.copyOf(out);
    }

    private static Duration fundingInterval(String text) {
        BigDecimal ms = decimal(text, "fundingInterval");
        if (ms.signum() <= 0 || ms.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("fundingInterval not a positive whole number of ms: '" + text + "'");
        }
        try {
            return Duration.ofMillis(ms.longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("fundingInterval too large: '" + text + "'");
        }
    }

    private static MarketRules market(BackpackDtos.Market m) {
        String symbol = required(m.symbol(), "symbol");
        String asset = required(m.baseSymbol(), "baseSymbol");
        if (m.filters() == null || m.filters().price() == null || m.filters().quantity() == null) {
            throw new IllegalArgumentException("filters.price / filters.quantity missing");
        }
        BigDecimal tick = decimal(m.filters().price().tickSize(), "filters.price.tickSize");
        BigDecimal step = decimal(m.filters().quantity().stepSize(), "filters.quantity.stepSize");
        BigDecimal minQty = m.filters().quantity().minQuantity() == null
                ? BigDecimal.ZERO
                : decimal(m.filters().quantity().minQuantity(), "filters.quantity.minQuantity");
        boolean open = "Open".equals(m.orderBookState()) && !Boolean.FALSE.equals(m.visible());
        return new MarketRules(asset, symbol, tick, step, minQty, BigDecimal.ZERO, open);
    }

    /** Quotes for the wanted symbols (exact, case-sensitive); a missing funding rate reads 0. */
    static Map<String, Quote> quotes(List<BackpackDtos.MarkPrice> prices, Collection<String> symbols, Instant at) {
        Set<String> wanted = new HashSet<>(symbols);
        Map<String, Quote> out = new LinkedHashMap<>();
        for (BackpackDtos.MarkPrice p : prices) {
            if (p == null || p.symbol() == null || !wanted.contains(p.symbol()) || p.markPrice() == null) {
                continue;
            }
            BigDecimal funding = p.fundingRate() == null ? BigDecimal.ZERO : decimal(p.fundingRate(), "fundingRate");
            out.put(p.symbol(), new Quote(p.symbol(), decimal(p.markPrice(), "markPrice"), funding, at));
        }
        return Map.copyOf(out);
    }

    /**
     * Equity = {@code netEquity}, free collateral = {@code netEquityAvailable}. Maintenance margin
     * = Σ |netQuantity| × markPrice × mmf over open positions: the position actually held, at mark,
     * times the venue's own maintenance fraction for it. ({@code netExposureNotional} also counts
     * open orders that add risk, which affect the initial, not the maintenance, requirement; it is
     * used only when a position has no mark price.) A position without {@code mmf} uses
     * {@code mmfFunction.base}.
     */
    static AccountState account(BackpackDtos.Collateral collateral, List<BackpackDtos.Position> positions) {
        if (collateral == null) {
            throw new IllegalArgumentException("collateral missing");
        }
        BigDecimal equity = decimal(collateral.netEquity(), "netEquity");
        BigDecimal free = decimal(collateral.netEquityAvailable(), "netEquityAvailable");
        BigDecimal maintenance = BigDecimal.ZERO;
        List<AccountState.Position> open = new ArrayList<>();
        for (BackpackDtos.Position p : positions) {
            if (p == null) {
                continue;
            }
            BigDecimal net = decimal(p.netQuantity(), "position.netQuantity");
            if (net.signum() == 0) {
                continue;
            }
            String symbol = required(p.symbol(), "position.symbol");
            BigDecimal qty = net.abs();
            BigDecimal mark = p.markPrice() == null ? null : decimal(p.markPrice(), "position.markPrice");
            BigDecimal notional = mark != null
                    ? qty.multiply(mark)
                    : decimal(p.netExposureNotional(), "position.netExposureNotional")
                            .abs();
            maintenance = maintenance.add(notional.multiply(mmf(p)));
            open.add(new AccountState.Position(
                    symbol,
                    net.signum() > 0 ? Side.LONG : Side.SHORT,
                    qty,
                    decimal(p.entryPrice(), "position.entryPrice"),
                    mark == null ? BigDecimal.ZERO : mark,
                    p.pnlUnrealized() == null
                            ? BigDecimal.ZERO
                            : decimal(p.pnlUnrealized(), "position.pnlUnrealized")));
        }
        return new AccountState(equity, free, maintenance, open);
    }

    private static BigDecimal mmf(BackpackDtos.Position p) {
        if (p.mmf() != null) {
            return decimal(p.mmf(), "position.mmf");
        }
        if (p.mmfFunction() != null && p.mmfFunction().base() != null) {
            return decimal(p.mmfFunction().base(), "position.mmfFunction.base");
        }
        throw new IllegalArgumentException("position.mmf missing for " + p.symbol());
    }

    /**
     * Where an order ended: {@code Filled} → FILLED; otherwise anything executed → PARTIAL, and
     * nothing executed → REJECTED. Callers treat still-open statuses first.
     */
    static OrderState state(String status, BigDecimal executedQty) {
        if ("Filled".equals(status)) {
            return OrderState.FILLED;
        }
        return executedQty.signum() > 0 ? OrderState.PARTIAL : OrderState.REJECTED;
    }

    /** Statuses of an order still working on the book; its outcome is not known yet. */
    static boolean stillOpen(String status) {
        return "New".equals(status) || "TriggerPending".equals(status);
    }

    /** A Fill from an order's totals; average price = quote / base (DECIMAL128, half-even). */
    static Fill fill(
            String clientId,
            String orderId,
            String symbol,
            String side,
            String status,
            String executedQuantity,
            String executedQuoteQuantity,
            BigDecimal fee) {
        BigDecimal qty = executedQuantity == null ? BigDecimal.ZERO : decimal(executedQuantity, "executedQuantity");
        BigDecimal quote = executedQuoteQuantity == null
                ? BigDecimal.ZERO
                : decimal(executedQuoteQuantity, "executedQuoteQuantity");
        OrderState state = state(required(status, "status"), qty);
        BigDecimal avg =
                qty.signum() == 0 ? BigDecimal.ZERO : Money.divide(quote, qty).stripTrailingZeros();
        return new Fill(
                clientId,
                orderId,
                required(symbol, "symbol"),
                orderSide(side),
                state,
                qty.signum() == 0 ? BigDecimal.ZERO : qty,
                avg,
                fee);
    }

    /**
     * A limit order as the venue reports it (order reply, open order, or history item). Status:
     * {@code New}, {@code PartiallyFilled}, {@code TriggerPending} → OPEN; {@code Filled} →
     * FILLED; {@code Expired} with {@code PostOnlyTaker} → REJECTED (it never rested);
     * {@code Cancelled}, {@code Expired} (any other reason) and {@code TriggerFailed} → CANCELLED
     * with what filled first. Average price = executed quote / executed base when both are given,
     * else null (read from the fills); {@code fee} as given (null: not read).
     */
    static RestingOrder resting(
            String clientId,
            String orderId,
            String symbol,
            String side,
            String quantity,
            String price,
            String status,
            String expiryReason,
            String executedQuantity,
            String executedQuoteQuantity,
            BigDecimal fee) {
        BigDecimal filled = executedQuantity == null ? BigDecimal.ZERO : decimal(executedQuantity, "executedQuantity");
        BigDecimal avg = null;
        if (filled.signum() > 0 && executedQuoteQuantity != null) {
            avg = Money.divide(decimal(executedQuoteQuantity, "executedQuoteQuantity"), filled)
                    .stripTrailingZeros();
        }
        return new RestingOrder(
                clientId,
                orderId,
                required(symbol, "symbol"),
                orderSide(side),
                decimal(quantity, "quantity"),
                price == null ? null : decimal(price, "price"),
                restingStatus(required(status, "status"), expiryReason, filled),
                filled.signum() == 0 ? BigDecimal.ZERO : filled,
                avg,
                fee);
    }

    static RestingOrder.Status restingStatus(String status, String expiryReason, BigDecimal filled) {
        return switch (status) {
            case "New", "PartiallyFilled", "TriggerPending" -> RestingOrder.Status.OPEN;
            case "Filled" -> RestingOrder.Status.FILLED;
            case "Expired" ->
                POST_ONLY_TAKER.equals(expiryReason) && filled.signum() == 0
                        ? RestingOrder.Status.REJECTED
                        : RestingOrder.Status.CANCELLED;
            case "Cancelled", "TriggerFailed" -> RestingOrder.Status.CANCELLED;
            default -> throw new IllegalArgumentException("unknown order status '" + status + "'");
        };
    }

    /** The expiry reason of a post-only order that would have taken (api doc §5). */
    static final String POST_ONLY_TAKER = "PostOnlyTaker";

    /** {@code order} with the average price and fee of its fills (VWAP; fee in USD). */
    static RestingOrder withFills(RestingOrder order, List<BackpackDtos.FillItem> fills, BigDecimal fee) {
        BigDecimal avg = order.avgPrice();
        if (avg == null && !fills.isEmpty()) {
            avg = fromFills(order.clientId(), fills, fee).avgPrice();
        }
        return new RestingOrder(
                order.clientId(),
                order.venueOrderId(),
                order.symbol(),
                order.side(),
                order.qty(),
                order.price(),
                order.status(),
                order.filledQty(),
                avg,
                fee);
    }

    /**
     * The best bid (highest) and ask (lowest) of a depth reply, whatever order its levels come in;
     * a level with a zero quantity is ignored. Null for a side without levels.
     */
    static BigDecimal[] best(List<List<String>> levels, boolean highest, String field) {
        BigDecimal[] best = null;
        if (levels == null) {
            return null;
        }
        for (List<String> level : levels) {
            if (level == null || level.size() < 2) {
                throw new IllegalArgumentException(field + " level is not [price, quantity]");
            }
            BigDecimal price = decimal(level.get(0), field + ".price");
            BigDecimal qty = decimal(level.get(1), field + ".quantity");
            if (qty.signum() <= 0) {
                continue;
            }
            if (best == null || (highest ? price.compareTo(best[0]) > 0 : price.compareTo(best[0]) < 0)) {
                best = new BigDecimal[] {price, qty};
            }
        }
        return best;
    }

    /** A Fill rebuilt from fills alone: Σ qty, volume-weighted price, and {@code fee} (USD). */
    static Fill fromFills(String clientId, List<BackpackDtos.FillItem> fills, BigDecimal fee) {
        BigDecimal qty = BigDecimal.ZERO;
        BigDecimal quote = BigDecimal.ZERO;
        for (BackpackDtos.FillItem f : fills) {
            BigDecimal q = decimal(f.quantity(), "fill.quantity");
            qty = qty.add(q);
            quote = quote.add(q.multiply(decimal(f.price(), "fill.price")));
        }
        BackpackDtos.FillItem first = fills.get(0);
        BigDecimal avg =
                qty.signum() == 0 ? BigDecimal.ZERO : Money.divide(quote, qty).stripTrailingZeros();
        return new Fill(
                clientId,
                first.orderId(),
                required(first.symbol(), "fill.symbol"),
                orderSide(first.side()),
                qty.signum() > 0 ? OrderState.FILLED : OrderState.REJECTED,
                qty,
                avg,
                fee);
    }

    /**
     * Σ fee of fills in USD (positive = paid), each converted by {@link #feeUsd}: the fees of one
     * order may be charged in different assets, and only USD amounts can be added.
     *
     * @throws UnpricedFee when a fee is in an asset that is neither USD nor the market's base
     */
    static BigDecimal fees(List<BackpackDtos.FillItem> fills) {
        BigDecimal total = BigDecimal.ZERO;
        for (BackpackDtos.FillItem f : fills) {
            total = total.add(feeUsd(f));
        }
        return total;
    }

    /** Quote assets counted 1:1 as USD: the perps settle in USDC, and USDT/USD are the same unit here. */
    static final Set<String> USD_ASSETS = Set.of("USDC", "USDT", "USD");

    /**
     * One fill's fee in USD. {@code feeSymbol} USDC, USDT or USD counts 1:1; the market's base
     * asset (real fills are sometimes charged {@code "fee":"0.000001","feeSymbol":"ETH"}) is
     * valued at the fill's own price, the rate at which that base asset changed hands then. A
     * missing {@code feeSymbol} (the spec makes it required) is taken as the settlement asset
     * USDC. Any other asset has no price here: {@link UnpricedFee}, never a silent 1:1.
     */
    static BigDecimal feeUsd(BackpackDtos.FillItem f) {
        if (f.fee() == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal fee = decimal(f.fee(), "fill.fee");
        String asset = f.feeSymbol();
        if (asset == null || USD_ASSETS.contains(asset) || fee.signum() == 0) {
            return fee;
        }
        String symbol = required(f.symbol(), "fill.symbol");
        String base = baseAsset(symbol);
        if (asset.equals(base)) {
            return fee.multiply(decimal(f.price(), "fill.price"));
        }
        throw new UnpricedFee("fill " + f.tradeId() + " on " + symbol + " charged its fee " + fee.toPlainString()
                + " in " + asset + ", neither USD (USDC, USDT) nor the base asset " + base
                + ": it cannot be valued in USD");
    }

    /** "ETH" of "ETH_USDC_PERP", "kPEPE" of "kPEPE_USDC_PERP": the text before the first '_' (api doc §4). */
    static String baseAsset(String symbol) {
        int underscore = symbol.indexOf('_');
        return underscore > 0 ? symbol.substring(0, underscore) : symbol;
    }

    /** A fee in an asset this client cannot value in USD. */
    static final class UnpricedFee extends IllegalArgumentException {
        UnpricedFee(String message) {
            super(message);
        }
    }

    /**
     * One history fill as the venue reports it. {@code liquidation} when the venue made it: a
     * non-null {@code systemOrderType} (LiquidatePositionOnBook/Adl/Backstop, CollateralConversion,
     * FutureExpiry, OrderBookClosed), or {@code fromLiquidationQuery} (it came back for
     * {@code fillType=AllLiquidation}). The fill's {@code clientId} is a string here.
     */
    static VenueFill venueFill(BackpackDtos.FillItem f, boolean fromLiquidationQuery) {
        BigDecimal qty = decimal(f.quantity(), "fill.quantity");
        BigDecimal price = decimal(f.price(), "fill.price");
        boolean system = f.systemOrderType() != null && !f.systemOrderType().isBlank();
        return new VenueFill(
                f.orderId(),
                blankToNull(f.clientId()),
                required(f.symbol(), "fill.symbol"),
                orderSide(f.side()),
                qty,
                price,
                feeUsd(f),
                naiveUtc(f.timestamp(), "fill.timestamp"),
                system || fromLiquidationQuery);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static OrderSide orderSide(String side) {
        if ("Bid".equals(side)) {
            return OrderSide.BUY;
        }
        if ("Ask".equals(side)) {
            return OrderSide.SELL;
        }
        throw new IllegalArgumentException("side not Bid/Ask: " + side);
    }

    static String venueSide(OrderSide side) {
        return side == OrderSide.BUY ? "Bid" : "Ask";
    }

    /**
     * A Backpack history time: a naive ISO datetime in UTC ("2026-01-25T18:00:00", with or without
     * fraction); an explicit offset or epoch milliseconds are accepted too.
     */
    static Instant naiveUtc(String text, String field) {
        String t = required(text, field).trim();
        if (t.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(t));
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException naiveFailed) {
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(field + " not a datetime: '" + t + "'");
            }
        }
    }

    static BigDecimal decimal(String text, String field) {
        try {
            return Money.parse(required(text, field));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    private static String required(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " missing");
        }
        return value;
    }
}
