package dev.perptrader.exchange.hibachi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.PerpExchange.Quote;
import dev.perptrader.exchange.hibachi.HibachiExchange.Contract;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hibachi's replies ({@link HibachiDto}) into the program's types: contracts, quotes, marks, the
 * account, fills, order states and the book. Pure functions; a reply that cannot be used throws
 * {@link ExchangeError#VENUE_DOWN} "unreadable reply" naming what was missing, never a stack of
 * Jackson internals.
 */
final class HibachiMapper {
    private static final Logger LOG = LoggerFactory.getLogger(HibachiMapper.class);
    private static final Pattern NONCE = Pattern.compile("[1-9][0-9]{0,18}");

    private HibachiMapper() {}

    /** A quote from {@code /market/data/prices}: the mark and the estimated funding (per 8 h, 0 when absent). */
    static Quote quote(String symbol, HibachiDto.Prices p, Instant at) {
        if (p.markPrice() == null || p.markPrice().signum() <= 0) {
            throw unreadable("prices of " + symbol + " without a markPrice");
        }
        BigDecimal funding =
                p.fundingRateEstimation() == null || p.fundingRateEstimation().estimatedFundingRate() == null
                        ? BigDecimal.ZERO
                        : p.fundingRateEstimation().estimatedFundingRate();
        return new Quote(symbol, p.markPrice(), funding, at);
    }

    /** The marks of {@code wanted} from {@code /market/inventory}; a wanted market without a positive mark is unusable. */
    static Map<String, BigDecimal> marks(HibachiDto.Inventory inv, Set<String> wanted) {
        Map<String, BigDecimal> listed = new HashMap<>();
        for (HibachiDto.InventoryMarket m :
                inv.markets() == null ? List.<HibachiDto.InventoryMarket>of() : inv.markets()) {
            if (m.contract() != null && m.contract().symbol() != null && m.info() != null) {
                listed.put(m.contract().symbol(), m.info().markPrice());
            }
        }
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        for (String symbol : wanted) {
            BigDecimal mark = listed.get(symbol);
            if (mark == null || mark.signum() <= 0) {
                throw unreadable("inventory without a markPrice for " + symbol);
            }
            out.put(symbol, mark);
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The account from {@code /trade/account/info}: equity = {@code balance}, free =
     * {@code maximalWithdraw}; maintenance margin = Σ position notional × the contract's
     * maintenance margin rate ({@code contracts} by symbol).
     */
    static AccountState account(HibachiDto.AccountInfo info, Map<String, Contract> contracts) {
        if (info.balance() == null || info.maximalWithdraw() == null) {
            throw unreadable("account info without balance or maximalWithdraw");
        }
        List<AccountState.Position> positions = new ArrayList<>();
        BigDecimal maintenance = BigDecimal.ZERO;
        for (HibachiDto.Position p : info.positions() == null ? List.<HibachiDto.Position>of() : info.positions()) {
            if (p.symbol() == null || p.quantity() == null || p.quantity().signum() == 0) {
                continue;
            }
            Side side = sideOf(p.direction(), p.symbol());
            BigDecimal qty = p.quantity().abs();
            BigDecimal entry = p.openPrice() != null
                    ? p.openPrice()
                    : p.entryNotional() != null ? Money.divide(p.entryNotional(), qty) : null;
            BigDecimal mark = p.markPrice() != null
                    ? p.markPrice()
                    : p.notionalValue() != null ? Money.divide(p.notionalValue(), qty) : entry;
            if (entry == null || mark == null) {
                throw unreadable("position " + p.symbol() + " without entry or mark price");
            }
            BigDecimal upnl = p.unrealizedTradingPnl() != null
                    ? p.unrealizedTradingPnl()
                    : side.sign().multiply(qty).multiply(mark.subtract(entry));
            positions.add(new AccountState.Position(p.symbol(), side, qty, entry, mark, upnl));
            BigDecimal notional = p.notionalValue() != null ? p.notionalValue().abs() : qty.multiply(mark);
            Contract c = contracts.get(p.symbol());
            if (c == null || c.maintenanceMarginRate() == null) {
                LOG.warn(
                        "hibachi: no maintenance margin rate for {}; it is left out of the maintenance margin",
                        p.symbol());
            } else {
                maintenance = maintenance.add(notional.multiply(c.maintenanceMarginRate()));
            }
        }
        return new AccountState(info.balance(), info.maximalWithdraw(), maintenance, positions);
    }

    static VenueFill venueFill(HibachiDto.Trade tr) {
        OrderSide side = orderSideOf(tr.side());
        String ours = side == OrderSide.BUY ? tr.bidOrderId() : tr.askOrderId();
        String orderId = ours != null && !ours.isBlank()
                ? ours.trim()
                : tr.orderId() != null && !tr.orderId().isBlank() ? tr.orderId().trim() : null;
        if (tr.quantity() == null
                || tr.quantity().signum() <= 0
                || tr.price() == null
                || tr.price().signum() <= 0) {
            throw unreadable("trade " + tr.id() + " without a positive quantity and price");
        }
        return new VenueFill(
                orderId,
                null,
                tr.symbol(),
                side,
                tr.quantity(),
                tr.price(),
                tr.fee() == null ? BigDecimal.ZERO : tr.fee(),
                Instant.ofEpochSecond(tr.timestamp()),
                false);
    }

    static String orderIdOf(JsonNode reply) {
        String id = reply.path("orderId").asText("");
        if (!NONCE.matcher(id).matches()) {
            throw new ExchangeException(
                    HibachiExchange.VENUE,
                    ExchangeError.UNKNOWN_OUTCOME,
                    "POST /trade/order: reply without a usable orderId; the order may have been placed");
        }
        return id;
    }

    static boolean isFinal(String status) {
        String s = status == null ? "" : status.toUpperCase(Locale.ROOT);
        return switch (s) {
            case "FILLED", "CANCELLED", "CANCELED", "PARTIAL_CANCELLED", "REJECTED", "EXPIRED" -> true;
            default -> false;
        };
    }

    static String upperStatus(HibachiDto.Order order) {
        return order.status() == null ? "" : order.status().toUpperCase(Locale.ROOT);
    }

    static BigDecimal totalOf(HibachiDto.Order order, String orderId) {
        if (order.totalQuantity() == null) {
            throw unreadable("order " + orderId + " without totalQuantity");
        }
        return order.totalQuantity();
    }

    /** Filled so far: the total less what is still available (nothing available once FILLED). */
    static BigDecimal filledOf(HibachiDto.Order order, String status, BigDecimal total) {
        BigDecimal available = order.availableQuantity() != null
                ? order.availableQuantity()
                : status.equals("FILLED") ? BigDecimal.ZERO : total;
        return total.subtract(available).max(BigDecimal.ZERO);
    }

    static HibachiDto.BookLevel best(HibachiDto.BookSide side, boolean highest) {
        HibachiDto.BookLevel best = null;
        if (side == null || side.levels() == null) {
            return null;
        }
        for (HibachiDto.BookLevel level : side.levels()) {
            if (level == null || level.price() == null || level.quantity() == null) {
                throw unreadable("orderbook level without price or quantity");
            }
            if (level.quantity().signum() <= 0 || level.price().signum() <= 0) {
                continue;
            }
            if (best == null
                    || (highest
                            ? level.price().compareTo(best.price()) > 0
                            : level.price().compareTo(best.price()) < 0)) {
                best = level;
            }
        }
        return best;
    }

    static Optional<Contract> contractOf(HibachiDto.FutureContract f) {
        if (f.id() == null
                || f.symbol() == null
                || f.underlyingDecimals() == null
                || f.settlementDecimals() == null
                || f.stepSize() == null
                || f.stepSize().signum() <= 0
                || f.tickSize() == null
                || f.tickSize().signum() <= 0
                || (f.minOrderSize() != null && f.minOrderSize().signum() < 0)
                || (f.minNotional() != null && f.minNotional().signum() < 0)) {
            LOG.warn("hibachi: contract {} lacks id, decimals, step or tick size; ignored", f.symbol());
            return Optional.empty();
        }
        String asset = f.underlyingSymbol() != null && !f.underlyingSymbol().isBlank()
                ? f.underlyingSymbol()
                : f.symbol().split("/", 2)[0];
        return Optional.of(new Contract(
                f.id(),
                f.symbol(),
                asset,
                f.underlyingDecimals(),
                f.settlementDecimals(),
                f.stepSize(),
                f.tickSize(),
                f.minOrderSize(),
                f.minNotional(),
                f.initialMarginRate(),
                f.maintenanceMarginRate(),
                "LIVE".equalsIgnoreCase(f.status())));
    }

    static String requireOrderId(String id) {
        String s = id == null ? "" : id.trim();
        if (!NONCE.matcher(s).matches()) {
            throw unreadable("order without a usable orderId");
        }
        return s;
    }

    static boolean sameId(String ours, String theirs) {
        return theirs != null && ours.equals(theirs.trim());
    }

    static Side sideOf(String direction, String symbol) {
        String d = direction == null ? "" : direction.toUpperCase(Locale.ROOT);
        return switch (d) {
            case "LONG" -> Side.LONG;
            case "SHORT" -> Side.SHORT;
            default -> throw unreadable("position " + symbol + " with direction '" + direction + "'");
        };
    }

    static OrderSide orderSideOf(String side) {
        String s = side == null ? "" : side.toUpperCase(Locale.ROOT);
        return switch (s) {
            case "BID", "BUY" -> OrderSide.BUY;
            case "ASK", "SELL" -> OrderSide.SELL;
            default -> throw unreadable("order with side '" + side + "'");
        };
    }

    static <T> T read(JsonNode node, Class<T> type, String what) {
        if (!node.isObject()) {
            throw unreadable(what + " reply is not a JSON object");
        }
        try {
            return HibachiDto.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new ExchangeException(
                    HibachiExchange.VENUE,
                    ExchangeError.VENUE_DOWN,
                    "unreadable " + what + " reply: " + e.getOriginalMessage(),
                    null,
                    e);
        } catch (IllegalArgumentException e) {
            throw new ExchangeException(
                    HibachiExchange.VENUE, ExchangeError.VENUE_DOWN, "unreadable " + what + " reply", null, e);
        }
    }

    static ExchangeException unreadable(String what) {
        return new ExchangeException(HibachiExchange.VENUE, ExchangeError.VENUE_DOWN, "unreadable reply: " + what);
    }
}
