package dev.perptrader.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.exchange.hibachi.HibachiTestAccess;
import java.time.Instant;
import java.util.List;

/**
 * Hibachi on WireMock (api and data host on one server) as a stateful venue for one BTC
 * position: FLAT until an ASK market order, SHORT 0.005 after it, CLOSED (flat again) after a
 * REDUCE_ONLY BID. Prices, account info, order history and trades (also the fill history of
 * {@code fillsSince}) follow the state; each order's status is served by its order id. A cancel
 * by nonce ({@code DELETE /trade/order}, the key proof) is checked like a venue would: a body whose
 * HMAC verifies is looked up and, no order having that nonce, answered errorCode 3; any other is
 * refused errorCode 2. The venue clock ({@code /exchange/utc-timestamp}) is whatever {@link #clockIs}
 * last said.
 */
final class HibachiVenue {
    static final String SYMBOL = "BTC/USDT-P";
    static final String ORDER = "/trade/order";
    static final String PRICES = "/market/data/prices";
    static final String INVENTORY = "/market/inventory";
    static final String ACCOUNT_INFO = "/trade/account/info";
    static final String HISTORY = "/trade/orders/history";
    static final String TRADES = "/trade/account/trades";
    static final String SETTLEMENTS = "/trade/account/settlements_history";
    static final String EXCHANGE_INFO = "/market/exchange-info";
    static final String TIME = "/exchange/utc-timestamp";

    static final String OPEN_ORDER_ID = "590000000000000001";
    static final String CLOSE_ORDER_ID = "590000000000000002";

    static final String SCENARIO = "hibachi BTC position";
    static final String FLAT = Scenario.STARTED;
    static final String SHORT = "short";
    static final String CLOSED = "closed";

    private static final String ACCOUNT = Long.toString(HibachiTestAccess.ACCOUNT_ID);

    private final WireMock wm;

    HibachiVenue(WireMockRuntimeInfo info) {
        this.wm = info.getWireMock();
    }

    /** Installs the venue, its clock at {@code now}. */
    void install(Instant now) {
        clockIs(now);
        wm.register(
                get(urlPathEqualTo(EXCHANGE_INFO)).willReturn(okJson(HibachiTestAccess.fixture("exchange-info.json"))));

        wm.register(inState(get(urlPathEqualTo(PRICES)), FLAT)
                .withQueryParam("symbol", equalTo(SYMBOL))
                .willReturn(okJson(Fixtures.read("hibachi/prices_flat.json"))));
        for (String held : List.of(SHORT, CLOSED)) {
            wm.register(inState(get(urlPathEqualTo(PRICES)), held)
                    .withQueryParam("symbol", equalTo(SYMBOL))
                    .willReturn(okJson(Fixtures.read("hibachi/prices_held.json"))));
        }
        wm.register(inState(get(urlPathEqualTo(INVENTORY)), FLAT)
                .willReturn(okJson(Fixtures.read("hibachi/inventory_flat.json"))));
        for (String held : List.of(SHORT, CLOSED)) {
            wm.register(inState(get(urlPathEqualTo(INVENTORY)), held)
                    .willReturn(okJson(Fixtures.read("hibachi/inventory_held.json"))));
        }
        wm.register(account(get(urlPathEqualTo(ACCOUNT_INFO)), FLAT)
                .willReturn(okJson(Fixtures.read("hibachi/account_flat.json"))));
        wm.register(account(get(urlPathEqualTo(ACCOUNT_INFO)), SHORT)
                .willReturn(okJson(Fixtures.read("hibachi/account_short.json"))));
        wm.register(account(get(urlPathEqualTo(ACCOUNT_INFO)), CLOSED)
                .willReturn(okJson(Fixtures.read("hibachi/account_closed.json"))));
        wm.register(
                account(get(urlPathEqualTo(HISTORY)), FLAT).willReturn(okJson("{\"hasMore\":false,\"orders\":[]}")));
        wm.register(account(get(urlPathEqualTo(HISTORY)), SHORT)
                .willReturn(okJson(Fixtures.read("hibachi/history_short.json"))));
        wm.register(account(get(urlPathEqualTo(HISTORY)), CLOSED)
                .willReturn(okJson(Fixtures.read("hibachi/history_closed.json"))));
        wm.register(account(get(urlPathEqualTo(TRADES)), FLAT).willReturn(okJson("{\"trades\":[]}")));
        wm.register(account(get(urlPathEqualTo(TRADES)), SHORT)
                .willReturn(okJson(Fixtures.read("hibachi/trades_short.json"))));
        wm.register(account(get(urlPathEqualTo(TRADES)), CLOSED)
                .willReturn(okJson(Fixtures.read("hibachi/trades_closed.json"))));

        wm.register(inState(post(urlPathEqualTo(ORDER)), FLAT)
                .withRequestBody(matchingJsonPath("$.side", equalTo("ASK")))
                .willSetStateTo(SHORT)
                .willReturn(okJson("{\"orderId\":\"" + OPEN_ORDER_ID + "\"}")));
        wm.register(inState(post(urlPathEqualTo(ORDER)), SHORT)
                .withRequestBody(matchingJsonPath("$.side", equalTo("BID")))
                .withRequestBody(matchingJsonPath("$.orderFlags", equalTo("REDUCE_ONLY")))
                .willSetStateTo(CLOSED)
                .willReturn(okJson("{\"orderId\":\"" + CLOSE_ORDER_ID + "\"}")));
        wm.register(get(urlPathEqualTo(ORDER))
                .withQueryParam("accountId", equalTo(ACCOUNT))
                .withQueryParam("orderId", equalTo(OPEN_ORDER_ID))
                .willReturn(okJson(Fixtures.read("hibachi/order_open_filled.json"))));
        wm.register(get(urlPathEqualTo(ORDER))
                .withQueryParam("accountId", equalTo(ACCOUNT))
                .withQueryParam("orderId", equalTo(CLOSE_ORDER_ID))
                .willReturn(okJson(Fixtures.read("hibachi/order_close_filled.json"))));
        wm.register(get(urlPathEqualTo(SETTLEMENTS))
                .withQueryParam("accountId", equalTo(ACCOUNT))
                .withQueryParam("contractId", equalTo("2"))
                .willReturn(okJson(Fixtures.read("hibachi/settlements.json"))));

        wm.register(delete(urlPathEqualTo(ORDER))
                .atPriority(1)
                .andMatching(r -> MatchResult.of(HibachiTestAccess.hmacVerifiesCancel(r.getBodyAsString())))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"errorCode\":3,\"message\":\"Not found: order nonce\",\"status\":\"failed\"}")));
        wm.register(delete(urlPathEqualTo(ORDER))
                .atPriority(2)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"errorCode\":2,\"message\":\"Invalid signature: Failed to verify signature\","
                                + "\"status\":\"failed\"}")));
    }

    /** Every cancel (DELETE) received, oldest first: the key proof's. */
    List<LoggedRequest> cancels() {
        return wm.find(deleteRequestedFor(urlPathEqualTo(ORDER)));
    }

    /**
     * Every order POST from now on is refused with HTTP 400 and {@code errorBody} (the state does
     * not change: nothing was placed).
     */
    void rejectsOrdersWith(String errorBody) {
        wm.register(post(urlPathEqualTo(ORDER))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody(errorBody)));
    }

    /**
     * The next opening order is placed (the position turns SHORT) but its reply is lost in an
     * HTTP 502; the order can then be found by its nonce.
     */
    void losesTheReplyToTheOpeningOrder() {
        wm.register(inState(post(urlPathEqualTo(ORDER)), FLAT)
                .atPriority(1)
                .willSetStateTo(SHORT)
                .willReturn(aResponse()
                        .withStatus(502)
                        .withHeader("Content-Type", "text/html")
                        .withBody("<html><body>502 Bad Gateway</body></html>")));
        wm.register(get(urlPathEqualTo(ORDER))
                .withQueryParam("accountId", equalTo(ACCOUNT))
                .withQueryParam("nonce", matching("[1-9][0-9]*"))
                .willReturn(okJson(Fixtures.read("hibachi/order_open_filled.json"))));
    }

    /**
     * A record of the orders this venue executes, for {@link #findsOrdersByNonce}; its extensions
     * must be on the server.
     */
    static ExecutedOrders executedOrders() {
        return new ExecutedOrders(ORDER, SCENARIO, HibachiVenue::orderByNonce);
    }

    /**
     * {@code GET /trade/order?nonce=} finds every order the venue executed, whether or not its
     * reply reached the client, and answers errorCode 3 "Not found" for any other nonce. Needs a
     * server built with the extensions of {@link #executedOrders()}.
     */
    void findsOrdersByNonce() {
        wm.register(get(urlPathEqualTo(ORDER))
                .withQueryParam("accountId", equalTo(ACCOUNT))
                .withQueryParam("nonce", matching("[0-9]+"))
                .willReturn(aResponse().withTransformers(ExecutedOrders.LOOKUP)));
    }

    /** The opening ASK as {@code order_open_filled.json}, the closing BID as {@code order_close_filled.json}. */
    private static ResponseDefinition orderByNonce(Request request, List<JsonNode> executed) {
        String nonce = request.queryParameter("nonce").firstValue();
        for (JsonNode body : executed) {
            if (body.path("nonce").asText().equals(nonce)) {
                boolean ask = "ASK".equals(body.path("side").asText());
                return okJson(Fixtures.read(ask ? "hibachi/order_open_filled.json" : "hibachi/order_close_filled.json"))
                        .build();
            }
        }
        return aResponse()
                .withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errorCode\":3,\"message\":\"Not found: nonce " + nonce + "\",\"status\":\"failed\"}")
                .build();
    }

    /** The venue's clock reads {@code now} from here on (the client measures its offset against it). */
    void clockIs(Instant now) {
        wm.register(get(urlPathEqualTo(TIME)).willReturn(okJson("{\"timestampMs\":" + now.toEpochMilli() + "}")));
    }

    /** Every order POST received, oldest first. */
    List<LoggedRequest> orders() {
        return wm.find(postRequestedFor(urlPathEqualTo(ORDER)));
    }

    /** Every GET of {@code path} received, oldest first. */
    List<LoggedRequest> getsOf(String path) {
        return wm.find(getRequestedFor(urlPathEqualTo(path)));
    }

    /** How many GETs of {@code path} were received so far. */
    int gets(String path) {
        return wm.find(getRequestedFor(urlPathEqualTo(path))).size();
    }

    /** Every request received so far, oldest first. */
    List<LoggedRequest> requests() {
        return wm.find(anyRequestedFor(anyUrl()));
    }

    private static ScenarioMappingBuilder inState(MappingBuilder m, String state) {
        return m.inScenario(SCENARIO).whenScenarioStateIs(state);
    }

    private static ScenarioMappingBuilder account(MappingBuilder m, String state) {
        return inState(m, state).withQueryParam("accountId", equalTo(ACCOUNT));
    }
}
