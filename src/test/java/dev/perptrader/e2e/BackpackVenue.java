package dev.perptrader.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.exchange.backpack.BackpackTestAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * Backpack on WireMock as a stateful venue for one BTC position: FLAT until a Bid market order,
 * LONG 0.005 after it, CLOSED (flat again) after a reduce-only Ask. Mark prices, collateral and
 * positions follow the state; each order's fills are served by its order id, and the fill history
 * of the symbol ({@code fillsSince}: {@code from} given, no {@code orderId}) holds the fills of
 * the orders executed so far. {@code fillType=AllLiquidation} answers no fills, at priority
 * {@value #LIQUIDATIONS_PRIORITY}: a test of a venue that liquidated registers its liquidation
 * fills above that. Markets carry their own {@code fundingInterval}. The venue clock
 * ({@code GET /api/v1/time}) is whatever {@link #clockIs} last said.
 */
final class BackpackVenue {
    static final String SYMBOL = "BTC_USDC_PERP";
    static final String ORDER = "/api/v1/order";
    static final String MARK_PRICES = "/api/v1/markPrices";
    static final String COLLATERAL = "/api/v1/capital/collateral";
    static final String POSITION = "/api/v1/position";
    static final String ACCOUNT = "/api/v1/account";
    static final String FILLS = "/wapi/v1/history/fills";
    static final String HISTORY_ORDERS = "/wapi/v1/history/orders";
    static final String FUNDING = "/wapi/v1/history/funding";
    static final String TIME = "/api/v1/time";

    /** The priority of the (empty) {@code fillType=AllLiquidation} answer; lower numbers win. */
    static final int LIQUIDATIONS_PRIORITY = 3;

    static final String OPEN_ORDER_ID = "112233445501";
    static final String CLOSE_ORDER_ID = "112233445502";

    static final String SCENARIO = "backpack BTC position";
    static final String FLAT = Scenario.STARTED;
    static final String LONG = "long";
    static final String CLOSED = "closed";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMock wm;

    BackpackVenue(WireMockRuntimeInfo info) {
        this.wm = info.getWireMock();
    }

    /** Installs the venue, its clock at {@code now}. */
    void install(Instant now) {
        clockIs(now);
        wm.register(get(urlPathEqualTo("/api/v1/markets"))
                .withQueryParam("marketType", equalTo("PERP"))
                .willReturn(okJson(BackpackTestAccess.fixture("markets.json"))));
        wm.register(get(urlPathEqualTo(ACCOUNT)).willReturn(okJson(BackpackTestAccess.fixture("account.json"))));
        wm.register(patch(urlPathEqualTo(ACCOUNT)).willReturn(aResponse().withStatus(200)));

        wm.register(inState(get(urlPathEqualTo(MARK_PRICES)), FLAT)
                .willReturn(okJson(Fixtures.read("backpack/markPrices_flat.json"))));
        wm.register(inState(get(urlPathEqualTo(MARK_PRICES)), LONG)
                .willReturn(okJson(Fixtures.read("backpack/markPrices_held.json"))));
        wm.register(inState(get(urlPathEqualTo(MARK_PRICES)), CLOSED)
                .willReturn(okJson(Fixtures.read("backpack/markPrices_held.json"))));
        wm.register(inState(get(urlPathEqualTo(COLLATERAL)), FLAT)
                .willReturn(okJson(Fixtures.read("backpack/collateral_flat.json"))));
        wm.register(inState(get(urlPathEqualTo(COLLATERAL)), LONG)
                .willReturn(okJson(Fixtures.read("backpack/collateral_long.json"))));
        wm.register(inState(get(urlPathEqualTo(COLLATERAL)), CLOSED)
                .willReturn(okJson(Fixtures.read("backpack/collateral_closed.json"))));
        wm.register(inState(get(urlPathEqualTo(POSITION)), FLAT).willReturn(okJson("[]")));
        wm.register(inState(get(urlPathEqualTo(POSITION)), LONG)
                .willReturn(okJson(Fixtures.read("backpack/positions_long.json"))));
        wm.register(inState(get(urlPathEqualTo(POSITION)), CLOSED).willReturn(okJson("[]")));

        wm.register(inState(post(urlPathEqualTo(ORDER)), FLAT)
                .withRequestBody(matchingJsonPath("$.side", equalTo("Bid")))
                .willSetStateTo(LONG)
                .willReturn(okJson(Fixtures.read("backpack/order_open_filled.json"))
                        .withTransformers("response-template")));
        wm.register(inState(post(urlPathEqualTo(ORDER)), LONG)
                .withRequestBody(matchingJsonPath("$.side", equalTo("Ask")))
                .withRequestBody(matchingJsonPath("$.reduceOnly", equalTo("true")))
                .willSetStateTo(CLOSED)
                .willReturn(okJson(Fixtures.read("backpack/order_close_filled.json"))
                        .withTransformers("response-template")));

        wm.register(get(urlPathEqualTo(FILLS))
                .withQueryParam("orderId", equalTo(OPEN_ORDER_ID))
                .withQueryParam("symbol", equalTo(SYMBOL))
                .willReturn(okJson(Fixtures.read("backpack/fills_open.json"))));
        wm.register(get(urlPathEqualTo(FILLS))
                .withQueryParam("orderId", equalTo(CLOSE_ORDER_ID))
                .withQueryParam("symbol", equalTo(SYMBOL))
                .willReturn(okJson(Fixtures.read("backpack/fills_close.json"))));
        wm.register(get(urlPathEqualTo(FUNDING))
                .withQueryParam("symbol", equalTo(SYMBOL))
                .willReturn(okJson(Fixtures.read("backpack/funding.json"))));

        wm.register(get(urlPathEqualTo(FILLS))
                .atPriority(LIQUIDATIONS_PRIORITY)
                .withQueryParam("symbol", equalTo(SYMBOL))
                .withQueryParam("fillType", equalTo("AllLiquidation"))
                .willReturn(okJson("[]")));
        wm.register(history(inState(get(urlPathEqualTo(FILLS)), FLAT)).willReturn(okJson("[]")));
        wm.register(history(inState(get(urlPathEqualTo(FILLS)), LONG))
                .willReturn(okJson(Fixtures.read("backpack/fills_open.json"))));
        wm.register(history(inState(get(urlPathEqualTo(FILLS)), CLOSED))
                .willReturn(okJson(concat("backpack/fills_open.json", "backpack/fills_close.json"))));
    }

    /** The fill history query of {@code fillsSince}: the symbol from a time, every fill type. */
    private static ScenarioMappingBuilder history(ScenarioMappingBuilder m) {
        return m.withQueryParam("symbol", equalTo(SYMBOL))
                .withQueryParam("from", matching("[0-9]+"))
                .withQueryParam("orderId", absent())
                .withQueryParam("fillType", absent());
    }

    /** The fills of the fixtures, oldest first, as one JSON array. */
    private static String concat(String... fixtures) {
        ArrayNode out = JSON.createArrayNode();
        for (String f : fixtures) {
            read(f).forEach(out::add);
        }
        return out.toString();
    }

    /**
     * A record of the orders this venue executes, for {@link #keepsOrderHistory}; its extensions
     * must be on the server.
     */
    static ExecutedOrders executedOrders() {
        return new ExecutedOrders(ORDER, SCENARIO, BackpackVenue::history);
    }

    /**
     * The order history and the fills of the symbol (the client's lookup by client id, and
     * {@code fillsSince}) show every order the venue executed, whether or not its reply reached
     * the client, and nothing else. Needs a server built with the extensions of
     * {@link #executedOrders()}.
     */
    void keepsOrderHistory() {
        wm.register(get(urlPathEqualTo(HISTORY_ORDERS))
                .withQueryParam("symbol", equalTo(SYMBOL))
                .willReturn(aResponse().withTransformers(ExecutedOrders.LOOKUP)));
        wm.register(get(urlPathEqualTo(FILLS))
                .withQueryParam("symbol", equalTo(SYMBOL))
                .withQueryParam("orderId", absent())
                .withQueryParam("fillType", absent())
                .willReturn(aResponse().withTransformers(ExecutedOrders.LOOKUP)));
    }

    /**
     * {@code /wapi/v1/history/orders} or the fills by symbol, newest first: the open order
     * (a Bid) fills as {@code fills_open.json}, the close (an Ask) as {@code fills_close.json}.
     */
    private static ResponseDefinition history(Request request, List<JsonNode> executed) {
        ArrayNode out = JSON.createArrayNode();
        boolean orders = HISTORY_ORDERS.equals(URI.create(request.getUrl()).getPath());
        if (request.queryParameter("offset").isPresent()) {
            return okJson(out.toString()).build();
        }
        for (int i = executed.size() - 1; i >= 0; i--) {
            JsonNode body = executed.get(i);
            boolean bid = "Bid".equals(body.path("side").asText());
            String clientId = body.path("clientId").asText();
            JsonNode fills = read(bid ? "backpack/fills_open.json" : "backpack/fills_close.json");
            if (!orders) {
                fills.forEach(f -> out.add(((ObjectNode) f.deepCopy()).put("clientId", clientId)));
                continue;
            }
            BigDecimal qty = BigDecimal.ZERO;
            BigDecimal quote = BigDecimal.ZERO;
            for (JsonNode f : fills) {
                BigDecimal q = new BigDecimal(f.path("quantity").asText());
                qty = qty.add(q);
                quote = quote.add(q.multiply(new BigDecimal(f.path("price").asText())));
            }
            ObjectNode o = out.addObject();
            o.put("id", bid ? OPEN_ORDER_ID : CLOSE_ORDER_ID);
            o.put("clientId", body.path("clientId").asLong());
            o.put("symbol", SYMBOL);
            o.put("side", body.path("side").asText());
            o.put("orderType", "Market");
            o.putNull("price");
            o.put("quantity", body.path("quantity").asText());
            o.put("executedQuantity", qty.toPlainString());
            o.put("executedQuoteQuantity", quote.toPlainString());
            o.put("status", "Filled");
            o.put("timeInForce", "GTC");
            if (body.has("reduceOnly")) {
                o.put("reduceOnly", body.path("reduceOnly").asBoolean());
            } else {
                o.putNull("reduceOnly");
            }
            o.put("createdAt", fills.get(0).path("timestamp").asText());
            o.putNull("expiryReason");
        }
        return okJson(out.toString()).build();
    }

    private static JsonNode read(String fixture) {
        try {
            return JSON.readTree(Fixtures.read(fixture));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The venue's clock reads {@code now} from here on (the client measures its offset against it). */
    void clockIs(Instant now) {
        wm.register(get(urlPathEqualTo(TIME))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/plain")
                        .withBody(Long.toString(now.toEpochMilli()))));
    }

    /** Every order POST received, oldest first. */
    List<LoggedRequest> orders() {
        return wm.find(postRequestedFor(urlPathEqualTo(ORDER)));
    }

    /** How many GETs of {@code path} were received so far. */
    int gets(String path) {
        return wm.find(getRequestedFor(urlPathEqualTo(path))).size();
    }

    /** Verifies every signed request received so far with the public key; returns how many. */
    int assertAllSignedRequestsVerify() {
        return BackpackTestAccess.assertAllSignedRequestsVerify(wm.getServeEvents());
    }

    WireMock client() {
        return wm;
    }

    private static ScenarioMappingBuilder inState(MappingBuilder m, String state) {
        return m.inScenario(SCENARIO).whenScenarioStateIs(state);
    }
}
