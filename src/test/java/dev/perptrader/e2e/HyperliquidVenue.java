package dev.perptrader.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.exchange.hyperliquid.HyperliquidTestAccess;
import java.util.List;

/**
 * Hyperliquid on WireMock as a stateful venue for one BTC position: FLAT until an IOC order on
 * the opening side ({@code long}: a buy, else a sell), HELD (0.005) after it, CLOSED (flat again)
 * after a reduce-only IOC the other way. Marks, the account, the fills and the funding payments
 * follow the state. Every {@code /exchange} reply goes through the venue's signature check (the
 * server needs {@link HyperliquidTestAccess#signerCheck()}): an action signed by anyone but the
 * account's API wallet is refused as Hyperliquid refuses an unknown signer, and changes nothing.
 */
final class HyperliquidVenue {
    static final String SYMBOL = "BTC";
    static final String INFO = "/info";
    static final String EXCHANGE = "/exchange";
    static final long OPEN_OID = 1001;
    static final long CLOSE_OID = 1002;
    static final String OPEN_PX = "59990";
    static final String CLOSE_PX = "60114";

    static final String SCENARIO = "hyperliquid BTC position";
    static final String FLAT = Scenario.STARTED;
    static final String HELD = "held";
    static final String CLOSED = "closed";

    private final WireMock wm;
    private final boolean opensLong;

    HyperliquidVenue(WireMockRuntimeInfo info, boolean opensLong) {
        this.wm = info.getWireMock();
        this.opensLong = opensLong;
    }

    void install() {
        wm.register(inState(info("metaAndAssetCtxs"), FLAT).willReturn(okJson(meta("59990.0"))));
        for (String held : List.of(HELD, CLOSED)) {
            wm.register(inState(info("metaAndAssetCtxs"), held).willReturn(okJson(meta("60115.0"))));
        }
        wm.register(inState(info("clearinghouseState"), FLAT).willReturn(okJson(state(null))));
        wm.register(
                inState(info("clearinghouseState"), HELD).willReturn(okJson(state(opensLong ? "0.005" : "-0.005"))));
        wm.register(inState(info("clearinghouseState"), CLOSED).willReturn(okJson(state(null))));
        wm.register(inState(info("userFills"), FLAT).willReturn(okJson("[]")));
        wm.register(inState(info("userFills"), HELD).willReturn(okJson("[" + openFill() + "]")));
        wm.register(inState(info("userFills"), CLOSED).willReturn(okJson("[" + closeFill() + "," + openFill() + "]")));
        wm.register(inState(info("userFillsByTime"), FLAT).willReturn(okJson("[]")));
        wm.register(inState(info("userFillsByTime"), HELD).willReturn(okJson("[" + openFill() + "]")));
        wm.register(inState(info("userFillsByTime"), CLOSED)
                .willReturn(okJson("[" + openFill() + "," + closeFill() + "]")));
        // hourly funding at 16:00 and 17:00 UTC: a long pays, a short receives
        String sign = opensLong ? "-" : "";
        wm.register(post(urlPathEqualTo(INFO))
                .withRequestBody(matchingJsonPath("$.type", equalTo("userFunding")))
                .willReturn(okJson(
                        "[{\"time\":1772467200000,\"hash\":\"0x1\",\"delta\":{\"type\":\"funding\",\"coin\":\"BTC\","
                                + "\"usdc\":\"" + sign + "0.00375\",\"szi\":\"0.005\",\"fundingRate\":\"0.0000125\"}},"
                                + "{\"time\":1772470800000,\"hash\":\"0x2\",\"delta\":{\"type\":\"funding\",\"coin\":\"BTC\","
                                + "\"usdc\":\"" + sign
                                + "0.00376\",\"szi\":\"0.005\",\"fundingRate\":\"0.0000125\"}}]")));

        wm.register(post(urlPathEqualTo(EXCHANGE))
                .withRequestBody(matchingJsonPath("$.action.type", equalTo("updateLeverage")))
                .willReturn(okJson("{\"status\":\"ok\",\"response\":{\"type\":\"default\"}}")
                        .withTransformers(HyperliquidTestAccess.CHECKED)));
        wm.register(inState(post(urlPathEqualTo(EXCHANGE)), FLAT)
                .withRequestBody(matchingJsonPath("$.action.type", equalTo("order")))
                .withRequestBody(matchingJsonPath("$.action.orders[0].b", equalTo(Boolean.toString(opensLong))))
                .withRequestBody(matchingJsonPath("$.action.orders[0].r", equalTo("false")))
                .willSetStateTo(HELD)
                .willReturn(okJson(filled(OPEN_PX, OPEN_OID)).withTransformers(HyperliquidTestAccess.CHECKED)));
        wm.register(inState(post(urlPathEqualTo(EXCHANGE)), HELD)
                .withRequestBody(matchingJsonPath("$.action.type", equalTo("order")))
                .withRequestBody(matchingJsonPath("$.action.orders[0].b", equalTo(Boolean.toString(!opensLong))))
                .withRequestBody(matchingJsonPath("$.action.orders[0].r", equalTo("true")))
                .willSetStateTo(CLOSED)
                .willReturn(okJson(filled(CLOSE_PX, CLOSE_OID)).withTransformers(HyperliquidTestAccess.CHECKED)));
    }

    /** Every opening order from now on is refused per order ("Insufficient margin"); nothing is placed. */
    void refusesOrders() {
        wm.register(post(urlPathEqualTo(EXCHANGE))
                .atPriority(1)
                .withRequestBody(matchingJsonPath("$.action.type", equalTo("order")))
                .willReturn(okJson("{\"status\":\"ok\",\"response\":{\"type\":\"order\",\"data\":{\"statuses\":"
                                + "[{\"error\":\"Insufficient margin to place order. asset=0\"}]}}}")
                        .withTransformers(HyperliquidTestAccess.CHECKED)));
    }

    /** A record of the orders this venue executes, for {@link #findsOrdersByCloid}; its extensions must be on the server. */
    static ExecutedOrders executedOrders() {
        return new ExecutedOrders(EXCHANGE, SCENARIO, HyperliquidVenue::orderByCloid);
    }

    /**
     * {@code orderStatus} by cloid finds every order the venue executed, whether or not its reply
     * reached the client, and answers {@code unknownOid} for any other. Needs a server built with
     * the extensions of {@link #executedOrders()}.
     */
    void findsOrdersByCloid() {
        wm.register(info("orderStatus").willReturn(okJson("{}").withTransformers(ExecutedOrders.LOOKUP)));
    }

    private static ResponseDefinition orderByCloid(Request request, List<JsonNode> executed) {
        String cloid = json(request.getBodyAsString()).path("oid").asText();
        for (JsonNode body : executed) {
            JsonNode order = body.path("action").path("orders").get(0);
            if (order != null && cloid.equals(order.path("c").asText())) {
                boolean opening = !order.path("r").asBoolean();
                return okJson("{\"status\":\"order\",\"order\":{\"order\":{\"coin\":\"BTC\",\"side\":\""
                                + (order.path("b").asBoolean() ? "B" : "A") + "\",\"limitPx\":\""
                                + order.path("p").asText()
                                + "\",\"sz\":\"0.0\",\"oid\":" + (opening ? OPEN_OID : CLOSE_OID)
                                + ",\"timestamp\":1772465400000,\"origSz\":\"0.005\",\"cloid\":\"" + cloid
                                + "\"},\"status\":\"filled\",\"statusTimestamp\":1772465400100}}")
                        .build();
            }
        }
        return okJson("{\"status\":\"unknownOid\"}").build();
    }

    private static JsonNode json(String body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static MappingBuilder info(String type) {
        return post(urlPathEqualTo(INFO)).withRequestBody(matchingJsonPath("$.type", equalTo(type)));
    }

    private static ScenarioMappingBuilder inState(MappingBuilder m, String state) {
        return m.inScenario(SCENARIO).whenScenarioStateIs(state);
    }

    private static String meta(String btcMark) {
        return "[{\"universe\":[{\"name\":\"BTC\",\"szDecimals\":5,\"maxLeverage\":40},"
                + "{\"name\":\"ETH\",\"szDecimals\":4,\"maxLeverage\":25}]},"
                + "[{\"funding\":\"0.0000125\",\"markPx\":\"" + btcMark + "\",\"openInterest\":\"1000\"},"
                + "{\"funding\":\"0.00001\",\"markPx\":\"3000.0\",\"openInterest\":\"20000\"}]]";
    }

    /** The account flat ({@code szi} null) or holding {@code szi} BTC at the open price, marked at 60115. */
    private static String state(String szi) {
        String positions = szi == null
                ? ""
                : "{\"type\":\"oneWay\",\"position\":{\"coin\":\"BTC\",\"szi\":\"" + szi + "\",\"entryPx\":\"" + OPEN_PX
                        + "\",\"leverage\":{\"type\":\"cross\",\"value\":3},\"positionValue\":\"300.575\","
                        + "\"unrealizedPnl\":\"" + (szi.startsWith("-") ? "-0.625" : "0.625")
                        + "\",\"marginUsed\":\"100.19\"}}";
        String maintenance = szi == null ? "0.0" : "3.00575";
        return "{\"assetPositions\":[" + positions + "],\"marginSummary\":{\"accountValue\":\"1000.0\","
                + "\"totalMarginUsed\":\"0.0\",\"totalNtlPos\":\"0.0\",\"totalRawUsd\":\"1000.0\"},"
                + "\"crossMaintenanceMarginUsed\":\"" + maintenance + "\",\"withdrawable\":\"900.0\"}";
    }

    private static String filled(String px, long oid) {
        return "{\"status\":\"ok\",\"response\":{\"type\":\"order\",\"data\":{\"statuses\":[{\"filled\":"
                + "{\"totalSz\":\"0.005\",\"avgPx\":\"" + px + "\",\"oid\":" + oid + "}}]}}}";
    }

    private String openFill() {
        return fill(OPEN_OID, opensLong ? "B" : "A", OPEN_PX, "0.134978", 1772465400500L);
    }

    private String closeFill() {
        return fill(CLOSE_OID, opensLong ? "A" : "B", CLOSE_PX, "0.135257", 1772469000500L);
    }

    private static String fill(long oid, String side, String px, String fee, long time) {
        return "{\"coin\":\"BTC\",\"side\":\"" + side + "\",\"px\":\"" + px + "\",\"sz\":\"0.005\",\"fee\":\"" + fee
                + "\",\"feeToken\":\"USDC\",\"oid\":" + oid + ",\"time\":" + time + ",\"crossed\":true}";
    }

    /** Every /exchange action received, oldest first. */
    List<LoggedRequest> actions() {
        return wm.find(postRequestedFor(urlPathEqualTo(EXCHANGE)));
    }

    /** Every order action received, oldest first. */
    List<LoggedRequest> orders() {
        return wm.find(postRequestedFor(urlPathEqualTo(EXCHANGE))
                .withRequestBody(matchingJsonPath("$.action.type", equalTo("order"))));
    }

    /** How many /info requests of {@code type} were received so far. */
    int infos(String type) {
        return wm.find(postRequestedFor(urlPathEqualTo(INFO))
                        .withRequestBody(matchingJsonPath("$.type", equalTo(type))))
                .size();
    }

    /** Every request received so far. */
    List<LoggedRequest> requests() {
        return wm.find(anyRequestedFor(anyUrl()));
    }
}
