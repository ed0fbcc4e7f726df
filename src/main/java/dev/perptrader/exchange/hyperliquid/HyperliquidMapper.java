package dev.perptrader.exchange.hyperliquid;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perptrader.domain.Side;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
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
        JsonNode v = required(node, field, "order status");
        if (!v.canConvertToLong()) {
            throw new MalformedReply("order status " + field + " is not an integer: " + v);
        }
        return v.asLong();
    }
}
