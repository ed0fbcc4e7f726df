package dev.perptrader.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perptrader.bench.LocalServer.Call;
import dev.perptrader.bench.LocalServer.Reply;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hibachi's REST API (api doc §3; the api and data hosts on one server, their paths never
 * overlap) over a {@link Book}: contracts, inventory and prices from {@link BenchMarkets} and
 * {@link BenchPrices}, account info from the book, market orders executed when they arrive (or
 * refused, as {@link Rejections} decides), orders found by id or nonce, the order history and
 * trades of every executed order, no funding. Every account call must carry the bench's API key
 * and account id; every order and cancel a valid signature of the account's kind, HMAC or ECDSA
 * ({@link HibachiAuth}), and an order a fresh nonce within 15 s of the venue's clock.
 */
final class HibachiVenue implements LocalServer.Route {
    static final BigDecimal FEE_RATE = new BigDecimal("0.00045");
    private static final BigDecimal INITIAL_MARGIN = new BigDecimal("0.066667");
    private static final BigDecimal MAINTENANCE_MARGIN = new BigDecimal("0.046667");
    private static final long NONCE_WINDOW_MS = 15_000;
    private static final int TRADES_LIMIT = 100;

    private final BenchMarkets markets;
    private final BenchPrices prices;
    private final Book book;
    private final Rejections rejections;
    private final HibachiAuth auth;
    private final String apiKey;
    private final String account;

    HibachiVenue(
            BenchMarkets markets,
            BenchPrices prices,
            Book book,
            Rejections rejections,
            BenchKeys keys,
            BenchOptions.HibachiSigning signing) {
        this.markets = markets;
        this.prices = prices;
        this.book = book;
        this.rejections = rejections;
        this.auth = HibachiAuth.of(keys, signing);
        this.apiKey = keys.hibachiKey();
        this.account = Long.toString(keys.hibachiAccount());
    }

    @Override
    public Reply handle(Call call) {
        long now = System.currentTimeMillis();
        switch (call.what()) {
            case "GET /exchange/utc-timestamp":
                return Reply.json(200, Json.object().put("timestampMs", now).toString());
            case "GET /market/exchange-info":
                return Reply.json(200, exchangeInfo().toString());
            case "GET /market/inventory":
                return Reply.json(200, inventory().toString());
            case "GET /market/data/prices":
                return prices(call.query().get("symbol"), now);
            default:
                break;
        }
        if (!call.path().startsWith("/trade/")) {
            return error(404, 3, "Not found: " + call.what());
        }
        String key = call.header("Authorization");
        if (key == null
                || !MessageDigest.isEqual(
                        key.getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8))) {
            return error(401, 1, "Unauthorized: unknown API key");
        }
        JsonNode body = null;
        if ("GET".equals(call.method())) {
            if (!account.equals(call.query().get("accountId"))) {
                return error(400, 4, "Invalid input: accountId");
            }
        } else {
            Optional<JsonNode> parsed = Json.parse(call.body());
            if (parsed.isEmpty() || !parsed.get().isObject()) {
                return error(400, 4, "Invalid input: body is not a JSON object");
            }
            body = parsed.get();
            if (!account.equals(body.path("accountId").asText())) {
                return error(400, 4, "Invalid input: accountId");
            }
        }
        return switch (call.what()) {
            case "GET /trade/account/info" -> Reply.json(200, accountInfo().toString());
            case "POST /trade/order" -> order(body, now);
            case "DELETE /trade/order" -> cancel(body);
            case "GET /trade/order" -> lookup(call.query());
            case "GET /trade/orders/history" ->
                Reply.json(200, history(call.query()).toString());
            case "GET /trade/account/trades" -> Reply.json(200, trades().toString());
            case "GET /trade/account/settlements_history" -> Reply.json(200, "{\"settlements\":[]}");
            default -> error(404, 3, "Not found: " + call.what());
        };
    }

    static Reply error(int status, int code, String message) {
        return Reply.json(
                status,
                Json.object()
                        .put("errorCode", code)
                        .put("message", message)
                        .put("status", "failed")
                        .toString());
    }

    private ObjectNode contract(BenchMarkets.Market m) {
        return Json.object()
                .put("displayName", m.asset() + "/USDT Perps")
                .put("id", m.contractId())
                .put("symbol", m.hibachiSymbol())
                .put("underlyingSymbol", m.asset())
                .put("settlementSymbol", "USDT")
                .put("underlyingDecimals", m.decimals())
                .put("settlementDecimals", 6)
                .put("stepSize", m.step().toPlainString())
                .put("minOrderSize", m.step().toPlainString())
                .put("tickSize", m.tick().toPlainString())
                .put("minNotional", "1")
                .put("initialMarginRate", INITIAL_MARGIN.toPlainString())
                .put("maintenanceMarginRate", MAINTENANCE_MARGIN.toPlainString())
                .put("status", "LIVE");
    }

    private ObjectNode exchangeInfo() {
        ObjectNode info = Json.object().put("status", "NORMAL");
        info.putObject("feeConfig")
                .put("tradeTakerFeeRate", FEE_RATE.toPlainString())
                .put("tradeMakerFeeRate", "0");
        ArrayNode contracts = info.putArray("futureContracts");
        markets.all().forEach(m -> contracts.add(contract(m)));
        return info;
    }

    private ObjectNode inventory() {
        ObjectNode inv = Json.object();
        ArrayNode list = inv.putArray("markets");
        for (BenchMarkets.Market m : markets.all()) {
            ObjectNode entry = list.addObject();
            entry.set("contract", contract(m));
            entry.putObject("info")
                    .put("markPrice", prices.mark(m, HibachiExchange.VENUE).toPlainString());
        }
        return inv;
    }

    private Reply prices(String symbol, long now) {
        Optional<BenchMarkets.Market> m = markets.hibachi(symbol);
        if (m.isEmpty()) {
            return error(400, 4, "Invalid input: symbol " + symbol);
        }
        String mark = prices.mark(m.get(), HibachiExchange.VENUE).toPlainString();
        ObjectNode p = Json.object()
                .put("symbol", symbol)
                .put("markPrice", mark)
                .put("spotPrice", mark)
                .put("tradePrice", mark);
        p.putObject("fundingRateEstimation")
                .put("estimatedFundingRate", "0.000024")
                .put("nextFundingTimestamp", (now / 28_800_000 + 1) * 28_800);
        return Reply.json(200, p.toString());
    }

    private BigDecimal mark(String symbol) {
        return prices.mark(markets.hibachi(symbol).orElseThrow(), HibachiExchange.VENUE);
    }

    private ObjectNode accountInfo() {
        BigDecimal upnl = BigDecimal.ZERO;
        BigDecimal initial = BigDecimal.ZERO;
        ObjectNode info = Json.object();
        ArrayNode positions = info.putArray("positions");
        for (Map.Entry<String, Book.Holding> e : book.holdings().entrySet()) {
            Book.Holding h = e.getValue();
            BigDecimal qty = h.qty().abs();
            BigDecimal mark = mark(e.getKey());
            BigDecimal pnl = h.qty().multiply(mark.subtract(h.entry()));
            upnl = upnl.add(pnl);
            initial = initial.add(qty.multiply(mark).multiply(INITIAL_MARGIN));
            positions
                    .addObject()
                    .put("symbol", e.getKey())
                    .put("direction", h.qty().signum() > 0 ? "Long" : "Short")
                    .put("quantity", qty.toPlainString())
                    .put("openPrice", h.entry().toPlainString())
                    .put("markPrice", mark.toPlainString())
                    .put("entryNotional", qty.multiply(h.entry()).toPlainString())
                    .put("notionalValue", qty.multiply(mark).toPlainString())
                    .put("unrealizedTradingPnl", pnl.toPlainString())
                    .put("unrealizedFundingPnl", "0");
        }
        BigDecimal balance = book.balance().add(upnl);
        return info.put("balance", balance.toPlainString())
                .put(
                        "maximalWithdraw",
                        balance.subtract(initial).max(BigDecimal.ZERO).toPlainString());
    }

    /** Executes a market order now (the reply goes back half a round trip later). */
    private Reply order(JsonNode body, long now) {
        String symbol = body.path("symbol").asText(null);
        Optional<BenchMarkets.Market> market = markets.hibachi(symbol);
        if (market.isEmpty()) {
            return error(400, 4, "Invalid input: symbol " + symbol);
        }
        String nonce = body.path("nonce").asText();
        Optional<byte[]> payload = HibachiAuth.orderPayload(body, market.get());
        if (payload.isEmpty() || !"MARKET".equals(body.path("orderType").asText())) {
            return error(
                            400,
                            4,
                            "Invalid input: a MARKET order with nonce, quantity, side and maxFeesPercent"
                                    + " is expected")
                    .forOrder(nonce);
        }
        if (!auth.verifies(payload.get(), body.path("signature").asText(null))) {
            return error(400, 2, "Invalid signature: Failed to verify signature")
                    .forOrder(nonce);
        }
        long nonceMs = Long.parseLong(nonce) / 1000;
        if (Math.abs(nonceMs - now) > NONCE_WINDOW_MS) {
            return error(400, 4, "Invalid input: nonce " + nonce + " is not within 15 seconds of the server time")
                    .forOrder(nonce);
        }
        BigDecimal qty = new BigDecimal(body.path("quantity").asText());
        if (qty.remainder(market.get().step()).signum() != 0) {
            return error(400, 4, "Invalid input: Invalid quantity: " + qty.toPlainString())
                    .forOrder(nonce);
        }
        boolean reduceOnly = "REDUCE_ONLY".equals(body.path("orderFlags").asText());
        if (book.byClientId(nonce).isPresent()) {
            return error(400, 4, "Invalid input: nonce " + nonce + " was used before")
                    .forOrder(nonce);
        }
        if (rejections.refuse(reduceOnly)) {
            return error(400, 4, "Insufficient margin for this order").forOrder(nonce);
        }
        OrderSide side = "BID".equals(body.path("side").asText()) ? OrderSide.BUY : OrderSide.SELL;
        Optional<Book.Execution> done = book.execute(
                nonce, symbol, side, qty, reduceOnly, prices.mark(market.get(), HibachiExchange.VENUE), now);
        if (done.isEmpty()) {
            return error(400, 4, "Invalid input: nonce " + nonce + " was used before")
                    .forOrder(nonce);
        }
        return Reply.json(
                        200, Json.object().put("orderId", done.get().orderId()).toString())
                .forOrder(nonce);
    }

    /** {@code DELETE /trade/order} by order id or nonce: market orders are final, so it only checks and answers. */
    private Reply cancel(JsonNode body) {
        String orderId = body.path("orderId").asText(null);
        String nonce = body.path("nonce").asText(null);
        String id = orderId != null ? orderId : nonce;
        long value;
        try {
            value = Long.parseLong(id == null ? "" : id);
        } catch (NumberFormatException e) {
            return error(400, 4, "Invalid input: orderId or nonce");
        }
        if (!auth.verifies(
                HibachiAuth.cancelPayload(value), body.path("signature").asText(null))) {
            return error(400, 2, "Invalid signature: Failed to verify signature");
        }
        Optional<Book.Execution> found = orderId != null ? book.byOrderId(orderId) : book.byClientId(nonce);
        if (found.isEmpty()) {
            return error(404, 3, "Not found: " + (orderId != null ? "order ID " + orderId : "nonce " + nonce));
        }
        return Reply.json(200, "{}");
    }

    /** {@code GET /trade/order} by {@code orderId} or {@code nonce}. */
    private Reply lookup(Map<String, String> query) {
        String orderId = query.get("orderId");
        String nonce = query.get("nonce");
        Optional<Book.Execution> found =
                orderId != null ? book.byOrderId(orderId) : nonce != null ? book.byClientId(nonce) : Optional.empty();
        if (found.isEmpty()) {
            return error(404, 3, "Not found: " + (orderId != null ? "order ID " + orderId : "nonce " + nonce));
        }
        Book.Execution e = found.get();
        ObjectNode o = Json.object()
                .put("accountId", Long.parseLong(account))
                .put("availableQuantity", e.qty().subtract(e.filled()).toPlainString())
                .put("contractId", markets.hibachi(e.symbol()).orElseThrow().contractId())
                .put("creationTime", e.atMillis() / 1000)
                .put("finishTime", e.atMillis() / 1000)
                .put("orderId", e.orderId())
                .put("orderType", "MARKET")
                .put("side", side(e))
                .put("status", e.complete() ? "FILLED" : e.executed() ? "PARTIAL_CANCELLED" : "CANCELLED")
                .put("symbol", e.symbol())
                .put("totalQuantity", e.qty().toPlainString());
        o.putNull("price");
        if (e.reduceOnly()) {
            o.put("orderFlags", "REDUCE_ONLY");
        }
        return Reply.json(200, o.toString());
    }

    private static String side(Book.Execution e) {
        return e.side() == OrderSide.BUY ? "BID" : "ASK";
    }

    /** {@code /trade/orders/history} from {@code startTime} (ms), newest first. */
    private ObjectNode history(Map<String, String> query) {
        long start = query.containsKey("startTime") ? Long.parseLong(query.get("startTime")) : 0;
        ObjectNode out = Json.object().put("hasMore", false);
        ArrayNode orders = out.putArray("orders");
        for (Book.Execution e : newestFirst()) {
            if (e.atMillis() < start) {
                continue;
            }
            orders.addObject()
                    .put("accountId", Long.parseLong(account))
                    .put("avgFillPrice", e.executed() ? e.price().toPlainString() : "0")
                    .put("createdAt", e.atMillis())
                    .put("closedAt", e.atMillis())
                    .put("filledQuantity", e.filled().toPlainString())
                    .put("orderId", e.orderId())
                    .put("orderType", "MARKET")
                    .put("side", side(e))
                    .put("status", e.complete() ? "Filled" : "Cancelled")
                    .put("symbol", e.symbol())
                    .put("totalQuantity", e.qty().toPlainString());
        }
        return out;
    }

    /** {@code /trade/account/trades}: the 100 most recent, one per executed order. */
    private ObjectNode trades() {
        ObjectNode out = Json.object();
        ArrayNode trades = out.putArray("trades");
        for (Book.Execution e : newestFirst()) {
            if (!e.executed()) {
                continue;
            }
            if (trades.size() == TRADES_LIMIT) {
                break;
            }
            ObjectNode t = trades.addObject()
                    .put("id", 319_000_000L + e.seq())
                    .put("symbol", e.symbol())
                    .put("side", e.side() == OrderSide.BUY ? "Buy" : "Sell")
                    .put("orderType", "MARKET")
                    .put("price", e.price().toPlainString())
                    .put("quantity", e.filled().toPlainString())
                    .put("fee", e.fee().toPlainString())
                    .put("realizedPnl", "0")
                    .put("timestamp", e.atMillis() / 1000);
            if (e.side() == OrderSide.BUY) {
                t.put("bidOrderId", e.orderId()).putNull("askOrderId");
            } else {
                t.putNull("bidOrderId").put("askOrderId", e.orderId());
            }
        }
        return out;
    }

    private List<Book.Execution> newestFirst() {
        List<Book.Execution> all = new ArrayList<>(book.executions());
        Collections.reverse(all);
        return all;
    }
}
