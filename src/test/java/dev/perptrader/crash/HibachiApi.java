package dev.perptrader.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.hibachi.HibachiTestAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hibachi's REST API (api and data host on one server) over a {@link Ledger}, for a WireMock
 * server whose one stub names {@link #NAME}: contracts from the documented exchange-info, fixed
 * mark prices, account info from the ledger, market orders executed when they arrive and
 * answered {@code latencyMs} later, orders found by id or by nonce (errorCode 3 for a nonce never
 * executed), order history and trades of every executed order, no funding. Every account call
 * must carry the test API key; an order must carry a valid HMAC, a nonce within the nonce window
 * of the venue's clock (15 s, or the shorter window the test sets) and never used before, or it
 * is refused unexecuted.
 */
final class HibachiApi implements ResponseDefinitionTransformerV2 {
    static final String NAME = "crash-hibachi";
    private static final long NONCE_WINDOW_MS = 15_000;
    private static final BigDecimal BALANCE = new BigDecimal("100000");
    private static final String ACCOUNT = Long.toString(HibachiTestAccess.ACCOUNT_ID);
    private static final Map<String, BigDecimal> MARKS = Map.of(
            "BTC/USDT-P", new BigDecimal("60006.0"),
            "ETH/USDT-P", new BigDecimal("3000.30"),
            "SOL/USDT-P", new BigDecimal("150.015"));

    private record Contract(long id, BigDecimal step, boolean live) {}

    private final Ledger ledger = new Ledger(590_000_000_000_000_001L);
    private final int latencyMs;
    private final long nonceWindowMs;
    private final Map<String, Contract> contracts;

    /** Replies to orders {@code latencyMs} after executing them; refuses nonces further than {@code acceptMs}. */
    HibachiApi(int latencyMs, long acceptMs) {
        this.latencyMs = latencyMs;
        this.nonceWindowMs = Math.min(NONCE_WINDOW_MS, acceptMs);
        this.contracts = contracts();
    }

    Ledger ledger() {
        return ledger;
    }

    private static Map<String, Contract> contracts() {
        Map<String, Contract> out = new LinkedHashMap<>();
        try {
            for (JsonNode c : Replies.JSON
                    .readTree(HibachiTestAccess.fixture("exchange-info.json"))
                    .path("futureContracts")) {
                out.put(
                        c.path("symbol").asText(),
                        new Contract(
                                c.path("id").asLong(),
                                new BigDecimal(c.path("stepSize").asText()),
                                "LIVE".equals(c.path("status").asText())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request r = event.getRequest();
        String path = Replies.path(r);
        String call = r.getMethod().getName() + " " + path;
        if (call.startsWith("GET /__crash/")) {
            return call.endsWith("/executed")
                    ? Replies.json(200, ledger.executionsJson(Replies.JSON))
                    : Replies.json(200, ledger.positionsJson(Replies.JSON));
        }
        if (path.startsWith("/trade/") && !HibachiTestAccess.API_KEY.equals(r.getHeader("Authorization"))) {
            return error(401, 1, "Unauthorized: unknown API key");
        }
        if (path.startsWith("/trade/")
                && r.getMethod().getName().equals("GET")
                && !ACCOUNT.equals(Replies.query(r, "accountId"))) {
            return error(400, 4, "Invalid input: accountId");
        }
        long now = System.currentTimeMillis();
        return switch (call) {
            case "GET /exchange/utc-timestamp" -> Replies.json(200, "{\"timestampMs\":" + now + "}");
            case "GET /market/exchange-info" -> Replies.json(200, HibachiTestAccess.fixture("exchange-info.json"));
            case "GET /market/data/prices" -> prices(Replies.query(r, "symbol"), now);
            case "GET /trade/account/info" -> Replies.json(200, accountInfo());
            case "POST /trade/order" -> order(r, now);
            case "GET /trade/order" -> lookup(r);
            case "GET /trade/orders/history" -> Replies.json(200, history(r));
            case "GET /trade/account/trades" -> Replies.json(200, trades());
            case "GET /trade/account/settlements_history" -> Replies.json(200, "{\"settlements\":[]}");
            default -> error(404, 3, "Not found: " + call);
        };
    }

    private ResponseDefinition prices(String symbol, long now) {
        BigDecimal mark = symbol == null ? null : MARKS.get(symbol);
        if (mark == null) {
            return error(400, 4, "Invalid input: symbol " + symbol);
        }
        ObjectNode p = Replies.JSON
                .createObjectNode()
                .put("symbol", symbol)
                .put("markPrice", mark.toPlainString())
                .put("spotPrice", mark.toPlainString())
                .put("tradePrice", mark.toPlainString());
        p.putObject("fundingRateEstimation")
                .put("estimatedFundingRate", "0.000024")
                .put("nextFundingTimestamp", (now / 28_800_000 + 1) * 28_800);
        return Replies.json(200, p);
    }

    private ObjectNode accountInfo() {
        BigDecimal fees =
                ledger.executions().stream().map(Ledger.Execution::fee).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal balance = BALANCE.subtract(fees);
        BigDecimal locked = BigDecimal.ZERO;
        ObjectNode info = Replies.JSON.createObjectNode();
        ArrayNode positions = info.putArray("positions");
        for (Map.Entry<String, BigDecimal> p : ledger.positions().entrySet()) {
            BigDecimal qty = p.getValue().abs();
            BigDecimal mark = MARKS.get(p.getKey());
            BigDecimal entry = ledger.entry(p.getKey());
            locked = locked.add(qty.multiply(mark).movePointLeft(1));
            positions
                    .addObject()
                    .put("symbol", p.getKey())
                    .put("direction", p.getValue().signum() > 0 ? "Long" : "Short")
                    .put("quantity", qty.toPlainString())
                    .put("openPrice", entry.toPlainString())
                    .put("markPrice", mark.toPlainString())
                    .put("entryNotional", qty.multiply(entry).toPlainString())
                    .put("notionalValue", qty.multiply(mark).toPlainString())
                    .put(
                            "unrealizedTradingPnl",
                            p.getValue().multiply(mark.subtract(entry)).toPlainString());
        }
        return info.put("balance", balance.toPlainString())
                .put("maximalWithdraw", balance.subtract(locked).toPlainString());
    }

    /** Executes a market order now; the reply comes {@code latencyMs} later. */
    private ResponseDefinition order(Request r, long now) {
        JsonNode body = Replies.body(r);
        if (body == null) {
            return error(400, 4, "Invalid input: body is not a JSON object");
        }
        if (!HibachiTestAccess.hmacVerifies(r.getBodyAsString())) {
            return error(400, 2, "Invalid signature");
        }
        if (!ACCOUNT.equals(body.path("accountId").asText())) {
            return error(400, 4, "Invalid input: accountId");
        }
        String symbol = body.path("symbol").asText();
        Contract contract = contracts.get(symbol);
        if (contract == null || !contract.live() || !MARKS.containsKey(symbol)) {
            return error(400, 4, "Invalid input: market " + symbol + " is not open");
        }
        String nonce = body.path("nonce").asText();
        if (Math.abs(body.path("nonce").asLong() / 1000 - now) > nonceWindowMs) {
            return error(400, 4, "Invalid input: nonce " + nonce + " is too far from the server time");
        }
        if (ledger.byClientId(nonce).isPresent()) {
            return error(400, 4, "Invalid input: nonce " + nonce + " was used before");
        }
        BigDecimal qty = new BigDecimal(body.path("quantity").asText());
        if (qty.signum() <= 0 || qty.remainder(contract.step()).signum() != 0) {
            return error(400, 4, "Invalid input: Invalid quantity: " + qty.toPlainString());
        }
        OrderSide side = "BID".equals(body.path("side").asText()) ? OrderSide.BUY : OrderSide.SELL;
        Ledger.Execution e = ledger.execute(
                nonce,
                symbol,
                side,
                qty,
                "REDUCE_ONLY".equals(body.path("orderFlags").asText()),
                MARKS.get(symbol),
                now);
        return Replies.json(200, "{\"orderId\":\"" + e.orderId() + "\"}", latencyMs);
    }

    /** {@code GET /trade/order} by {@code orderId} or by {@code nonce}. */
    private ResponseDefinition lookup(Request r) {
        String orderId = Replies.query(r, "orderId");
        String nonce = Replies.query(r, "nonce");
        Optional<Ledger.Execution> found = orderId != null
                ? ledger.byOrderId(orderId)
                : nonce != null ? ledger.byClientId(nonce) : Optional.empty();
        if (found.isEmpty()) {
            return error(404, 3, "Not found: " + (orderId != null ? "order " + orderId : "nonce " + nonce));
        }
        Ledger.Execution e = found.get();
        ObjectNode o = Replies.JSON
                .createObjectNode()
                .put("accountId", HibachiTestAccess.ACCOUNT_ID)
                .put("availableQuantity", e.qty().subtract(e.filled()).toPlainString())
                .put("contractId", contracts.get(e.symbol()).id())
                .put("creationTime", e.atMs() / 1000)
                .put("finishTime", e.atMs() / 1000)
                .put("orderId", e.orderId())
                .put("orderType", "MARKET")
                .put("side", e.side() == OrderSide.BUY ? "BID" : "ASK")
                .put(
                        "status",
                        e.filled().compareTo(e.qty()) == 0
                                ? "FILLED"
                                : e.executed() ? "PARTIAL_CANCELLED" : "CANCELLED")
                .put("symbol", e.symbol())
                .put("totalQuantity", e.qty().toPlainString());
        o.putNull("price");
        if (e.reduceOnly()) {
            o.put("orderFlags", "REDUCE_ONLY");
        }
        return Replies.json(200, o);
    }

    /** {@code /trade/orders/history} from {@code startTime} (ms), newest first. */
    private ObjectNode history(Request r) {
        long start = Replies.query(r, "startTime") == null ? 0 : Long.parseLong(Replies.query(r, "startTime"));
        ObjectNode out = Replies.JSON.createObjectNode().put("hasMore", false);
        ArrayNode orders = out.putArray("orders");
        for (Ledger.Execution e : newestFirst()) {
            if (e.atMs() < start) {
                continue;
            }
            orders.addObject()
                    .put("accountId", HibachiTestAccess.ACCOUNT_ID)
                    .put("avgFillPrice", e.executed() ? e.price().toPlainString() : "0")
                    .put("createdAt", e.atMs())
                    .put("closedAt", e.atMs())
                    .put("filledQuantity", e.filled().toPlainString())
                    .put("orderId", e.orderId())
                    .put("orderType", "MARKET")
                    .put("side", e.side() == OrderSide.BUY ? "BID" : "ASK")
                    .put("status", e.filled().compareTo(e.qty()) == 0 ? "Filled" : "Cancelled")
                    .put("symbol", e.symbol())
                    .put("totalQuantity", e.qty().toPlainString());
        }
        return out;
    }

    /** {@code /trade/account/trades}: the 100 most recent, one per executed order. */
    private ObjectNode trades() {
        ObjectNode out = Replies.JSON.createObjectNode();
        ArrayNode trades = out.putArray("trades");
        for (Ledger.Execution e : newestFirst()) {
            if (!e.executed() || trades.size() == 100) {
                continue;
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
                    .put("timestamp", e.atMs() / 1000);
            if (e.side() == OrderSide.BUY) {
                t.put("bidOrderId", e.orderId()).putNull("askOrderId");
            } else {
                t.putNull("bidOrderId").put("askOrderId", e.orderId());
            }
        }
        return out;
    }

    private List<Ledger.Execution> newestFirst() {
        List<Ledger.Execution> all = new ArrayList<>(ledger.executions());
        Collections.reverse(all);
        return all;
    }

    private static ResponseDefinition error(int status, int code, String message) {
        return Replies.json(
                status,
                Replies.JSON
                        .createObjectNode()
                        .put("errorCode", code)
                        .put("message", message)
                        .put("status", "failed"));
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
