package dev.perptrader.exchange.backpack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.FeeRates;
import dev.perptrader.exchange.LimitOrderRequest;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.TopOfBook;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Maker orders on Backpack: post-only limit orders (resting, both forms of "would take", unknown
 * outcome), cancel by client id (200, 404 then history, 202), the order's status (open, partly
 * filled, ended), the top of the book and the account's fee rates. Bodies follow api doc §3;
 * every signed request's X-Signature is verified by the stub side after each test.
 */
@WireMockTest
final class BackpackMakerOrderTest {
    private static final String SOL = "SOL_USDC_PERP";
    private static final String ORDER = "/api/v1/order";
    private static final String FILLS = "/wapi/v1/history/fills";
    private static final String HISTORY = "/wapi/v1/history/orders";
    private static final String DEPTH = "/api/v1/depth";
    private static final String NOT_FOUND = "{\"code\":\"RESOURCE_NOT_FOUND\",\"message\":\"Not Found\"}";

    private WireMockRuntimeInfo wm;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void stubs(WireMockRuntimeInfo wm) {
        this.wm = wm;
        Kit.stubTime(Kit.NOW_MS);
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("orderId", equalTo("59669287500"))
                .willReturn(okJson(Kit.fixture("fills_limit_order.json"))));
    }

    @AfterEach
    void everySignedRequestVerifies() {
        SignedRequests.assertAllVerify(wm.getWireMock().getServeEvents());
    }

    private static LimitOrderRequest postOnlyBuy(String price) {
        return new LimitOrderRequest(
                SOL, OrderSide.BUY, new BigDecimal("1.0"), new BigDecimal(price), true, false, "22334");
    }

    private static void stubNotOnTheBook() {
        stubFor(get(urlPathEqualTo(ORDER))
                .willReturn(aResponse().withStatus(404).withBody(NOT_FOUND)));
    }

    @Test
    void aPostOnlyLimitRestsWithTheDocumentedSignedBody() {
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("limit_order_new.json"))));

        RestingOrder order = Kit.exchange(wm, sleeper).placeLimitOrder(postOnlyBuy("99.50"));

        assertThat(order.status()).isEqualTo(RestingOrder.Status.OPEN);
        assertThat(order.clientId()).isEqualTo("22334");
        assertThat(order.venueOrderId()).isEqualTo("59669287500");
        assertThat(order.side()).isEqualTo(OrderSide.BUY);
        assertThat(order.qty()).isEqualByComparingTo("1");
        assertThat(order.price()).isEqualByComparingTo("99.5");
        assertThat(order.filledQty()).isEqualByComparingTo("0");
        assertThat(order.avgPrice()).isNull();
        var sent =
                wm.getWireMock().find(postRequestedFor(urlPathEqualTo(ORDER))).get(0);
        assertThat(sent.getBodyAsString())
                .isEqualTo("{\"symbol\":\"SOL_USDC_PERP\",\"side\":\"Bid\",\"orderType\":\"Limit\",\"quantity\":\"1\","
                        + "\"price\":\"99.5\",\"timeInForce\":\"GTC\",\"postOnly\":true,\"clientId\":22334}");
        assertThat(SignedRequests.rebuild(sent))
                .isEqualTo("instruction=orderExecute&clientId=22334&orderType=Limit&postOnly=true&price=99.5"
                        + "&quantity=1&side=Bid&symbol=SOL_USDC_PERP&timeInForce=GTC&timestamp=" + Kit.NOW_MS
                        + "&window=5000");
        verify(0, getRequestedFor(urlPathEqualTo(FILLS)));
    }

    @Test
    void aReduceOnlyPostOnlySellSendsBothFlags() {
        stubFor(post(urlPathEqualTo(ORDER))
                .willReturn(okJson(Kit.fixture("limit_order_new.json").replace("\"Bid\"", "\"Ask\""))));

        RestingOrder order = Kit.exchange(wm, sleeper)
                .placeLimitOrder(new LimitOrderRequest(
                        SOL, OrderSide.SELL, BigDecimal.ONE, new BigDecimal("100.7"), true, true, "22334"));

        assertThat(order.side()).isEqualTo(OrderSide.SELL);
        verify(postRequestedFor(urlPathEqualTo(ORDER))
                .withRequestBody(equalToJson("{\"symbol\":\"SOL_USDC_PERP\",\"side\":\"Ask\",\"orderType\":\"Limit\","
                        + "\"quantity\":\"1\",\"price\":\"100.7\",\"timeInForce\":\"GTC\",\"postOnly\":true,"
                        + "\"reduceOnly\":true,\"clientId\":22334}")));
    }

    @Test
    void aCrossingPostOnlyRefusedWith400IsWouldTake() {
        stubFor(
                post(urlPathEqualTo(ORDER))
                        .willReturn(
                                aResponse()
                                        .withStatus(400)
                                        .withBody(
                                                "{\"code\":\"INVALID_ORDER\",\"message\":\"Order would immediately match and take\"}")));

        ExchangeException e = Kit.failure(() -> Kit.exchange(wm, sleeper).placeLimitOrder(postOnlyBuy("100.7")));

        assertThat(e.error()).isEqualTo(ExchangeError.WOULD_TAKE);
        assertThat(e.error().mayHaveExecuted()).isFalse();
        assertThat(e.getMessage()).contains("would immediately match");
        verify(1, postRequestedFor(urlPathEqualTo(ORDER)));
    }

    @Test
    void aCrossingPostOnlyExpiredWith200IsWouldTake() {
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("limit_order_expired_post_only.json"))));

        ExchangeException e = Kit.failure(() -> Kit.exchange(wm, sleeper).placeLimitOrder(postOnlyBuy("100.7")));

        assertThat(e.error()).isEqualTo(ExchangeError.WOULD_TAKE);
        assertThat(e.getMessage()).contains("PostOnlyTaker").contains("nothing executed");
        verify(1, postRequestedFor(urlPathEqualTo(ORDER)));
    }

    @Test
    void aServerErrorAfterSendingIsAnUnknownOutcomeNeverRetried() {
        stubFor(post(urlPathEqualTo(ORDER))
                .willReturn(serverError().withBody("{\"code\":\"SERVER_ERROR\",\"message\":\"x\"}")));

        ExchangeException e = Kit.failure(() -> Kit.exchange(wm, sleeper).placeLimitOrder(postOnlyBuy("99.5")));

        assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        verify(1, postRequestedFor(urlPathEqualTo(ORDER)));
    }

    @Test
    void aClientIdThatIsNotAUint32IsRefusedBeforeSending() {
        ExchangeException e = Kit.failure(() -> Kit.exchange(wm, sleeper)
                .placeLimitOrder(new LimitOrderRequest(
                        SOL, OrderSide.BUY, BigDecimal.ONE, BigDecimal.TEN, true, false, "4294967296")));

        assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
        verify(0, postRequestedFor(urlPathEqualTo(ORDER)));
    }

    @Test
    void aCancelAnswered200ReturnsTheCancelledOrderWithWhatFilledAndItsFee() {
        stubFor(delete(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("limit_order_cancelled.json"))));

        Optional<RestingOrder> order = Kit.exchange(wm, sleeper).cancelOrder(SOL, "22334");

        assertThat(order).isPresent();
        assertThat(order.get().status()).isEqualTo(RestingOrder.Status.CANCELLED);
        assertThat(order.get().filledQty()).isEqualByComparingTo("0.3");
        assertThat(order.get().avgPrice()).isEqualByComparingTo("99.5");
        assertThat(order.get().fee()).isEqualByComparingTo("0.00597");
        assertThat(order.get().remaining()).isEqualByComparingTo("0");
        var sent =
                wm.getWireMock().find(deleteRequestedFor(urlPathEqualTo(ORDER))).get(0);
        assertThat(sent.getBodyAsString()).isEqualTo("{\"symbol\":\"SOL_USDC_PERP\",\"clientId\":22334}");
        assertThat(SignedRequests.rebuild(sent))
                .isEqualTo("instruction=orderCancel&clientId=22334&symbol=SOL_USDC_PERP&timestamp=" + Kit.NOW_MS
                        + "&window=5000");
    }

    @Test
    void aCancelAnswered404ReturnsHowTheOrderEndedFromTheHistory() {
        stubFor(delete(urlPathEqualTo(ORDER))
                .willReturn(aResponse().withStatus(404).withBody(NOT_FOUND)));
        stubFor(get(urlPathEqualTo(HISTORY)).willReturn(okJson(Kit.fixture("history_orders_limit.json"))));
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("orderId", equalTo("59669287500"))
                .willReturn(okJson("[{\"tradeId\":4012510,\"orderId\":\"59669287500\",\"clientId\":\"22334\","
                        + "\"symbol\":\"SOL_USDC_PERP\",\"side\":\"Bid\",\"price\":\"99.5\",\"quantity\":\"1\","
                        + "\"fee\":\"0.0199\",\"feeSymbol\":\"USDC\",\"isMaker\":true,\"systemOrderType\":null,"
                        + "\"timestamp\":\"2025-06-24T19:23:50.000\"}]")));

        Optional<RestingOrder> order = Kit.exchange(wm, sleeper).cancelOrder(SOL, "22334");

        assertThat(order).isPresent();
        assertThat(order.get().status()).isEqualTo(RestingOrder.Status.FILLED);
        assertThat(order.get().filledQty()).isEqualByComparingTo("1");
        assertThat(order.get().avgPrice()).isEqualByComparingTo("99.5");
        assertThat(order.get().fee()).isEqualByComparingTo("0.0199");
        verify(1, deleteRequestedFor(urlPathEqualTo(ORDER)));
    }

    @Test
    void aCancelOfAnOrderTheVenueNeverHadIsEmpty() {
        stubFor(delete(urlPathEqualTo(ORDER))
                .willReturn(aResponse().withStatus(404).withBody(NOT_FOUND)));
        stubFor(get(urlPathEqualTo(HISTORY)).willReturn(okJson("[]")));
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("sortDirection", equalTo("Desc"))
                .willReturn(okJson("[]")));

        assertThat(Kit.exchange(wm, sleeper).cancelOrder(SOL, "22334")).isEmpty();
    }

    @Test
    void aCancelAccepted202WithoutABodyReadsTheOrderAgainAndReturnsItOpen() {
        stubFor(delete(urlPathEqualTo(ORDER)).willReturn(aResponse().withStatus(202)));
        stubFor(get(urlPathEqualTo(ORDER))
                .withQueryParam("clientId", equalTo("22334"))
                .withQueryParam("symbol", equalTo(SOL))
                .willReturn(okJson(Kit.fixture("limit_order_new.json"))));

        Optional<RestingOrder> order = Kit.exchange(wm, sleeper).cancelOrder(SOL, "22334");

        assertThat(order).isPresent();
        assertThat(order.get().status()).isEqualTo(RestingOrder.Status.OPEN);
        verify(1, deleteRequestedFor(urlPathEqualTo(ORDER)));
        verify(1, getRequestedFor(urlPathEqualTo(ORDER)));
    }

    @Test
    void anOpenOrderReadsOpenWithNothingFilled() {
        stubFor(get(urlPathEqualTo(ORDER))
                .withQueryParam("clientId", equalTo("22334"))
                .withQueryParam("symbol", equalTo(SOL))
                .willReturn(okJson(Kit.fixture("limit_order_new.json"))));

        RestingOrder order =
                Kit.exchange(wm, sleeper).restingOrder(SOL, "22334").orElseThrow();

        assertThat(order.status()).isEqualTo(RestingOrder.Status.OPEN);
        assertThat(order.filledQty()).isEqualByComparingTo("0");
        assertThat(order.remaining()).isEqualByComparingTo("1");
        verify(0, getRequestedFor(urlPathEqualTo(FILLS)));
        var read = wm.getWireMock().find(getRequestedFor(urlPathEqualTo(ORDER))).get(0);
        assertThat(SignedRequests.rebuild(read))
                .isEqualTo("instruction=orderQuery&clientId=22334&symbol=SOL_USDC_PERP&timestamp=" + Kit.NOW_MS
                        + "&window=5000");
    }

    @Test
    void aPartlyFilledOrderReadsOpenWithItsFilledQuantityPriceAndFee() {
        stubFor(get(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("limit_order_partial.json"))));

        RestingOrder order =
                Kit.exchange(wm, sleeper).restingOrder(SOL, "22334").orElseThrow();

        assertThat(order.status()).isEqualTo(RestingOrder.Status.OPEN);
        assertThat(order.filledQty()).isEqualByComparingTo("0.3");
        assertThat(order.remaining()).isEqualByComparingTo("0.7");
        assertThat(order.avgPrice()).isEqualByComparingTo("99.5"); // 29.85 / 0.3
        assertThat(order.fee()).isEqualByComparingTo("0.00597"); // 0.00199 + 0.00398
    }

    @Test
    void anEndedOrderReadsFromTheHistoryOnceItLeftTheBook() {
        stubNotOnTheBook();
        stubFor(
                get(urlPathEqualTo(HISTORY))
                        .willReturn(
                                okJson(
                                        Kit.fixture("history_orders_limit.json")
                                                .replace(
                                                        "\"executedQuantity\":\"1\",\"executedQuoteQuantity\":\"99.5\",\n   \"status\":\"Filled\"",
                                                        "\"executedQuantity\":\"0.3\",\"executedQuoteQuantity\":\"29.85\",\n   \"status\":\"Cancelled\""))));

        RestingOrder order =
                Kit.exchange(wm, sleeper).restingOrder(SOL, "22334").orElseThrow();

        assertThat(order.status()).isEqualTo(RestingOrder.Status.CANCELLED);
        assertThat(order.filledQty()).isEqualByComparingTo("0.3");
        assertThat(order.avgPrice()).isEqualByComparingTo("99.5");
        assertThat(order.fee()).isEqualByComparingTo("0.00597");
    }

    @Test
    void anOrderWithFillsButNotYetInTheHistoryIsNeverReadAsUnknown() {
        stubNotOnTheBook();
        stubFor(get(urlPathEqualTo(HISTORY)).willReturn(okJson("[]")));
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("sortDirection", equalTo("Desc"))
                .willReturn(okJson(Kit.fixture("fills_limit_order.json"))));

        ExchangeException e = Kit.failure(() -> Kit.exchange(wm, sleeper).restingOrder(SOL, "22334"));

        assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(e.getMessage()).contains("2 fill(s)");
    }

    @Test
    void theTopOfTheBookIsTheHighestBidAndTheLowestAskWhateverTheirOrder() {
        stubFor(get(urlPathEqualTo(DEPTH))
                .withQueryParam("symbol", equalTo(SOL))
                .withQueryParam("limit", equalTo("5"))
                .willReturn(okJson(Kit.fixture("depth.json"))));

        TopOfBook top = Kit.exchange(wm, sleeper).topOfBook(SOL);

        assertThat(top.bid()).isEqualByComparingTo("100.62"); // the last of the ascending bids
        assertThat(top.bidQty()).isEqualByComparingTo("9.75");
        assertThat(top.ask()).isEqualByComparingTo("100.65");
        assertThat(top.askQty()).isEqualByComparingTo("65.5");
        assertThat(top.at()).isEqualTo(Instant.parse("2026-09-01T17:52:31.254895Z")); // µs
    }

    @Test
    void aOneSidedBookIsVenueDown() {
        stubFor(get(urlPathEqualTo(DEPTH))
                .willReturn(
                        okJson("{\"asks\":[],\"bids\":[[\"100.5\",\"1\"]],\"lastUpdateId\":\"1\",\"timestamp\":1}")));

        ExchangeException e = Kit.failure(() -> Kit.exchange(wm, sleeper).topOfBook(SOL));

        assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(e.getMessage()).contains("one-sided").doesNotContain("\n");
    }

    @Test
    void aCrossedBookIsVenueDown() {
        stubFor(get(urlPathEqualTo(DEPTH))
                .willReturn(okJson("{\"asks\":[[\"100.5\",\"1\"]],\"bids\":[[\"100.6\",\"1\"]],\"lastUpdateId\":\"1\","
                        + "\"timestamp\":1}")));

        ExchangeException e = Kit.failure(() -> Kit.exchange(wm, sleeper).topOfBook(SOL));

        assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(e.getMessage()).contains("crossed (bid 100.6 >= ask 100.5)");
    }

    @Test
    void feeRatesAreTheAccountsFuturesFeesInBasisPoints() {
        Kit.stubGet("/api/v1/account", "account.json");

        FeeRates fees = Kit.exchange(wm, sleeper).feeRates();

        assertThat(fees.maker()).isEqualByComparingTo("0.0002");
        assertThat(fees.taker()).isEqualByComparingTo("0.0004");
        assertThat(fees.makerSaving()).isEqualByComparingTo("0.0002");
    }

    @Test
    void backpackRestsAnOrderThatIsBothPostOnlyAndReduceOnly() {
        assertThat(Kit.exchange(wm, sleeper).postOnlyReduceOnly()).isTrue();
    }
}
