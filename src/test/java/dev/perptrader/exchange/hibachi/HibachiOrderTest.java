package dev.perptrader.exchange.hibachi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.ACCOUNT_ID;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.API_KEY;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.FIRST_NONCE;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.HMAC_SECRET;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.PRIVATE_KEY;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.fixture;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.json;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.orderPosts;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.stubMarketBasics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.OrderRequest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Market orders against a WireMock venue whose stub side rebuilds each payload from the JSON it
 * received and verifies the signature; fill confirmation; lookup by nonce; unknown outcomes.
 */
@WireMockTest
final class HibachiOrderTest {
    private static final String ORDER_ID = "578721673790138368";
    private static final String BTC = "BTC/USDT-P";

    private FakeSleeper sleeper;

    @BeforeEach
    void stubVenue() {
        sleeper = FakeSleeper.unpaced();
        stubMarketBasics();
    }

    private static void stubFilledOrder(String statusFixture) {
        stubFor(post(urlPathEqualTo("/trade/order")).willReturn(okJson(fixture("order-placed.json"))));
        stubFor(get(urlPathEqualTo("/trade/order"))
                .withQueryParam("orderId", equalTo(ORDER_ID))
                .withQueryParam("accountId", equalTo("1234"))
                .willReturn(okJson(fixture(statusFixture))));
        stubFor(get(urlPathEqualTo("/trade/orders/history")).willReturn(okJson(fixture("orders-history.json"))));
        stubFor(get(urlPathEqualTo("/trade/account/trades")).willReturn(okJson(fixture("trades.json"))));
    }

    private static JsonNode onlyOrderBody() {
        List<LoggedRequest> posts = orderPosts();
        assertThat(posts).hasSize(1);
        return json(posts.get(0).getBodyAsString());
    }

    @Test
    void placesAnHmacSignedMarketOrderTheVenueCanVerifyAndConfirmsTheFill(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);
        String clientId = ex.newClientId();

        Fill fill = ex.placeMarketOrder(new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, clientId));

        assertThat(clientId).isEqualTo(Long.toString(FIRST_NONCE));
        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.clientId()).isEqualTo(clientId);
        assertThat(fill.venueOrderId()).isEqualTo(ORDER_ID);
        assertThat(fill.symbol()).isEqualTo(BTC);
        assertThat(fill.side()).isEqualTo(OrderSide.BUY);
        assertThat(fill.filledQty()).isEqualByComparingTo("0.001");
        assertThat(fill.avgPrice()).isEqualByComparingTo("64005.5");
        assertThat(fill.fee()).isEqualByComparingTo("0.028802");

        JsonNode body = onlyOrderBody();
        assertThat(body.get("accountId").isIntegralNumber()).isTrue();
        assertThat(body.get("accountId").asLong()).isEqualTo(ACCOUNT_ID);
        assertThat(body.get("symbol").asText()).isEqualTo(BTC);
        assertThat(body.get("nonce").isIntegralNumber()).isTrue();
        assertThat(body.get("nonce").asLong()).isEqualTo(FIRST_NONCE);
        assertThat(body.get("orderType").asText()).isEqualTo("MARKET");
        assertThat(body.get("side").asText()).isEqualTo("BID");
        assertThat(body.get("quantity").isTextual()).isTrue();
        assertThat(body.get("quantity").asText()).isEqualTo("0.001");
        assertThat(body.get("maxFeesPercent").asText()).isEqualTo("0.001");
        assertThat(body.has("price")).isFalse();
        assertThat(body.has("orderFlags")).isFalse();
        assertThat(body.get("signature").asText()).hasSize(64);
        assertThat(HibachiTestKit.hmacVerifies(body, HMAC_SECRET)).isTrue();

        verify(postRequestedFor(urlPathEqualTo("/trade/order"))
                .withHeader("Authorization", equalTo(API_KEY))
                .withHeader("Content-Type", containing("application/json"))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("User-Agent", equalTo(HibachiHttp.USER_AGENT)));
        verify(getRequestedFor(urlPathEqualTo("/market/exchange-info")).withoutHeader("Authorization"));
    }

    @Test
    void anOrderStillPartlyFilledAfterThePollsIsAnUnknownOutcomeNotASettledPart(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        stubFor(get(urlPathEqualTo("/trade/order"))
                .withQueryParam("orderId", equalTo(ORDER_ID))
                .willReturn(okJson(fixture("order-filled.json")
                        .replace("\"availableQuantity\":\"0.0000000000\"", "\"availableQuantity\":\"0.0004000000\"")
                        .replace("\"status\":\"FILLED\"", "\"status\":\"PARTIALLY_FILLED\""))));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);
        List<Fill> seen = new ArrayList<>();

        assertThatThrownBy(() -> ex.placeMarketOrder(
                        new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId()),
                        seen::add))
                .isInstanceOf(ExchangeException.class)
                .satisfies(e -> assertThat(((ExchangeException) e).error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME))
                .hasMessageContaining("PARTIALLY_FILLED");
        assertThat(seen)
                .as("no verdict is handed on while the order may still fill")
                .isEmpty();
    }

    @Test
    void placesAnEcdsaSignedMarketOrderThatVerifiesAgainstThePublicKey(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        HibachiExchange ex = HibachiTestKit.exchange(
                wm, HibachiTestKit.ecdsaCredentials(wm.getHttpBaseUrl()), sleeper, HibachiExchange.tradingClient());

        Fill fill = ex.placeMarketOrder(
                new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId()));

        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        JsonNode body = onlyOrderBody();
        assertThat(body.get("signature").asText()).hasSize(130).matches("[0-9a-f]+");
        assertThat(HibachiTestKit.ecdsaVerifies(body, PRIVATE_KEY)).isTrue();
        assertThat(HibachiTestKit.hmacVerifies(body, HMAC_SECRET)).isFalse();
    }

    @Test
    void aBodyWhoseQuantityDiffersFromTheSignedOneFailsVerification(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        HibachiExchange hmac = HibachiTestKit.hmacExchange(wm, sleeper);
        hmac.placeMarketOrder(new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, hmac.newClientId()));
        ObjectNode hmacBody = (ObjectNode) onlyOrderBody();
        assertThat(HibachiTestKit.hmacVerifies(hmacBody, HMAC_SECRET)).isTrue();

        ObjectNode tampered = hmacBody.deepCopy();
        tampered.put("quantity", "0.002");
        assertThat(HibachiTestKit.hmacVerifies(tampered, HMAC_SECRET)).isFalse();
        ObjectNode otherSide = hmacBody.deepCopy();
        otherSide.put("side", "ASK");
        assertThat(HibachiTestKit.hmacVerifies(otherSide, HMAC_SECRET)).isFalse();
        ObjectNode otherFee = hmacBody.deepCopy();
        otherFee.put("maxFeesPercent", "0.002");
        assertThat(HibachiTestKit.hmacVerifies(otherFee, HMAC_SECRET)).isFalse();

        WireMock.resetAllRequests();
        HibachiExchange ecdsa = HibachiTestKit.exchange(
                wm, HibachiTestKit.ecdsaCredentials(wm.getHttpBaseUrl()), sleeper, HibachiExchange.tradingClient());
        ecdsa.placeMarketOrder(
                new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, ecdsa.newClientId()));
        ObjectNode ecdsaBody = (ObjectNode) onlyOrderBody();
        assertThat(HibachiTestKit.ecdsaVerifies(ecdsaBody, PRIVATE_KEY)).isTrue();
        ObjectNode tamperedEcdsa = ecdsaBody.deepCopy();
        tamperedEcdsa.put("quantity", "0.0010000001");
        assertThat(HibachiTestKit.ecdsaVerifies(tamperedEcdsa, PRIVATE_KEY)).isFalse();
    }

    @Test
    void reduceOnlyCloseSendsTheReduceOnlyFlagOutsideTheSignedPayload(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);

        Fill fill = ex.placeMarketOrder(
                new OrderRequest(BTC, OrderSide.SELL, new BigDecimal("0.0010"), true, ex.newClientId()));

        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.side()).isEqualTo(OrderSide.SELL);
        JsonNode body = onlyOrderBody();
        assertThat(body.get("orderFlags").asText()).isEqualTo("REDUCE_ONLY");
        assertThat(body.get("side").asText()).isEqualTo("ASK");
        assertThat(body.get("quantity").asText()).isEqualTo("0.001");
        assertThat(HibachiTestKit.hmacVerifies(body, HMAC_SECRET)).isTrue();
    }

    @Test
    void orderStatusIsPolledUntilItIsFinal(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        stubFor(get(urlPathEqualTo("/trade/order"))
                .withQueryParam("orderId", equalTo(ORDER_ID))
                .inScenario("fill")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("filled")
                .willReturn(okJson(fixture("order-placed-status.json"))));
        stubFor(get(urlPathEqualTo("/trade/order"))
                .withQueryParam("orderId", equalTo(ORDER_ID))
                .inScenario("fill")
                .whenScenarioStateIs("filled")
                .willReturn(okJson(fixture("order-filled.json"))));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);

        Fill fill = ex.placeMarketOrder(
                new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId()));

        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(sleeper.waits()).containsExactly(HibachiExchange.STATUS_POLL_WAIT);
        verify(2, getRequestedFor(urlPathEqualTo("/trade/order")));
    }

    @Test
    void aMarketOrderThatStaysPlacedIsAnUnknownOutcome(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-placed-status.json");
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);

        assertThatThrownBy(() -> ex.placeMarketOrder(
                        new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId())))
                .isInstanceOfSatisfying(ExchangeException.class, e -> {
                    assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
                    assertThat(e.getMessage()).contains(ORDER_ID).contains("PLACED");
                });
        verify(HibachiExchange.STATUS_POLLS, getRequestedFor(urlPathEqualTo("/trade/order")));
        assertThat(orderPosts()).hasSize(1);
    }

    @Test
    void aMarketOrderCancelledAfterPartOfItFilledIsPartial(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-partial-cancelled.json");
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);

        Fill fill = ex.placeMarketOrder(
                new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId()));

        assertThat(fill.state()).isEqualTo(OrderState.PARTIAL);
        assertThat(fill.filledQty()).isEqualByComparingTo("0.0006");
        assertThat(fill.venueOrderId()).isEqualTo(ORDER_ID);
    }

    @Test
    void anOrderTheVenueRejectedAfterAcceptingItIsARejectedFill(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-rejected.json");
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);

        Fill fill = ex.placeMarketOrder(
                new OrderRequest(BTC, OrderSide.SELL, new BigDecimal("0.001"), true, ex.newClientId()));

        assertThat(fill.state()).isEqualTo(OrderState.REJECTED);
        assertThat(fill.filledQty()).isZero();
        assertThat(fill.avgPrice()).isZero();
        assertThat(fill.fee()).isZero();
        verify(0, getRequestedFor(urlPathEqualTo("/trade/account/trades")));
    }

    @Test
    void theFeeIsZeroWhenTheTradesCannotBeReadButTheFillStands(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        stubFor(get(urlPathEqualTo("/trade/account/trades"))
                .willReturn(aResponse().withStatus(500)));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);

        Fill fill = ex.placeMarketOrder(
                new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId()));

        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.avgPrice()).isEqualByComparingTo("64005.5");
        assertThat(fill.fee()).isZero();
        verify(HibachiHttp.READ_ATTEMPTS, getRequestedFor(urlPathEqualTo("/trade/account/trades")));
    }

    @Test
    void theAveragePriceComesFromTheTradesWhenTheHistoryLacksTheOrder(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        stubFor(get(urlPathEqualTo("/trade/orders/history")).willReturn(okJson("{\"hasMore\":false,\"orders\":[]}")));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);

        Fill fill = ex.placeMarketOrder(
                new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId()));

        assertThat(fill.avgPrice()).isEqualByComparingTo("64005.5");
        assertThat(fill.fee()).isEqualByComparingTo("0.028802");
        verify(getRequestedFor(urlPathEqualTo("/trade/orders/history"))
                .withQueryParam("startTime", equalTo(Long.toString(FIRST_NONCE / 1000 - 60_000))));
    }

    @Test
    void quantitiesTheContractCannotTakeAreRefusedBeforeAnythingIsSent(WireMockRuntimeInfo wm) {
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);

        assertRefused(
                () -> ex.placeMarketOrder(
                        new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.00000000001"), false, ex.newClientId())),
                ExchangeError.BELOW_MINIMUM,
                "decimals");
        assertRefused(
                () -> ex.placeMarketOrder(
                        new OrderRequest("SUI/USDT-P", OrderSide.BUY, new BigDecimal("1.25"), false, ex.newClientId())),
                ExchangeError.BELOW_MINIMUM,
                "step");
        assertRefused(
                () -> ex.placeMarketOrder(
                        new OrderRequest("SUI/USDT-P", OrderSide.BUY, new BigDecimal("0.5"), false, ex.newClientId())),
                ExchangeError.BELOW_MINIMUM,
                "minimum");
        assertThat(orderPosts()).isEmpty();
    }

    @Test
    void aReduceOnlyCloseMayBeUnderTheMinimumSize(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);

        ex.placeMarketOrder(
                new OrderRequest("SUI/USDT-P", OrderSide.SELL, new BigDecimal("0.5"), true, ex.newClientId()));

        JsonNode body = onlyOrderBody();
        assertThat(body.get("quantity").asText()).isEqualTo("0.5");
        assertThat(HibachiTestKit.hmacVerifies(body, HMAC_SECRET)).isTrue();
    }

    @Test
    void ordersThatCannotBeSignedOrPlacedAreRejectedWithoutSending(WireMockRuntimeInfo wm) {
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);
        BigDecimal qty = new BigDecimal("0.001");

        assertRefused(
                () -> ex.placeMarketOrder(new OrderRequest("XRP/USDT-P", OrderSide.BUY, qty, false, ex.newClientId())),
                ExchangeError.REJECTED,
                "unknown symbol");
        assertRefused(
                () -> ex.placeMarketOrder(
                        new OrderRequest("DOGE/USDT-P", OrderSide.BUY, BigDecimal.TEN, false, ex.newClientId())),
                ExchangeError.REJECTED,
                "not open");
        assertRefused(
                () -> ex.placeMarketOrder(new OrderRequest(BTC, OrderSide.BUY, qty, false, "sim-bp-000001")),
                ExchangeError.REJECTED,
                "not a Hibachi nonce");
        String stale = Long.toString(FIRST_NONCE - 16_000_000L);
        assertRefused(
                () -> ex.placeMarketOrder(new OrderRequest(BTC, OrderSide.BUY, qty, false, stale)),
                ExchangeError.CLOCK_REJECTED,
                "16 s away");
        assertThat(orderPosts()).isEmpty();
    }

    @Test
    void aTimeoutOnPlacementIsAnUnknownOutcomeResolvedByLookingTheNonceUp(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo("/trade/order"))
                .willReturn(okJson(fixture("order-placed.json")).withFixedDelay(1_000)));
        HibachiExchange ex = HibachiTestKit.exchange(
                wm, HibachiTestKit.hmacCredentials(wm.getHttpBaseUrl()), sleeper, HibachiTestKit.shortTimeoutClient());
        String clientId = ex.newClientId();

        assertThatThrownBy(() -> ex.placeMarketOrder(
                        new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, clientId)))
                .isInstanceOfSatisfying(ExchangeException.class, e -> {
                    assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
                    assertThat(e.error().mayHaveExecuted()).isTrue();
                });
        assertThat(orderPosts()).hasSize(1);

        stubFor(get(urlPathEqualTo("/trade/order"))
                .withQueryParam("nonce", equalTo(clientId))
                .withQueryParam("accountId", equalTo("1234"))
                .willReturn(okJson(fixture("order-filled.json"))));
        stubFor(get(urlPathEqualTo("/trade/orders/history")).willReturn(okJson(fixture("orders-history.json"))));
        stubFor(get(urlPathEqualTo("/trade/account/trades")).willReturn(okJson(fixture("trades.json"))));

        Optional<Fill> found = ex.lookupOrder(BTC, clientId);

        assertThat(found).hasValueSatisfying(f -> {
            assertThat(f.state()).isEqualTo(OrderState.FILLED);
            assertThat(f.clientId()).isEqualTo(clientId);
            assertThat(f.venueOrderId()).isEqualTo(ORDER_ID);
            assertThat(f.side()).isEqualTo(OrderSide.BUY);
            assertThat(f.filledQty()).isEqualByComparingTo("0.001");
            assertThat(f.avgPrice()).isEqualByComparingTo("64005.5");
            assertThat(f.fee()).isEqualByComparingTo("0.028802");
        });
        assertThat(orderPosts()).hasSize(1);
    }

    @Test
    void lookingUpANonceTheVenueNeverSawIsEmpty(WireMockRuntimeInfo wm) {
        stubFor(get(urlPathEqualTo("/trade/order"))
                .withQueryParam("nonce", equalTo("1714701600000123"))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody(fixture("error-not-found.json"))));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);

        assertThat(ex.lookupOrder(BTC, "1714701600000123")).isEmpty();
        assertThat(ex.lookupOrder(BTC, "sim-hb-000001")).isEmpty();
        verify(1, getRequestedFor(urlPathEqualTo("/trade/order")));
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void lookingUpAnOrderStillInFlightPollsItAndReportsWhatFilled(WireMockRuntimeInfo wm) {
        stubFor(get(urlPathEqualTo("/trade/order"))
                .withQueryParam("nonce", equalTo("1714701600000007"))
                .willReturn(okJson(fixture("order-placed-status.json"))));
        stubFor(get(urlPathEqualTo("/trade/order"))
                .withQueryParam("orderId", equalTo(ORDER_ID))
                .willReturn(okJson(fixture("order-partial-cancelled.json"))));
        stubFor(get(urlPathEqualTo("/trade/orders/history")).willReturn(okJson(fixture("orders-history.json"))));
        stubFor(get(urlPathEqualTo("/trade/account/trades")).willReturn(okJson(fixture("trades.json"))));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);

        Optional<Fill> found = ex.lookupOrder(BTC, "1714701600000007");

        assertThat(found).hasValueSatisfying(f -> {
            assertThat(f.state()).isEqualTo(OrderState.PARTIAL);
            assertThat(f.filledQty()).isEqualByComparingTo("0.0006");
        });
        assertThat(sleeper.waits()).containsExactly(HibachiExchange.STATUS_POLL_WAIT);
    }

    @Test
    void aServerErrorOnPlacementIsAnUnknownOutcomeAndIsNeverRetried(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo("/trade/order"))
                .willReturn(aResponse()
                        .withStatus(500)
                        .withBody("{\"errorCode\":0,\"message\":\"internal\",\"status\":\"failed\"}")));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);

        assertRefused(
                () -> ex.placeMarketOrder(
                        new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId())),
                ExchangeError.UNKNOWN_OUTCOME,
                "HTTP 500");
        assertThat(orderPosts()).hasSize(1);
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void anAcceptedOrderWhoseStatusCannotBeReadIsAnUnknownOutcome(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        stubFor(get(urlPathEqualTo("/trade/order"))
                .willReturn(aResponse().withStatus(503).withBody(fixture("maintenance.html"))));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);

        assertRefused(
                () -> ex.placeMarketOrder(
                        new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId())),
                ExchangeError.UNKNOWN_OUTCOME,
                ORDER_ID);
        assertThat(orderPosts()).hasSize(1);
    }

    @Test
    void aSuccessReplyWithoutAnOrderIdIsAnUnknownOutcome(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo("/trade/order")).willReturn(okJson("{}")));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);

        assertRefused(
                () -> ex.placeMarketOrder(
                        new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId())),
                ExchangeError.UNKNOWN_OUTCOME,
                "orderId");
    }

    @Test
    void theClientIdIsTheNonceSentAndLaterOnesAreGreater(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);
        String first = ex.newClientId();
        String second = ex.newClientId();

        ex.placeMarketOrder(new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, second));

        assertThat(Long.parseLong(second)).isGreaterThan(Long.parseLong(first));
        assertThat(onlyOrderBody().get("nonce").asText()).isEqualTo(second);
    }

    private static void assertRefused(ThrowableAssert.ThrowingCallable call, ExchangeError error, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ExchangeException.class, e -> {
            assertThat(e.error()).isEqualTo(error);
            assertThat(e.getMessage())
                    .contains(messagePart)
                    .doesNotContain(API_KEY)
                    .doesNotContain(HMAC_SECRET);
        });
    }
}
