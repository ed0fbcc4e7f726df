package dev.perptrader.exchange.hibachi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.findAll;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.FIRST_NONCE;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.HMAC_SECRET;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.PRIVATE_KEY;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.fixture;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.json;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.orderPosts;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.stubMarketBasics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.FeeRates;
import dev.perptrader.exchange.LimitOrderRequest;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.TopOfBook;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Maker orders on Hibachi: LIMIT orders with POST_ONLY or REDUCE_ONLY (never both), a crossing
 * post-only (refused, or accepted then ended unfilled) as WOULD_TAKE, cancel by nonce, the
 * order's status (open, partly filled, ended), the order book and feeConfig. After each test the
 * stub side rebuilds the payload of every order and cancel it received and verifies its signature.
 */
@WireMockTest
final class HibachiMakerOrderTest {
    private static final String ORDER_ID = "578721673790138368";
    private static final String BTC = "BTC/USDT-P";
    private static final String NONCE = Long.toString(FIRST_NONCE);

    private WireMockRuntimeInfo wm;
    private FakeSleeper sleeper;
    private Predicate<JsonNode> orderVerifies = body -> HibachiTestKit.hmacVerifiesLimit(body, HMAC_SECRET);
    private Predicate<JsonNode> cancelVerifies = body -> HibachiTestKit.hmacVerifiesCancel(body, HMAC_SECRET);

    @BeforeEach
    void stubVenue(WireMockRuntimeInfo wm) {
        this.wm = wm;
        sleeper = FakeSleeper.unpaced();
        stubMarketBasics();
    }

    @AfterEach
    void everySignedRequestVerifies() {
        for (LoggedRequest r : orderPosts()) {
            assertThat(orderVerifies.test(json(r.getBodyAsString())))
                    .as("signature of %s", r.getBodyAsString())
                    .isTrue();
        }
        for (LoggedRequest r : findAll(deleteRequestedFor(urlPathEqualTo("/trade/order")))) {
            assertThat(cancelVerifies.test(json(r.getBodyAsString())))
                    .as("signature of %s", r.getBodyAsString())
                    .isTrue();
        }
    }

    private HibachiExchange exchange() {
        return HibachiTestKit.hmacExchange(wm, sleeper);
    }

    private static LimitOrderRequest limit(OrderSide side, String price, boolean postOnly, boolean reduceOnly) {
        return new LimitOrderRequest(
                BTC, side, new BigDecimal("0.001"), new BigDecimal(price), postOnly, reduceOnly, NONCE);
    }

    /** A LIMIT order's status reply (api doc §3.5) with {@code available} of 0.001 left. */
    private static String status(String status, String available) {
        return "{\"accountId\":1234,\"availableQuantity\":\"" + available + "\",\"contractId\":2,"
                + "\"creationTime\":1714701600,\"orderId\":\"" + ORDER_ID + "\",\"orderType\":\"LIMIT\","
                + "\"price\":\"64000.0\",\"side\":\"BID\",\"status\":\"" + status + "\",\"symbol\":\"BTC/USDT-P\","
                + "\"totalQuantity\":\"0.0010000000\",\"orderFlags\":\"POST_ONLY\"}";
    }

    private static void stubPlaced(String statusReply) {
        stubFor(post(urlPathEqualTo("/trade/order")).willReturn(okJson(fixture("order-placed.json"))));
        stubFor(get(urlPathEqualTo("/trade/order"))
                .withQueryParam("orderId", equalTo(ORDER_ID))
                .withQueryParam("accountId", equalTo("1234"))
                .willReturn(okJson(statusReply)));
    }

    private static void stubStatusByNonce(String statusReply) {
        stubFor(get(urlPathEqualTo("/trade/order"))
                .withQueryParam("nonce", equalTo(NONCE))
                .withQueryParam("accountId", equalTo("1234"))
                .willReturn(okJson(statusReply)));
    }

    private static void stubTradesAndHistory() {
        stubFor(get(urlPathEqualTo("/trade/orders/history")).willReturn(okJson(fixture("orders-history.json"))));
        stubFor(get(urlPathEqualTo("/trade/account/trades")).willReturn(okJson(fixture("trades.json"))));
    }

    private static ExchangeException failure(ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(ExchangeException.class);
        return (ExchangeException) t;
    }

    @Test
    void theStubSidePayloadCheckReproducesTheDocsLimitVector() {
        // api doc §2.4 V2: LIMIT ASK 0.001 BTC @ 65000.5, nonce 1714701600000001, maxFeesPercent 0.00045
        JsonNode v2 = json("{\"accountId\":1234,\"symbol\":\"BTC/USDT-P\",\"nonce\":1714701600000001,"
                + "\"orderType\":\"LIMIT\",\"side\":\"ASK\",\"quantity\":\"0.001\",\"price\":\"65000.5\","
                + "\"maxFeesPercent\":\"0.00045\","
                + "\"signature\":\"b8d8c1bdcc008be2636e57558a6c43e0196afaa11216c33de4cc94d93569d4ee\"}");

        assertThat(HibachiTestKit.hmacVerifiesLimit(v2, HMAC_SECRET)).isTrue();
        assertThat(HibachiTestKit.ecdsaVerifiesLimit(
                        json(v2.toString()
                                .replace(
                                        "b8d8c1bdcc008be2636e57558a6c43e0196afaa11216c33de4cc94d93569d4ee",
                                        "d8aea9929d9cb74625d6e36f8d0b494214c335e509a55a456b4c5e40d92cb93c6bf6ccd79a"
                                                + "426b47d5a80b4a56e24b29ff64f729b8952203a02d7087a134b1c901")),
                        PRIVATE_KEY))
                .isTrue();
    }

    @Test
    void aPostOnlyLimitRestsWithItsPriceSignedAndOnePostOnlyFlag() {
        stubPlaced(status("PLACED", "0.0010000000"));

        RestingOrder order = exchange().placeLimitOrder(limit(OrderSide.BUY, "64000.0", true, false));

        assertThat(order.status()).isEqualTo(RestingOrder.Status.OPEN);
        assertThat(order.venueOrderId()).isEqualTo(ORDER_ID);
        assertThat(order.clientId()).isEqualTo(NONCE);
        assertThat(order.side()).isEqualTo(OrderSide.BUY);
        assertThat(order.price()).isEqualByComparingTo("64000");
        assertThat(order.filledQty()).isEqualByComparingTo("0");
        JsonNode body = json(orderPosts().get(0).getBodyAsString());
        assertThat(body.get("orderType").asText()).isEqualTo("LIMIT");
        assertThat(body.get("price").asText()).isEqualTo("64000");
        assertThat(body.get("quantity").asText()).isEqualTo("0.001");
        assertThat(body.get("side").asText()).isEqualTo("BID");
        assertThat(body.get("orderFlags").asText()).isEqualTo("POST_ONLY");
        assertThat(body.get("nonce").asLong()).isEqualTo(FIRST_NONCE);
        assertThat(body.get("accountId").asLong()).isEqualTo(1234);
        assertThat(HibachiTestKit.limitPayloadFromBody(body)).hasSize(40);
        verify(0, getRequestedFor(urlPathEqualTo("/trade/account/trades")));
    }

    @Test
    void anEcdsaAccountSignsTheLimitPayloadToo() {
        orderVerifies = body -> HibachiTestKit.ecdsaVerifiesLimit(body, PRIVATE_KEY);
        stubPlaced(status("PLACED", "0.0010000000"));
        HibachiExchange ecdsa = HibachiTestKit.exchange(
                wm, HibachiTestKit.ecdsaCredentials(wm.getHttpBaseUrl()), sleeper, HibachiExchange.tradingClient());

        assertThat(ecdsa.placeLimitOrder(limit(OrderSide.SELL, "64000.1", true, false))
                        .status())
                .isEqualTo(RestingOrder.Status.OPEN);
        assertThat(orderPosts()).hasSize(1);
    }

    @Test
    void aReduceOnlyLimitSendsTheReduceOnlyFlag() {
        stubPlaced(status("PLACED", "0.0010000000"));

        exchange().placeLimitOrder(limit(OrderSide.SELL, "64000.1", false, true));

        assertThat(json(orderPosts().get(0).getBodyAsString()).get("orderFlags").asText())
                .isEqualTo("REDUCE_ONLY");
    }

    @Test
    void anOrderBothPostOnlyAndReduceOnlyIsRefusedBeforeSending() {
        ExchangeException e = failure(() -> exchange().placeLimitOrder(limit(OrderSide.SELL, "64000.1", true, true)));

        assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
        assertThat(e.getMessage()).contains("both POST_ONLY and REDUCE_ONLY").contains("not sent");
        verify(0, postRequestedFor(urlPathEqualTo("/trade/order")));
        assertThat(exchange().postOnlyReduceOnly()).isFalse();
    }

    @Test
    void aPriceOffTheTickIsRefusedBeforeSending() {
        ExchangeException e = failure(() -> exchange().placeLimitOrder(limit(OrderSide.BUY, "64000.05", true, false)));

        assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
        assertThat(e.getMessage()).contains("tick 0.1");
        verify(0, postRequestedFor(urlPathEqualTo("/trade/order")));
    }

    @Test
    void aCrossingPostOnlyRefusedWithAnErrorBodyIsWouldTake() {
        stubFor(post(urlPathEqualTo("/trade/order"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"errorCode\":4,\"message\":\"Post only order would immediately match\","
                                + "\"status\":\"failed\"}")));

        ExchangeException e = failure(() -> exchange().placeLimitOrder(limit(OrderSide.BUY, "64000.0", true, false)));

        assertThat(e.error()).isEqualTo(ExchangeError.WOULD_TAKE);
        assertThat(e.error().mayHaveExecuted()).isFalse();
        verify(1, postRequestedFor(urlPathEqualTo("/trade/order")));
    }

    @Test
    void aCrossingPostOnlyAcceptedThenRejectedUnfilledIsWouldTake() {
        stubPlaced(status("REJECTED", "0.0010000000"));

        ExchangeException e = failure(() -> exchange().placeLimitOrder(limit(OrderSide.BUY, "64000.0", true, false)));

        assertThat(e.error()).isEqualTo(ExchangeError.WOULD_TAKE);
        assertThat(e.getMessage()).contains("ended at once unfilled (REJECTED)");
    }

    @Test
    void aServerErrorAfterSendingIsAnUnknownOutcomeNeverRetried() {
        stubFor(post(urlPathEqualTo("/trade/order")).willReturn(serverError()));

        ExchangeException e = failure(() -> exchange().placeLimitOrder(limit(OrderSide.BUY, "64000.0", true, false)));

        assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        verify(1, postRequestedFor(urlPathEqualTo("/trade/order")));
    }

    @Test
    void anAcceptedOrderWhoseStatusCannotBeReadYetIsOpen() {
        stubFor(post(urlPathEqualTo("/trade/order")).willReturn(okJson(fixture("order-placed.json"))));
        stubFor(get(urlPathEqualTo("/trade/order"))
                .willReturn(aResponse().withStatus(404).withBody(fixture("error-not-found.json"))));

        RestingOrder order = exchange().placeLimitOrder(limit(OrderSide.BUY, "64000.0", true, false));

        assertThat(order.status()).isEqualTo(RestingOrder.Status.OPEN);
        assertThat(order.venueOrderId()).isEqualTo(ORDER_ID);
        assertThat(order.remaining()).isEqualByComparingTo("0.001");
    }

    @Test
    void aCancelIsSignedByNonceAndReturnsTheOrderAsTheFollowingReadShowsIt() {
        stubFor(delete(urlPathEqualTo("/trade/order")).willReturn(okJson("{}")));
        stubStatusByNonce(status("PARTIAL_CANCELLED", "0.0006000000"));
        stubTradesAndHistory();

        Optional<RestingOrder> order = exchange().cancelOrder(BTC, NONCE);

        assertThat(order).isPresent();
        assertThat(order.get().status()).isEqualTo(RestingOrder.Status.CANCELLED);
        assertThat(order.get().filledQty()).isEqualByComparingTo("0.0004");
        assertThat(order.get().avgPrice()).isEqualByComparingTo("64005.5"); // the history's avgFillPrice
        assertThat(order.get().fee()).isEqualByComparingTo("0.028802"); // 0.017281 + 0.011521
        JsonNode body = json(findAll(deleteRequestedFor(urlPathEqualTo("/trade/order")))
                .get(0)
                .getBodyAsString());
        assertThat(body.get("nonce").asText()).isEqualTo(NONCE);
        assertThat(body.has("orderId")).isFalse();
        assertThat(HibachiTestKit.cancelPayloadFromBody(body)).hasSize(8);
    }

    @Test
    void aCancelAcceptedButNotCarriedOutYetReturnsTheOrderOpen() {
        stubFor(delete(urlPathEqualTo("/trade/order")).willReturn(okJson("{}")));
        stubStatusByNonce(status("PLACED", "0.0010000000"));

        RestingOrder order = exchange().cancelOrder(BTC, NONCE).orElseThrow();

        assertThat(order.status()).isEqualTo(RestingOrder.Status.OPEN);
        assertThat(order.remaining()).isEqualByComparingTo("0.001");
    }

    @Test
    void aCancelRacedByAFillReturnsTheOrderFilled() {
        stubFor(delete(urlPathEqualTo("/trade/order"))
                .willReturn(aResponse().withStatus(404).withBody(fixture("error-not-found.json"))));
        stubStatusByNonce(status("FILLED", "0"));
        stubTradesAndHistory();

        RestingOrder order = exchange().cancelOrder(BTC, NONCE).orElseThrow();

        assertThat(order.status()).isEqualTo(RestingOrder.Status.FILLED);
        assertThat(order.filledQty()).isEqualByComparingTo("0.001");
        verify(1, deleteRequestedFor(urlPathEqualTo("/trade/order")));
    }

    @Test
    void aCancelOfAnOrderTheVenueNeverHadIsEmpty() {
        stubFor(delete(urlPathEqualTo("/trade/order"))
                .willReturn(aResponse().withStatus(404).withBody(fixture("error-not-found.json"))));
        stubFor(get(urlPathEqualTo("/trade/order"))
                .willReturn(aResponse().withStatus(404).withBody(fixture("error-not-found.json"))));

        assertThat(exchange().cancelOrder(BTC, NONCE)).isEmpty();
    }

    @Test
    void aCancelThatTimesOutIsAnUnknownOutcome() {
        stubFor(delete(urlPathEqualTo("/trade/order")).willReturn(serverError()));

        ExchangeException e = failure(() -> exchange().cancelOrder(BTC, NONCE));

        assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        verify(1, deleteRequestedFor(urlPathEqualTo("/trade/order")));
    }

    @Test
    void anOpenOrderReadsOpenWithoutFollowUpReads() {
        stubStatusByNonce(status("PLACED", "0.0010000000"));

        RestingOrder order = exchange().restingOrder(BTC, NONCE).orElseThrow();

        assertThat(order.status()).isEqualTo(RestingOrder.Status.OPEN);
        assertThat(order.filledQty()).isEqualByComparingTo("0");
        assertThat(order.avgPrice()).isNull();
        verify(0, getRequestedFor(urlPathEqualTo("/trade/account/trades")));
        verify(0, getRequestedFor(urlPathEqualTo("/trade/orders/history")));
    }

    @Test
    void aPartlyFilledOrderReadsOpenPricedFromItsTradesWithoutTheHistory() {
        stubStatusByNonce(status("PARTIALLY_FILLED", "0.0006000000"));
        stubTradesAndHistory();

        RestingOrder order = exchange().restingOrder(BTC, NONCE).orElseThrow();

        assertThat(order.status()).isEqualTo(RestingOrder.Status.OPEN);
        assertThat(order.filledQty()).isEqualByComparingTo("0.0004");
        assertThat(order.remaining()).isEqualByComparingTo("0.0006");
        assertThat(order.avgPrice()).isEqualByComparingTo("64005.5"); // (0.0006×64005 + 0.0004×64006.25) / 0.001
        assertThat(order.fee()).isEqualByComparingTo("0.028802");
        verify(0, getRequestedFor(urlPathEqualTo("/trade/orders/history")));
    }

    @Test
    void aPartlyFilledOrderWhoseTradesAreNotVisibleIsPricedAtItsLimit() {
        stubStatusByNonce(status("PARTIALLY_FILLED", "0.0006000000"));
        stubFor(get(urlPathEqualTo("/trade/account/trades")).willReturn(okJson("{\"trades\":[]}")));

        RestingOrder order = exchange().restingOrder(BTC, NONCE).orElseThrow();

        assertThat(order.avgPrice()).isEqualByComparingTo("64000");
        assertThat(order.fee()).isNull();
    }

    @Test
    void anEndedOrderReadsFilledPricedFromTheHistory() {
        stubStatusByNonce(status("FILLED", "0.0000000000"));
        stubTradesAndHistory();

        RestingOrder order = exchange().restingOrder(BTC, NONCE).orElseThrow();

        assertThat(order.status()).isEqualTo(RestingOrder.Status.FILLED);
        assertThat(order.filledQty()).isEqualByComparingTo("0.001");
        assertThat(order.avgPrice()).isEqualByComparingTo("64005.5");
        verify(1, getRequestedFor(urlPathEqualTo("/trade/orders/history")));
    }

    @Test
    void anOrderRejectedUnfilledReadsRejected() {
        stubStatusByNonce(status("REJECTED", "0.0010000000"));

        assertThat(exchange().restingOrder(BTC, NONCE).orElseThrow().status()).isEqualTo(RestingOrder.Status.REJECTED);
    }

    @Test
    void theTopOfTheBookIsTheHighestBidAndTheLowestAsk() {
        stubFor(get(urlPathEqualTo("/market/data/orderbook"))
                .withQueryParam("symbol", equalTo(BTC))
                .withQueryParam("depth", equalTo("5"))
                .willReturn(okJson(fixture("orderbook.json"))));

        TopOfBook top = exchange().topOfBook(BTC);

        assertThat(top.bid()).isEqualByComparingTo("63999.9");
        assertThat(top.bidQty()).isEqualByComparingTo("0.25");
        assertThat(top.ask()).isEqualByComparingTo("64000.2");
        assertThat(top.askQty()).isEqualByComparingTo("0.0031");
    }

    @Test
    void aOneSidedOrCrossedBookIsVenueDown() {
        stubFor(get(urlPathEqualTo("/market/data/orderbook"))
                .willReturn(okJson("{\"ask\":{\"startPrice\":\"64000.2\",\"endPrice\":\"64000.2\",\"levels\":[]},"
                        + "\"bid\":{\"startPrice\":\"63999.9\",\"endPrice\":\"63999.9\","
                        + "\"levels\":[{\"price\":\"63999.9\",\"quantity\":\"1\"}]}}")));

        ExchangeException oneSided = failure(() -> exchange().topOfBook(BTC));

        assertThat(oneSided.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(oneSided.getMessage()).contains("one-sided (no asks)");

        stubFor(get(urlPathEqualTo("/market/data/orderbook"))
                .willReturn(okJson("{\"ask\":{\"levels\":[{\"price\":\"63999.0\",\"quantity\":\"1\"}]},"
                        + "\"bid\":{\"levels\":[{\"price\":\"63999.9\",\"quantity\":\"1\"}]}}")));

        ExchangeException crossed = failure(() -> exchange().topOfBook(BTC));

        assertThat(crossed.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(crossed.getMessage()).contains("crossed (bid 63999.9 >= ask 63999.0)");
    }

    @Test
    void feeRatesComeFromFeeConfig() {
        FeeRates fees = exchange().feeRates();

        assertThat(fees.maker()).isEqualByComparingTo("0");
        assertThat(fees.taker()).isEqualByComparingTo("0.00045");
    }

    @Test
    void placeThenCancelSendsOneSignedOrderAndOneSignedCancel() {
        stubPlaced(status("PLACED", "0.0010000000"));
        stubFor(delete(urlPathEqualTo("/trade/order")).willReturn(okJson("{}")));
        stubStatusByNonce(status("CANCELLED", "0.0010000000"));
        HibachiExchange ex = exchange();

        ex.placeLimitOrder(limit(OrderSide.BUY, "64000.0", true, false));
        RestingOrder cancelled = ex.cancelOrder(BTC, NONCE).orElseThrow();

        assertThat(cancelled.status()).isEqualTo(RestingOrder.Status.CANCELLED);
        List<LoggedRequest> signed = orderPosts();
        assertThat(signed).hasSize(1);
        assertThat(findAll(deleteRequestedFor(urlPathEqualTo("/trade/order")))).hasSize(1);
    }
}
