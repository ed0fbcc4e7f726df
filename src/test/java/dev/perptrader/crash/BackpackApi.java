package dev.perptrader.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.backpack.BackpackTestAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backpack's REST API over a {@link Ledger}, for a WireMock server whose one stub names
 * {@link #NAME}: markets from the documented fixture, fixed mark prices, collateral and positions
 * from the ledger, market orders executed when they arrive and answered {@code latencyMs} later,
 * the order history and fills of every order executed (so an order whose reply was lost is found
 * by its client id), no funding. Every signed request must verify with the test key pair, and an
 * order that arrives after its {@code X-Timestamp} + {@code X-Window} (or the shorter window the
 * test sets) is refused unexecuted, as "Request has expired".
 */
final class BackpackApi implements ResponseDefinitionTransformerV2 {
    static final String NAME = "crash-backpack";
    private static final BigDecimal EQUITY = new BigDecimal("100000");
    private static final Map<String, BigDecimal> MARKS = Map.of(
            "BTC_USDC_PERP", new BigDecimal("60000.0"),
            "ETH_USDC_PERP", new BigDecimal("3000.00"),
            "SOL_USDC_PERP", new BigDecimal("150.00"));

    private record Market(BigDecimal step, boolean open) {}

    private final Ledger ledger = new Ledger(112_233_000_001L);
    private final int latencyMs;
    private final long acceptMs;
    private final Map<String, Market> markets;

    /** Replies to orders {@code latencyMs} after executing them; refuses orders older than {@code acceptMs}. */
    BackpackApi(int latencyMs, long acceptMs) {
        this.latencyMs = latencyMs;
        this.acceptMs = acceptMs;
        this.markets = markets();
    }

    Ledger ledger() {
        return ledger;
    }

    private static Map<String, Market> markets() {
        Map<String, Market> out = new LinkedHashMap<>();
        try {
            for (JsonNode m : Replies.JSON.readTree(BackpackTestAccess.fixture("markets.json"))) {
                if ("PERP".equals(m.path("marketType").asText())) {
                    out.put(
                            m.path("symbol").asText(),
                            new Market(
                                    new BigDecimal(m.path("filters")
                                            .path("quantity")
                                            .path("stepSize")
                                            .asText()),
                                    "Open".equals(m.path("orderBookState").asText())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request r = event.getRequest();
        String call = r.getMethod().getName() + " " + Replies.path(r);
        if (call.startsWith("GET /__crash/")) {
            return call.endsWith("/executed")
                    ? Replies.json(200, ledger.executionsJson(Replies.JSON))
                    : Replies.json(200, ledger.positionsJson(Replies.JSON));
        }
        try {
            BackpackTestAccess.assertAllSignedRequestsVerify(List.of(event));
        } catch (AssertionError e) {
            return error(401, "INVALID_SIGNATURE", "Invalid signature: " + e.getMessage());
        }
        long now = System.currentTimeMillis();
        return switch (call) {
            case "GET /api/v1/time" -> Replies.text(Long.toString(now));
            case "GET /api/v1/markets" -> Replies.json(200, BackpackTestAccess.fixture("markets.json"));
            case "GET /api/v1/markPrices" -> Replies.json(200, markPrices(now));
            case "GET /api/v1/account" ->
                Replies.json(200, "{\"leverageLimit\":\"10\",\"liquidating\":false,\"futuresTakerFee\":\"4\"}");
            case "PATCH /api/v1/account" -> Replies.empty();
            case "GET /api/v1/capital/collateral" -> Replies.json(200, collateral());
            case "GET /api/v1/position" -> Replies.json(200, positions());
            case "POST /api/v1/order" -> order(r, now);
            case "GET /wapi/v1/history/orders" -> Replies.json(200, page(r, history(r)));
            case "GET /wapi/v1/history/fills" -> Replies.json(200, page(r, fills(r)));
            case "GET /wapi/v1/history/funding" -> Replies.json(200, "[]");
            default -> error(404, "RESOURCE_NOT_FOUND", "no such endpoint: " + call);
        };
    }

    private ArrayNode markPrices(long now) {
        ArrayNode out = Replies.JSON.createArrayNode();
        MARKS.forEach((symbol, mark) -> out.addObject()
                .put("symbol", symbol)
                .put("markPrice", mark.toPlainString())
                .put("indexPrice", mark.toPlainString())
                .put("fundingRate", "0.0000125")
                .put("nextFundingTimestamp", (now / 3_600_000 + 1) * 3_600_000));
        return out;
    }

    private ObjectNode collateral() {
        BigDecimal fees =
                ledger.executions().stream().map(Ledger.Execution::fee).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal locked = ledger.positions().entrySet().stream()
                .map(p -> p.getValue().abs().multiply(MARKS.get(p.getKey())).movePointLeft(1))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal equity = EQUITY.subtract(fees);
        return Replies.JSON
                .createObjectNode()
                .put("assetsValue", equity.toPlainString())
                .put("netEquity", equity.toPlainString())
                .put("netEquityAvailable", equity.subtract(locked).toPlainString())
                .put("netEquityLocked", locked.toPlainString())
                .put("imf", "0.02")
                .put("mmf", "0.0125")
                .put("marginFraction", "10")
                .put("pnlUnrealized", "0");
    }

    private ArrayNode positions() {
        ArrayNode out = Replies.JSON.createArrayNode();
        ledger.positions().forEach((symbol, qty) -> {
            BigDecimal mark = MARKS.get(symbol);
            BigDecimal entry = ledger.entry(symbol);
            out.addObject()
                    .put("symbol", symbol)
                    .put("netQuantity", qty.toPlainString())
                    .put("netExposureQuantity", qty.abs().toPlainString())
                    .put("netExposureNotional", qty.abs().multiply(mark).toPlainString())
                    .put("entryPrice", entry.toPlainString())
                    .put("markPrice", mark.toPlainString())
                    .put("pnlUnrealized", qty.multiply(mark.subtract(entry)).toPlainString())
                    .put("imf", "0.02")
                    .put("mmf", "0.0125");
        });
        return out;
    }

    /** Executes a market order now; the reply comes {@code latencyMs} later. */
    private ResponseDefinition order(Request r, long now) {
        JsonNode body = Replies.body(r);
        if (body == null) {
            return error(400, "INVALID_CLIENT_REQUEST", "body is not a JSON object");
        }
        long timestamp = Long.parseLong(r.getHeader("X-Timestamp"));
        long window = Long.parseLong(r.getHeader("X-Window"));
        if (now > timestamp + Math.min(window, acceptMs)) {
            return error(400, "INVALID_CLIENT_REQUEST", "Request has expired");
        }
        String symbol = body.path("symbol").asText();
        Market market = markets.get(symbol);
        if (market == null || !market.open() || !MARKS.containsKey(symbol)) {
            return error(400, "INVALID_ORDER", "Market " + symbol + " is not open");
        }
        if (!"Market".equals(body.path("orderType").asText())
                || !body.path("clientId").isIntegralNumber()) {
            return error(400, "INVALID_CLIENT_REQUEST", "a Market order with a numeric clientId is expected");
        }
        BigDecimal qty = new BigDecimal(body.path("quantity").asText());
        if (qty.signum() <= 0 || qty.remainder(market.step()).signum() != 0) {
            return error(400, "INVALID_QUANTITY", "Quantity " + qty.toPlainString() + " is not a multiple of the step");
        }
        OrderSide side = "Bid".equals(body.path("side").asText()) ? OrderSide.BUY : OrderSide.SELL;
        Ledger.Execution e = ledger.execute(
                body.path("clientId").asText(),
                symbol,
                side,
                qty,
                body.path("reduceOnly").asBoolean(false),
                MARKS.get(symbol),
                now);
        ObjectNode reply = Replies.JSON
                .createObjectNode()
                .put("id", e.orderId())
                .put("clientId", body.path("clientId").asLong())
                .put("symbol", symbol)
                .put("side", body.path("side").asText())
                .put("orderType", "Market")
                .put("quantity", qty.toPlainString())
                .put("executedQuantity", e.filled().toPlainString())
                .put("executedQuoteQuantity", e.quote().toPlainString())
                .put("status", status(e))
                .put("createdAt", now);
        return Replies.json(200, reply.toString(), latencyMs);
    }

    private static String status(Ledger.Execution e) {
        return e.filled().compareTo(e.qty()) == 0 ? "Filled" : "Expired";
    }

    /** {@code /wapi/v1/history/orders} of a symbol, newest first unless asked otherwise. */
    private List<JsonNode> history(Request r) {
        List<JsonNode> out = new ArrayList<>();
        for (Ledger.Execution e : ordered(r)) {
            ObjectNode o = Replies.JSON
                    .createObjectNode()
                    .put("id", e.orderId())
                    .put("clientId", Long.parseLong(e.clientId()))
                    .put("symbol", e.symbol())
                    .put("side", e.side() == OrderSide.BUY ? "Bid" : "Ask")
                    .put("orderType", "Market")
                    .put("quantity", e.qty().toPlainString())
                    .put("executedQuantity", e.filled().toPlainString())
                    .put("executedQuoteQuantity", e.quote().toPlainString())
                    .put("status", status(e))
                    .put("timeInForce", "GTC")
                    .put("reduceOnly", e.reduceOnly())
                    .put("createdAt", Replies.naiveUtc(e.atMs()));
            if (e.executed()) {
                o.putNull("expiryReason");
            } else {
                o.put("expiryReason", "ReduceOnlyNotReduced");
            }
            out.add(o);
        }
        return out;
    }

    /**
     * {@code /wapi/v1/history/fills}: one fill per executed order, of one order or of a symbol,
     * within {@code from} and {@code to} (epoch ms) when given.
     */
    private List<JsonNode> fills(Request r) {
        String orderId = Replies.query(r, "orderId");
        long from = Replies.query(r, "from") == null ? Long.MIN_VALUE : Long.parseLong(Replies.query(r, "from"));
        long to = Replies.query(r, "to") == null ? Long.MAX_VALUE : Long.parseLong(Replies.query(r, "to"));
        List<JsonNode> out = new ArrayList<>();
        for (Ledger.Execution e : ordered(r)) {
            if (!e.executed()
                    || (orderId != null && !orderId.equals(e.orderId()))
                    || e.atMs() < from
                    || e.atMs() > to) {
                continue;
            }
            out.add(Replies.JSON
                    .createObjectNode()
                    .put("tradeId", 7_000_000L + e.seq())
                    .put("orderId", e.orderId())
                    .put("clientId", e.clientId())
                    .put("symbol", e.symbol())
                    .put("side", e.side() == OrderSide.BUY ? "Bid" : "Ask")
                    .put("price", e.price().toPlainString())
                    .put("quantity", e.filled().toPlainString())
                    .put("fee", e.fee().toPlainString())
                    .put("feeSymbol", "USDC")
                    .put("isMaker", false)
                    .put("timestamp", Replies.naiveUtc(e.atMs())));
        }
        return out;
    }

    /** The ledger's orders on the request's symbol (all when none is named), in the asked direction. */
    private List<Ledger.Execution> ordered(Request r) {
        String symbol = Replies.query(r, "symbol");
        List<Ledger.Execution> out = new ArrayList<>(ledger.executions().stream()
                .filter(e -> symbol == null || symbol.equals(e.symbol()))
                .toList());
        if (!"Asc".equals(Replies.query(r, "sortDirection"))) {
            Collections.reverse(out);
        }
        return out;
    }

    private static ArrayNode page(Request r, List<JsonNode> items) {
        int limit = Replies.query(r, "limit") == null ? 100 : Integer.parseInt(Replies.query(r, "limit"));
        int offset = Replies.query(r, "offset") == null ? 0 : Integer.parseInt(Replies.query(r, "offset"));
        ArrayNode out = Replies.JSON.createArrayNode();
        items.stream().skip(offset).limit(limit).forEach(out::add);
        return out;
    }

    private static ResponseDefinition error(int status, String code, String message) {
        return Replies.json(
                status, Replies.JSON.createObjectNode().put("code", code).put("message", message));
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
