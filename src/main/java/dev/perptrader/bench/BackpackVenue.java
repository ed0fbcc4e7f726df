package dev.perptrader.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perptrader.bench.LocalServer.Call;
import dev.perptrader.bench.LocalServer.Reply;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.backpack.BackpackExchange;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Backpack's REST API (api doc §3) over a {@link Book}: markets and mark prices from
 * {@link BenchMarkets} and {@link BenchPrices}, collateral, positions and account from the book,
 * market orders executed when they arrive (or refused, as {@link Rejections} decides), the order
 * and fill history of every executed order, no funding. Every private endpoint checks the
 * signature ({@link BackpackAuth}).
 */
final class BackpackVenue implements LocalServer.Route {
    static final BigDecimal FEE_RATE = new BigDecimal("0.0004");
    private static final BigDecimal IMF = new BigDecimal("0.02");
    private static final BigDecimal MMF = new BigDecimal("0.0125");
    private static final int DEFAULT_PAGE = 100;
    private static final Map<String, String> INSTRUCTIONS = Map.of(
            "GET /api/v1/capital/collateral", "collateralQuery",
            "GET /api/v1/position", "positionQuery",
            "GET /api/v1/account", "accountQuery",
            "PATCH /api/v1/account", "accountUpdate",
            "POST /api/v1/order", "orderExecute",
            "GET /wapi/v1/history/orders", "orderHistoryQueryAll",
            "GET /wapi/v1/history/fills", "fillHistoryQueryAll",
            "GET /wapi/v1/history/funding", "fundingHistoryQueryAll");

    private final BenchMarkets markets;
    private final BenchPrices prices;
    private final Book book;
    private final Rejections rejections;
    private final BackpackAuth auth;
    private volatile BigDecimal leverageLimit = BigDecimal.ONE;

    BackpackVenue(BenchMarkets markets, BenchPrices prices, Book book, Rejections rejections, BenchKeys keys) {
        this.markets = markets;
        this.prices = prices;
        this.book = book;
        this.rejections = rejections;
        this.auth = new BackpackAuth(keys.backpackKey(), keys.backpackPublicKey());
    }

    @Override
    public Reply handle(Call call) {
        long now = System.currentTimeMillis();
        switch (call.what()) {
            case "GET /api/v1/time":
                return Reply.text(Long.toString(now));
            case "GET /api/v1/markets":
                return Reply.json(200, marketsJson().toString());
            case "GET /api/v1/markPrices":
                return Reply.json(
                        200, markPrices(call.query().get("symbol"), now).toString());
            default:
                break;
        }
        String instruction = INSTRUCTIONS.get(call.what());
        if (instruction == null) {
            return error(404, "RESOURCE_NOT_FOUND", "Not Found");
        }
        JsonNode body = null;
        if (!"GET".equals(call.method())) {
            Optional<JsonNode> parsed = Json.parse(call.body());
            if (parsed.isEmpty() || !parsed.get().isObject()) {
                return error(400, "INVALID_CLIENT_REQUEST", "parse request payload error: not a JSON object");
            }
            body = parsed.get();
        }
        Optional<Reply> refused = auth.refusal(call, instruction, body, now);
        if (refused.isPresent()) {
            return refused.get();
        }
        return switch (call.what()) {
            case "GET /api/v1/capital/collateral" ->
                Reply.json(200, collateral().toString());
            case "GET /api/v1/position" -> Reply.json(200, positions().toString());
            case "GET /api/v1/account" -> Reply.json(200, account().toString());
            case "PATCH /api/v1/account" -> accountUpdate(body);
            case "POST /api/v1/order" -> order(body, now);
            case "GET /wapi/v1/history/orders" -> Reply.json(200, history(call).toString());
            case "GET /wapi/v1/history/fills" -> Reply.json(200, fills(call).toString());
            case "GET /wapi/v1/history/funding" -> Reply.json(200, "[]");
            default -> throw new AssertionError(call.what());
        };
    }

    static Reply error(int status, String code, String message) {
        return Reply.json(
                status, Json.object().put("code", code).put("message", message).toString());
    }

    private ArrayNode marketsJson() {
        ArrayNode out = Json.array();
        for (BenchMarkets.Market m : markets.all()) {
            ObjectNode market = out.addObject()
                    .put("symbol", m.backpackSymbol())
                    .put("baseSymbol", m.asset())
                    .put("quoteSymbol", "USDC")
                    .put("marketType", "PERP");
            ObjectNode filters = market.putObject("filters");
            filters.putObject("price")
                    .put("minPrice", m.tick().toPlainString())
                    .putNull("maxPrice")
                    .put("tickSize", m.tick().toPlainString());
            filters.putObject("quantity")
                    .put("minQuantity", m.step().toPlainString())
                    .putNull("maxQuantity")
                    .put("stepSize", m.step().toPlainString());
            market.put("fundingInterval", 3_600_000L)
                    .put("orderBookState", "Open")
                    .put("visible", true);
        }
        return out;
    }

    private ArrayNode markPrices(String symbol, long now) {
        ArrayNode out = Json.array();
        for (BenchMarkets.Market m : markets.all()) {
            if (symbol != null && !symbol.equals(m.backpackSymbol())) {
                continue;
            }
            String mark = prices.mark(m, BackpackExchange.VENUE).toPlainString();
            out.addObject()
                    .put("symbol", m.backpackSymbol())
                    .put("markPrice", mark)
                    .put("indexPrice", mark)
                    .put("fundingRate", "0.0000125")
                    .put("nextFundingTimestamp", (now / 3_600_000 + 1) * 3_600_000);
        }
        return out;
    }

    private BigDecimal mark(String symbol) {
        return prices.mark(markets.backpack(symbol).orElseThrow(), BackpackExchange.VENUE);
    }

    private ObjectNode collateral() {
        BigDecimal upnl = BigDecimal.ZERO;
        BigDecimal locked = BigDecimal.ZERO;
        for (Map.Entry<String, Book.Holding> h : book.holdings().entrySet()) {
            BigDecimal mark = mark(h.getKey());
            upnl = upnl.add(
                    h.getValue().qty().multiply(mark.subtract(h.getValue().entry())));
            locked = locked.add(h.getValue().qty().abs().multiply(mark).multiply(IMF));
        }
        BigDecimal equity = book.balance().add(upnl);
        return Json.object()
                .put("assetsValue", equity.toPlainString())
                .put("borrowLiability", "0")
                .put("imf", IMF.toPlainString())
                .put("mmf", MMF.toPlainString())
                .putNull("marginFraction")
                .put("liabilitiesValue", "0")
                .put("netEquity", equity.toPlainString())
                .put("netEquityAvailable", equity.subtract(locked).toPlainString())
                .put("netEquityLocked", locked.toPlainString())
                .put("pnlUnrealized", upnl.toPlainString());
    }

    private ArrayNode positions() {
        ArrayNode out = Json.array();
        book.holdings().forEach((symbol, h) -> {
            BigDecimal mark = mark(symbol);
            out.addObject()
                    .put("symbol", symbol)
                    .put("netQuantity", h.qty().toPlainString())
                    .put("netExposureQuantity", h.qty().abs().toPlainString())
                    .put("netExposureNotional", h.qty().abs().multiply(mark).toPlainString())
                    .put("entryPrice", h.entry().toPlainString())
                    .put("markPrice", mark.toPlainString())
                    .put("estLiquidationPrice", "0")
                    .put("pnlRealized", "0")
                    .put(
                            "pnlUnrealized",
                            h.qty().multiply(mark.subtract(h.entry())).toPlainString())
                    .put("imf", IMF.toPlainString())
                    .put("mmf", MMF.toPlainString());
        });
        return out;
    }

    private ObjectNode account() {
        return Json.object()
                .put("leverageLimit", leverageLimit.toPlainString())
                .put("liquidating", false)
                .put("futuresTakerFee", FEE_RATE.movePointRight(4).toPlainString());
    }

    private Reply accountUpdate(JsonNode body) {
        JsonNode limit = body.get("leverageLimit");
        if (limit != null) {
            try {
                leverageLimit = new BigDecimal(limit.asText());
            } catch (NumberFormatException e) {
                return error(400, "INVALID_CLIENT_REQUEST", "Invalid leverageLimit");
            }
        }
        return Reply.empty();
    }

    /** Executes a market order now (the reply goes back half a round trip later). */
    private Reply order(JsonNode body, long now) {
        String symbol = body.path("symbol").asText(null);
        Optional<BenchMarkets.Market> market = markets.backpack(symbol);
        if (market.isEmpty()) {
            return error(400, "INVALID_MARKET", "Invalid market " + symbol);
        }
        JsonNode clientId = body.get("clientId");
        if (!"Market".equals(body.path("orderType").asText()) || clientId == null || !clientId.isIntegralNumber()) {
            return error(400, "INVALID_CLIENT_REQUEST", "a Market order with a numeric clientId is expected");
        }
        String id = clientId.asText();
        String side = body.path("side").asText();
        if (!side.equals("Bid") && !side.equals("Ask")) {
            return error(400, "INVALID_CLIENT_REQUEST", "side must be Bid or Ask")
                    .forOrder(id);
        }
        BigDecimal qty;
        try {
            qty = new BigDecimal(body.path("quantity").asText());
        } catch (NumberFormatException e) {
            return error(400, "INVALID_QUANTITY", "Invalid quantity").forOrder(id);
        }
        if (qty.signum() <= 0 || qty.remainder(market.get().step()).signum() != 0) {
            return error(400, "INVALID_QUANTITY", "Quantity decimal too long").forOrder(id);
        }
        boolean reduceOnly = body.path("reduceOnly").asBoolean(false);
        if (rejections.refuse(reduceOnly)) {
            return error(400, "INSUFFICIENT_MARGIN", "Insufficient margin").forOrder(id);
        }
        BigDecimal price = prices.mark(market.get(), BackpackExchange.VENUE);
        OrderSide orderSide = side.equals("Bid") ? OrderSide.BUY : OrderSide.SELL;
        Optional<Book.Execution> done = book.execute(id, symbol, orderSide, qty, reduceOnly, price, now);
        if (done.isEmpty()) {
            return error(400, "INVALID_ORDER", "Order with client ID already exists: " + id)
                    .forOrder(id);
        }
        Book.Execution e = done.get();
        ObjectNode reply = Json.object()
                .put("id", e.orderId())
                .put("clientId", clientId.asLong())
                .put("symbol", symbol)
                .put("side", side)
                .put("orderType", "Market")
                .put("quantity", qty.toPlainString())
                .put("executedQuantity", e.filled().toPlainString())
                .put("executedQuoteQuantity", e.quote().toPlainString())
                .put("status", status(e))
                .put("timeInForce", "GTC")
                .put("reduceOnly", reduceOnly)
                .put("createdAt", now);
        return Reply.json(200, reply.toString()).forOrder(id);
    }

    private static String status(Book.Execution e) {
        return e.complete() ? "Filled" : "Expired";
    }

    private static String side(Book.Execution e) {
        return e.side() == OrderSide.BUY ? "Bid" : "Ask";
    }

    /** {@code /wapi/v1/history/orders}: the book's orders, newest first unless {@code sortDirection=Asc}. */
    private ArrayNode history(Call call) {
        List<ObjectNode> out = new ArrayList<>();
        for (Book.Execution e : ordered(call)) {
            ObjectNode o = Json.object()
                    .put("id", e.orderId())
                    .put("clientId", Long.parseLong(e.clientId()))
                    .put("symbol", e.symbol())
                    .put("side", side(e))
                    .put("orderType", "Market")
                    .put("quantity", e.qty().toPlainString())
                    .put("executedQuantity", e.filled().toPlainString())
                    .put("executedQuoteQuantity", e.quote().toPlainString())
                    .put("status", status(e))
                    .put("timeInForce", "GTC")
                    .put("reduceOnly", e.reduceOnly())
                    .put("createdAt", Json.naiveUtc(e.atMillis()));
            if (e.executed()) {
                o.putNull("expiryReason");
            } else {
                o.put("expiryReason", "ReduceOnlyNotReduced");
            }
            out.add(o);
        }
        return page(call, out);
    }

    /** {@code /wapi/v1/history/fills}: one fill per executed order, by order or symbol, within from/to. */
    private ArrayNode fills(Call call) {
        Map<String, String> q = call.query();
        if ("AllLiquidation".equals(q.get("fillType"))) {
            return Json.array();
        }
        String orderId = q.get("orderId");
        long from = q.containsKey("from") ? Long.parseLong(q.get("from")) : Long.MIN_VALUE;
        long to = q.containsKey("to") ? Long.parseLong(q.get("to")) : Long.MAX_VALUE;
        List<ObjectNode> out = new ArrayList<>();
        for (Book.Execution e : ordered(call)) {
            if (!e.executed()
                    || (orderId != null && !orderId.equals(e.orderId()))
                    || e.atMillis() < from
                    || e.atMillis() > to) {
                continue;
            }
            ObjectNode f = Json.object()
                    .put("tradeId", 7_000_000L + e.seq())
                    .put("orderId", e.orderId())
                    .put("clientId", e.clientId())
                    .put("symbol", e.symbol())
                    .put("side", side(e))
                    .put("price", e.price().toPlainString())
                    .put("quantity", e.filled().toPlainString())
                    .put("fee", e.fee().toPlainString())
                    .put("feeSymbol", "USDC")
                    .put("isMaker", false)
                    .put("timestamp", Json.naiveUtc(e.atMillis()));
            f.putNull("systemOrderType");
            out.add(f);
        }
        return page(call, out);
    }

    private List<Book.Execution> ordered(Call call) {
        String symbol = call.query().get("symbol");
        List<Book.Execution> out = new ArrayList<>(book.executions().stream()
                .filter(e -> symbol == null || symbol.equals(e.symbol()))
                .toList());
        if (!"Asc".equals(call.query().get("sortDirection"))) {
            Collections.reverse(out);
        }
        return out;
    }

    private static ArrayNode page(Call call, List<ObjectNode> items) {
        Map<String, String> q = call.query();
        int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : DEFAULT_PAGE;
        int offset = q.containsKey("offset") ? Integer.parseInt(q.get("offset")) : 0;
        return Json.page(items, offset, limit);
    }
}
