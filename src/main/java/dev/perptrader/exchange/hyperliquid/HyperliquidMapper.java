package dev.perptrader.exchange.hyperliquid;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perptrader.domain.Side;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.FeeRates;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Hyperliquid's replies (api/hyperliquid.md §5, §6) read into plain values. Every decimal comes
 * as a string and is read as a BigDecimal; a reply without what it must hold is refused with a
 * {@link MalformedReply} naming the field, never a NullPointerException. Fields the docs call
 * nullable ({@code midPx}, {@code entryPx}) are read as absent.
 */
public final class HyperliquidMapper {
    private HyperliquidMapper() {}

    /** A reply that does not have the documented shape. */
    public static final class MalformedReply extends RuntimeException {
        MalformedReply(String message) {
            super(message);
        }
    }

    /** A perpetual of {@code metaAndAssetCtxs}: {@code index} is its asset number in orders. */
    public record Market(
            int index,
            String coin,
            int szDecimals,
            int maxLeverage,
            boolean delisted,
            BigDecimal mark,
            BigDecimal hourlyFunding,
            BigDecimal openInterest) {}

    /**
     * {@code metaAndAssetCtxs}: [meta, ctxs], ctxs[i] for universe[i]. Delisted entries are kept,
     * since the asset number is the array position.
     */
    public static List<Market> markets(JsonNode reply) {
        if (!reply.isArray() || reply.size() != 2) {
            throw new MalformedReply("metaAndAssetCtxs is not [meta, contexts]");
        }
        JsonNode universe = required(reply.get(0), "universe", "meta");
        JsonNode ctxs = reply.get(1);
        if (!universe.isArray() || !ctxs.isArray() || ctxs.size() != universe.size()) {
            throw new MalformedReply(
                    "metaAndAssetCtxs: " + universe.size() + " markets but " + ctxs.size() + " contexts");
        }
        List<Market> out = new ArrayList<>();
        for (int i = 0; i < universe.size(); i++) {
            JsonNode u = universe.get(i);
            JsonNode c = ctxs.get(i);
            String coin = required(u, "name", "universe entry").asText();
            out.add(new Market(
                    i,
                    coin,
                    integer(u, "szDecimals", coin),
                    integer(u, "maxLeverage", coin),
                    u.path("isDelisted").asBoolean(false),
                    decimal(c, "markPx", coin),
                    decimal(c, "funding", coin),
                    decimal(c, "openInterest", coin)));
        }
        return out;
    }

    /**
     * {@code clearinghouseState}: equity is the account value, maintenance the cross maintenance
     * margin used, free collateral what can be withdrawn; each position's {@code szi} is signed.
     */
    public static AccountState account(JsonNode reply) {
        JsonNode summary = required(reply, "marginSummary", "clearinghouseState");
        BigDecimal equity = decimal(summary, "accountValue", "marginSummary");
        BigDecimal maintenance = decimal(reply, "crossMaintenanceMarginUsed", "clearinghouseState");
        BigDecimal free = decimal(reply, "withdrawable", "clearinghouseState");
        List<AccountState.Position> positions = new ArrayList<>();
        for (JsonNode ap : reply.path("assetPositions")) {
            JsonNode p = required(ap, "position", "assetPositions entry");
            String coin = required(p, "coin", "position").asText();
            BigDecimal szi = decimal(p, "szi", coin);
            if (szi.signum() == 0) {
                continue;
            }
            BigDecimal value = decimal(p, "positionValue", coin);
            positions.add(new AccountState.Position(
                    coin,
                    szi.signum() > 0 ? Side.LONG : Side.SHORT,
                    szi.abs(),
                    optionalDecimal(p, "entryPx").orElse(null),
                    value.divide(szi.abs(), dev.perptrader.domain.Money.MC),
                    decimal(p, "unrealizedPnl", coin)));
        }
        return new AccountState(equity, free, maintenance, positions);
    }

    /**
     * The leverage of {@code coin}'s position in {@code clearinghouseState} ({@code
     * leverage.value}), 0 when the account holds none there.
     */
    public static int leverage(JsonNode reply, String coin) {
        for (JsonNode ap : reply.path("assetPositions")) {
            JsonNode p = ap.path("position");
            if (coin.equals(p.path("coin").asText())) {
                return p.path("leverage").path("value").asInt(0);
            }
        }
        return 0;
    }

    /** What became of one order of an /exchange order action. */
    public sealed interface OrderOutcome {
        /** It rests on the book. */
        record Resting(long oid) implements OrderOutcome {}

        /** It filled {@code totalSz} at {@code avgPx} (an IOC's fill may be partial). */
        record Filled(long oid, BigDecimal totalSz, BigDecimal avgPx) implements OrderOutcome {}

        /** The venue refused it; {@code error} says how the bot should read the message. */
        record Refused(String message, ExchangeError error) implements OrderOutcome {}
    }

    /**
     * The statuses of an /exchange order reply, one per order in request order. A whole-action
     * failure ({@code "status":"err"}, HTTP 200) is thrown as a {@link Refusal}: "status ok" does
     * not mean each order was taken, so every element is read.
     */
    public static List<OrderOutcome> orderOutcomes(JsonNode reply) {
        JsonNode statuses = okResponse(reply).path("data").path("statuses");
        if (!statuses.isArray()) {
            throw new MalformedReply("order reply without data.statuses");
        }
        List<OrderOutcome> out = new ArrayList<>();
        for (JsonNode s : statuses) {
            if (s.has("resting")) {
                out.add(new OrderOutcome.Resting(integerLong(s.get("resting"), "oid")));
            } else if (s.has("filled")) {
                JsonNode f = s.get("filled");
                out.add(new OrderOutcome.Filled(
                        integerLong(f, "oid"), decimal(f, "totalSz", "filled"), decimal(f, "avgPx", "filled")));
            } else if (s.has("error")) {
                String message = s.get("error").asText();
                out.add(new OrderOutcome.Refused(message, errorOf(message)));
            } else {
                throw new MalformedReply("order status neither resting, filled nor error: " + s);
            }
        }
        return out;
    }

    /** A whole action refused: {@code "status":"err"} with the venue's message. */
    public static final class Refusal extends RuntimeException {
        private final ExchangeError error;

        Refusal(String message, ExchangeError error) {
            super(message);
            this.error = error;
        }

        public ExchangeError error() {
            return error;
        }
    }

    /**
     * How the bot reads a refusal's message (the docs' per-order and whole-action strings).
     * An unknown signer ("User or API Wallet … does not exist") is a key problem, and a nonce
     * refusal a clock one; anything unrecognised is a plain refusal.
     */
    public static ExchangeError errorOf(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("does not exist") && (m.contains("wallet") || m.contains("user"))) {
            return ExchangeError.AUTH_FAILED;
        }
        if (m.contains("nonce")) {
            return ExchangeError.CLOCK_REJECTED;
        }
        if (m.contains("insufficient margin")) {
            return ExchangeError.INSUFFICIENT_MARGIN;
        }
        if (m.contains("minimum value")) {
            return ExchangeError.BELOW_MINIMUM;
        }
        if (m.contains("post only order would have immediately matched")) {
            return ExchangeError.WOULD_TAKE;
        }
        return ExchangeError.REJECTED;
    }

    /**
     * What a cancel did, per cancel in request order: true for "success", false for a refused one
     * (the venue's message, e.g. "Order was never placed, already canceled, or filled."), whose
     * text is in {@code messages}.
     */
    public record CancelOutcome(boolean cancelled, String message) {}

    /** The statuses of a cancel or cancelByCloid reply. */
    public static List<CancelOutcome> cancelOutcomes(JsonNode reply) {
        JsonNode statuses = okResponse(reply).path("data").path("statuses");
        if (!statuses.isArray()) {
            throw new MalformedReply("cancel reply without data.statuses");
        }
        List<CancelOutcome> out = new ArrayList<>();
        for (JsonNode s : statuses) {
            if (s.isTextual() && "success".equals(s.asText())) {
                out.add(new CancelOutcome(true, "success"));
            } else if (s.has("error")) {
                out.add(new CancelOutcome(false, s.get("error").asText()));
            } else {
                throw new MalformedReply("cancel status neither success nor error: " + s);
            }
        }
        return out;
    }

    /** An action whose reply carries no data ({@code updateLeverage}): ok, or thrown as a {@link Refusal}. */
    public static void acknowledged(JsonNode reply) {
        okResponse(reply);
    }

    /**
     * One order as {@code orderStatus} tells it: {@code origSz} ordered, {@code sz} still open,
     * {@code status} as the venue names it ("open", "filled", "canceled", "rejected",
     * "marginCanceled", ...).
     */
    public record OrderState(
            long oid, String coin, boolean isBuy, BigDecimal limitPx, BigDecimal origSz, BigDecimal sz, String status) {
        /** Filled so far: ordered less what is still open ({@code sz} is what remains). */
        public BigDecimal filled() {
            return origSz.subtract(sz).max(BigDecimal.ZERO);
        }

        /** The venue says the order can fill no more. */
        public boolean ended() {
            return !"open".equals(status) && !"triggered".equals(status);
        }
    }

    /**
     * {@code orderStatus}: {@code {"status":"order","order":{"order":{...},"status":...}}}, or
     * {@code {"status":"unknownOid"}} (empty: the venue never took an order with that id).
     */
    public static Optional<OrderState> orderStatus(JsonNode reply) {
        String status = required(reply, "status", "orderStatus reply").asText();
        if ("unknownOid".equals(status)) {
            return Optional.empty();
        }
        if (!"order".equals(status)) {
            throw new MalformedReply("orderStatus reply status '" + status + "' is neither order nor unknownOid");
        }
        JsonNode wrapper = required(reply, "order", "orderStatus reply");
        JsonNode o = required(wrapper, "order", "orderStatus order");
        String coin = required(o, "coin", "orderStatus order").asText();
        String side = required(o, "side", coin).asText();
        if (!side.equals("B") && !side.equals("A")) {
            throw new MalformedReply(coin + " order side '" + side + "' is neither B nor A");
        }
        return Optional.of(new OrderState(
                integerLong(o, "oid"),
                coin,
                side.equals("B"),
                decimal(o, "limitPx", coin),
                decimal(o, "origSz", coin),
                decimal(o, "sz", coin),
                required(wrapper, "status", "orderStatus order").asText()));
    }

    /** One fill of {@code userFills} / {@code userFillsByTime}; {@code liquidation} when the venue closed it. */
    public record UserFill(
            long oid,
            String coin,
            boolean isBuy,
            BigDecimal px,
            BigDecimal sz,
            BigDecimal fee,
            long time,
            boolean liquidation) {}

    /** {@code userFills} / {@code userFillsByTime}: an array of fills, in the venue's order. */
    public static List<UserFill> userFills(JsonNode reply) {
        if (!reply.isArray()) {
            throw new MalformedReply("userFills reply is not an array");
        }
        List<UserFill> out = new ArrayList<>();
        for (JsonNode f : reply) {
            String coin = required(f, "coin", "fill").asText();
            String side = required(f, "side", coin).asText();
            if (!side.equals("B") && !side.equals("A")) {
                throw new MalformedReply(coin + " fill side '" + side + "' is neither B nor A");
            }
            BigDecimal sz = decimal(f, "sz", coin);
            BigDecimal px = decimal(f, "px", coin);
            if (sz.signum() <= 0 || px.signum() <= 0) {
                throw new MalformedReply(coin + " fill without a positive size and price");
            }
            JsonNode liquidation = f.get("liquidation");
            out.add(new UserFill(
                    integerLong(f, "oid"),
                    coin,
                    side.equals("B"),
                    px,
                    sz,
                    decimal(f, "fee", coin),
                    integerLong(f, "time"),
                    liquidation != null && !liquidation.isNull()));
        }
        return out;
    }

    /** One hourly funding payment of {@code userFunding}: {@code usdc} positive = received. */
    public record FundingPayment(long time, String coin, BigDecimal usdc) {}

    /**
     * {@code userFunding}: {@code [{"time":ms,"hash":…,"delta":{"type":"funding","coin":…,"usdc":…,
     * "szi":…,"fundingRate":…}}]}. The api doc names the endpoint without its reply; this shape is
     * the one the official docs' "funding history" section and the TypeScript SDK's schema give.
     * Entries of another delta type are left out.
     */
    public static List<FundingPayment> userFunding(JsonNode reply) {
        if (!reply.isArray()) {
            throw new MalformedReply("userFunding reply is not an array");
        }
        List<FundingPayment> out = new ArrayList<>();
        for (JsonNode e : reply) {
            JsonNode delta = required(e, "delta", "userFunding entry");
            if (!"funding".equals(delta.path("type").asText())) {
                continue;
            }
            String coin = required(delta, "coin", "funding delta").asText();
            out.add(new FundingPayment(integerLong(e, "time"), coin, decimal(delta, "usdc", coin)));
        }
        return out;
    }

    /** The best bid and ask of {@code l2Book}: {@code {"levels":[[bids…],[asks…]]}}, levels {@code {px, sz, n}}. */
    public record Best(BigDecimal bid, BigDecimal bidSz, BigDecimal ask, BigDecimal askSz) {}

    public static Best best(JsonNode reply) {
        JsonNode levels = required(reply, "levels", "l2Book");
        if (!levels.isArray() || levels.size() != 2) {
            throw new MalformedReply("l2Book levels are not [bids, asks]");
        }
        JsonNode bids = levels.get(0);
        JsonNode asks = levels.get(1);
        if (bids.isEmpty() || asks.isEmpty()) {
            throw new MalformedReply("l2Book without both a bid and an ask");
        }
        return new Best(
                decimal(bids.get(0), "px", "bid"),
                decimal(bids.get(0), "sz", "bid"),
                decimal(asks.get(0), "px", "ask"),
                decimal(asks.get(0), "sz", "ask"));
    }

    /**
     * {@code userFees}: the account's taker ({@code userCrossRate}) and maker ({@code userAddRate})
     * rates as fractions. The api doc does not list the endpoint; these two fields are the ones
     * the official Python SDK's fee helpers and the TypeScript SDK's schema read.
     */
    public static FeeRates feeRates(JsonNode reply) {
        return new FeeRates(decimal(reply, "userAddRate", "userFees"), decimal(reply, "userCrossRate", "userFees"));
    }

    /** {@code clearinghouseState}'s {@code time}: the venue's clock in ms, when it says it. */
    public static Optional<Long> stateTime(JsonNode reply) {
        JsonNode t = reply.get("time");
        return t != null && t.canConvertToLong() ? Optional.of(t.asLong()) : Optional.empty();
    }

    private static JsonNode okResponse(JsonNode reply) {
        String status = required(reply, "status", "exchange reply").asText();
        if ("err".equals(status)) {
            String message = reply.path("response").asText();
            throw new Refusal(message, errorOf(message));
        }
        if (!"ok".equals(status)) {
            throw new MalformedReply("exchange reply status '" + status + "' is neither ok nor err");
        }
        return required(reply, "response", "exchange reply");
    }

    private static JsonNode required(JsonNode node, String field, String where) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            throw new MalformedReply(where + " has no " + field);
        }
        return v;
    }

    private static BigDecimal decimal(JsonNode node, String field, String where) {
        return optionalDecimal(node, field).orElseThrow(() -> new MalformedReply(where + " has no " + field));
    }

    private static Optional<BigDecimal> optionalDecimal(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(v.asText()));
        } catch (NumberFormatException e) {
            throw new MalformedReply(field + " is not a number: '" + v.asText() + "'");
        }
    }

    private static int integer(JsonNode node, String field, String where) {
        JsonNode v = required(node, field, where);
        if (!v.canConvertToInt()) {
            throw new MalformedReply(where + " " + field + " is not an integer: " + v);
        }
        return v.asInt();
    }

    private static long integerLong(JsonNode node, String field) {
        JsonNode v = required(node, field, "reply");
        if (!v.canConvertToLong()) {
            throw new MalformedReply(field + " is not an integer: " + v);
        }
        return v.asLong();
    }
}
