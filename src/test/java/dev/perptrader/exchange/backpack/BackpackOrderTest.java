package dev.perptrader.exchange.backpack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Market orders (filled, partial, unfilled, fee from fills), unknown outcomes and lookups by client id. */
@WireMockTest
final class BackpackOrderTest {
    private static final String SOL = "SOL_USDC_PERP";
    private static final String ORDER = "/api/v1/order";
    private static final String FILLS = "/wapi/v1/history/fills";
    private static final String HISTORY = "/wapi/v1/history/orders";

    private WireMockRuntimeInfo wm;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void stubs(WireMockRuntimeInfo wm) {
        this.wm = wm;
        Kit.stubTime(Kit.NOW_MS);
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("orderId", equalTo("59669287267"))
                .willReturn(okJson(Kit.fixture("fills_order.json"))));
    }

    @AfterEach
    void everySignedRequestVerifies() {
        assertThat(SignedRequests.assertAllVerify(wm.getWireMock().getServeEvents()))
                .isPositive();
    }

    @Test
    void filledOrderWithAveragePriceAndFeeFromItsFills() {
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("order_filled.json"))));

        Fill fill = Kit.exchange(wm, sleeper)
                .placeMarketOrder(new OrderRequest(SOL, OrderSide.SELL, new BigDecimal("0.50"), true, "12345"));

        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.clientId()).isEqualTo("12345");
        assertThat(fill.venueOrderId()).isEqualTo("59669287267");
        assertThat(fill.symbol()).isEqualTo(SOL);
        assertThat(fill.side()).isEqualTo(OrderSide.SELL);
        assertThat(fill.filledQty()).isEqualByComparingTo("0.5");
        assertThat(fill.avgPrice()).isEqualByComparingTo("100.606"); // 50.303 / 0.5
        assertThat(fill.fee()).isEqualByComparingTo("0.0201212"); // 0.0120744 + 0.0080468
    }

    @Test
    void theOrderAndItsFillLookupCarryTheDocumentedBodiesAndSignatures() {
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("order_filled.json"))));

        Kit.exchange(wm, sleeper)
                .placeMarketOrder(new OrderRequest(SOL, OrderSide.SELL, new BigDecimal("0.500"), true, "12345"));

        var order =
                wm.getWireMock().find(postRequestedFor(urlPathEqualTo(ORDER))).get(0);
        assertThat(order.getBodyAsString())
                .isEqualTo("{\"symbol\":\"SOL_USDC_PERP\",\"side\":\"Ask\","
                        + "\"orderType\":\"Market\",\"quantity\":\"0.5\",\"reduceOnly\":true,\"clientId\":12345}");
        assertThat(order.getHeader("X-Signature"))
                .as("§2 vector 1")
                .isEqualTo("ZDTSVxeEj85MY8bT9nd+PkdG8Q8217y8wQMsVjhzoIMyzhu2gT1DhI+MJyMFddEtaBcqOWKeelulPWe4Kx9XAQ==");
        var fills =
                wm.getWireMock().find(getRequestedFor(urlPathEqualTo(FILLS))).get(0);
        assertThat(fills.getHeader("X-Signature"))
                .as("§2 vector 2")
                .isEqualTo("T1481yDZZy8j38uQP46gcMSyt6vQbByyRIuhmDQjgOQGzXtwyey6QbubX20Ai6rL+Xx7beTpCSprdxZryFCXDw==");
    }

    @Test
    void sendsReduceOnlyOnlyWhenTrueAndTheQuantityAsAPlainString() {
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("order_expired_unfilled.json"))));

        Kit.exchange(wm, sleeper)
                .placeMarketOrder(new OrderRequest(SOL, OrderSide.BUY, new BigDecimal("1E+1"), false, "12347"));

        verify(postRequestedFor(urlPathEqualTo(ORDER))
                .withRequestBody(equalToJson(
                        "{\"symbol\":\"SOL_USDC_PERP\",\"side\":\"Bid\",\"orderType\":\"Market\",\"quantity\":\"10\","
                                + "\"clientId\":12347}")));
    }

    @Test
    void anExpiredOrderThatExecutedInPartIsPartial() {
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("order_partial.json"))));
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("orderId", equalTo("59669287301"))
                .willReturn(okJson(
                        "[{\"tradeId\":4012401,\"orderId\":\"59669287301\",\"clientId\":\"12346\",\"symbol\":\"SOL_USDC_PERP\","
                                + "\"side\":\"Bid\",\"price\":\"100.633333\",\"quantity\":\"0.3\",\"fee\":\"0.012076\","
                                + "\"feeSymbol\":\"USDC\",\"isMaker\":false,\"systemOrderType\":null,"
                                + "\"timestamp\":\"2025-06-24T19:23:41.531\"}]")));

        Fill fill = Kit.exchange(wm, sleeper)
                .placeMarketOrder(new OrderRequest(SOL, OrderSide.BUY, new BigDecimal("0.5"), false, "12346"));

        assertThat(fill.state()).isEqualTo(OrderState.PARTIAL);
        assertThat(fill.filledQty()).isEqualByComparingTo("0.3");
        assertThat(fill.avgPrice()).isEqualByComparingTo("100.6333333333333333333333333333333"); // 30.19/0.3, 34 digits
        assertThat(fill.fee()).isEqualByComparingTo("0.012076");
    }

    @Test
    void partiallyFilledStatusIsPartial() {
        stubFor(post(urlPathEqualTo(ORDER))
                .willReturn(okJson(Kit.fixture("order_partial.json").replace("\"Expired\"", "\"PartiallyFilled\""))));
        stubFor(get(urlPathEqualTo(FILLS)).willReturn(okJson("[]")));

        Fill fill = Kit.exchange(wm, sleeper)
                .placeMarketOrder(new OrderRequest(SOL, OrderSide.BUY, new BigDecimal("0.5"), false, "12346"));

        assertThat(fill.state()).isEqualTo(OrderState.PARTIAL);
        assertThat(fill.fee()).as("no fills visible yet").isEqualByComparingTo("0");
    }

    @Test
    void anOrderThatExecutedNothingIsRejectedWithoutAFeeLookup() {
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("order_expired_unfilled.json"))));

        Fill fill = Kit.exchange(wm, sleeper)
                .placeMarketOrder(new OrderRequest(SOL, OrderSide.BUY, new BigDecimal("0.5"), false, "12347"));

        assertThat(fill.state()).isEqualTo(OrderState.REJECTED);
        assertThat(fill.filledQty()).isEqualByComparingTo("0");
        assertThat(fill.avgPrice()).isEqualByComparingTo("0");
        verify(0, getRequestedFor(urlPathEqualTo(FILLS)));
    }

    @Test
    void anOrderStillOpenIsAnUnknownOutcome() {
        stubFor(post(urlPathEqualTo(ORDER))
                .willReturn(okJson(Kit.fixture("order_expired_unfilled.json").replace("\"Expired\"", "\"New\""))));

        ExchangeException e = Kit.failure(() -> Kit.exchange(wm, sleeper)
                .placeMarketOrder(new OrderRequest(SOL, OrderSide.BUY, new BigDecimal("0.5"), false, "12347")));

        assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        assertThat(e.getMessage()).contains("still open");
    }

    @Test
    void aFailedFeeLookupStillReturnsTheFilledOrderWithFeeZero() {
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("order_filled.json"))));
        stubFor(get(urlPathEqualTo(FILLS))
                .willReturn(serverError().withBody("{\"code\":\"SERVER_ERROR\",\"message\":\"x\"}")));

        Fill fill = Kit.exchange(wm, sleeper)
                .placeMarketOrder(new OrderRequest(SOL, OrderSide.SELL, new BigDecimal("0.5"), true, "12345"));

        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.filledQty()).isEqualByComparingTo("0.5");
        assertThat(fill.fee()).isEqualByComparingTo("0");
        verify(3, getRequestedFor(urlPathEqualTo(FILLS)));
        verify(1, postRequestedFor(urlPathEqualTo(ORDER)));
    }

    @Test
    void aTimeoutOnPlacementIsAnUnknownOutcomeThatLookupResolves() {
        stubFor(post(urlPathEqualTo(ORDER))
                .willReturn(okJson(Kit.fixture("order_filled.json")).withFixedDelay(1500)));
        stubFor(get(urlPathEqualTo(HISTORY)).willReturn(okJson(Kit.fixture("history_orders.json"))));
        BackpackExchange ex = Kit.exchange(wm, Kit.FIXED, sleeper, Kit.TUNING.withCallTimeout(Duration.ofMillis(200)));

        ExchangeException e = Kit.failure(
                () -> ex.placeMarketOrder(new OrderRequest(SOL, OrderSide.SELL, new BigDecimal("0.5"), true, "12345")));

        assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        assertThat(e.error().mayHaveExecuted()).isTrue();
        assertThat(e.getMessage()).contains("POST /api/v1/order").contains("reconcile by client id");
        assertThat(sleeper.waits()).as("orders are never retried").isEmpty();

        Fill found = ex.lookupOrder(SOL, "12345").orElseThrow();

        assertThat(found.state()).isEqualTo(OrderState.FILLED);
        assertThat(found.venueOrderId()).isEqualTo("59669287267");
        assertThat(found.filledQty()).isEqualByComparingTo("0.5");
        assertThat(found.avgPrice()).isEqualByComparingTo("100.606");
        assertThat(found.fee()).isEqualByComparingTo("0.0201212");
        assertThat(found.side()).isEqualTo(OrderSide.SELL);
        verify(1, postRequestedFor(urlPathEqualTo(ORDER)));
        verify(getRequestedFor(urlPathEqualTo(HISTORY)).withQueryParam("symbol", equalTo(SOL)));
    }

    @Test
    void lookupReadsAPartialOrderFromTheHistory() {
        stubFor(get(urlPathEqualTo(HISTORY)).willReturn(okJson(Kit.fixture("history_orders.json"))));
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("orderId", equalTo("59669286001"))
                .willReturn(okJson("[]")));

        Fill found = Kit.exchange(wm, sleeper).lookupOrder(SOL, "4294967295").orElseThrow();

        assertThat(found.state()).isEqualTo(OrderState.PARTIAL);
        assertThat(found.filledQty()).isEqualByComparingTo("0.2");
        assertThat(found.avgPrice()).isEqualByComparingTo("100.5");
        assertThat(found.side()).isEqualTo(OrderSide.BUY);
    }

    @Test
    void lookupFallsBackToFillsWhoseClientIdIsAString() {
        stubFor(get(urlPathEqualTo(HISTORY)).willReturn(okJson("[]")));
        stubFor(get(urlPathEqualTo(FILLS)).willReturn(okJson(Kit.fixture("fills_recent.json"))));

        Fill found = Kit.exchange(wm, sleeper).lookupOrder(SOL, "777").orElseThrow();

        assertThat(found.state()).isEqualTo(OrderState.FILLED);
        assertThat(found.venueOrderId()).isEqualTo("59669287777");
        assertThat(found.filledQty()).isEqualByComparingTo("0.5");
        assertThat(found.avgPrice()).isEqualByComparingTo("100.65");
        assertThat(found.fee()).isEqualByComparingTo("0.02013");
    }

    @Test
    void lookupIsEmptyWhenTheVenueNeverSawTheOrder() {
        stubFor(get(urlPathEqualTo(HISTORY)).willReturn(okJson(Kit.fixture("history_orders.json"))));
        stubFor(get(urlPathEqualTo(FILLS)).willReturn(okJson(Kit.fixture("fills_recent.json"))));

        Optional<Fill> found = Kit.exchange(wm, sleeper).lookupOrder(SOL, "99999");

        assertThat(found).isEmpty();
    }

    @Test
    void lookupTreatsNotFoundAsNoOrder() {
        String notFound = "{\"code\":\"RESOURCE_NOT_FOUND\",\"message\":\"Not Found\"}";
        stubFor(get(urlPathEqualTo(HISTORY))
                .willReturn(aResponse().withStatus(404).withBody(notFound)));
        stubFor(get(urlPathEqualTo(FILLS))
                .willReturn(aResponse().withStatus(404).withBody(notFound)));

        assertThat(Kit.exchange(wm, sleeper).lookupOrder(SOL, "12345")).isEmpty();
    }

    @Test
    void lookupOfAnOrderStillOpenIsAnUnknownOutcome() {
        stubFor(get(urlPathEqualTo(HISTORY))
                .willReturn(okJson(
                        Kit.fixture("history_orders.json").replace("\"status\":\"Filled\"", "\"status\":\"New\""))));

        ExchangeException e = Kit.failure(() -> Kit.exchange(wm, sleeper).lookupOrder(SOL, "12345"));

        assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
    }

    @Test
    void aClientIdThatIsNotAUint32IsNeverSent() {
        BackpackExchange ex = Kit.exchange(wm, sleeper);

        ExchangeException e = Kit.failure(
                () -> ex.placeMarketOrder(new OrderRequest(SOL, OrderSide.BUY, BigDecimal.ONE, false, "4294967296")));

        assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
        assertThat(ex.lookupOrder(SOL, "abc")).isEmpty();
        verify(0, postRequestedFor(urlPathEqualTo(ORDER)));
        Kit.stubGet("/api/v1/capital/collateral", "collateral_empty.json");
        stubFor(get(urlPathEqualTo("/api/v1/position")).willReturn(okJson("[]")));
        ex.account(); // at least one signed request for the after-each check
    }

    @Test
    void clientIdsAreDistinctUint32sAndARestartStartsAboveThem() {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(Kit.NOW_MS));
        BackpackExchange first = Kit.exchange(wm, clock, sleeper, Kit.TUNING);
        Set<String> ids = new HashSet<>();
        long last = -1;
        for (int i = 0; i < 10_000; i++) {
            String id = first.newClientId();
            long v = Long.parseLong(id);
            assertThat(v).isBetween(0L, 4_294_967_295L).isGreaterThan(last);
            last = v;
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);

        clock.advance(Duration.ofMinutes(5)); // a restart a few minutes later
        BackpackExchange second = Kit.exchange(wm, clock, sleeper, Kit.TUNING);
        assertThat(Long.parseLong(second.newClientId())).isGreaterThan(last);

        Kit.stubGet("/api/v1/capital/collateral", "collateral_empty.json");
        stubFor(get(urlPathEqualTo("/api/v1/position")).willReturn(okJson("[]")));
        second.account();
    }
}
