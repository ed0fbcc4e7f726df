package dev.perptrader.exchange.backpack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PreparedOrder;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Orders prepared ahead of sending: signed with the timestamp of their preparation, sent without
 * signing, at most once, and answered exactly as {@code placeMarketOrder} answers.
 */
@WireMockTest
final class BackpackPreparedOrderTest {
    private static final String SOL = "SOL_USDC_PERP";
    private static final String ORDER = "/api/v1/order";
    private static final String FILLS = "/wapi/v1/history/fills";
    /** The api doc's §2 vector 1: this order signed at {@link Kit#NOW_MS} with a 5000 ms window. */
    private static final String VECTOR_1 =
            "ZDTSVxeEj85MY8bT9nd+PkdG8Q8217y8wQMsVjhzoIMyzhu2gT1DhI+MJyMFddEtaBcqOWKeelulPWe4Kx9XAQ==";

    private static final OrderRequest SELL =
            new OrderRequest(SOL, OrderSide.SELL, new BigDecimal("0.500"), true, "12345");

    private WireMockRuntimeInfo wm;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    /** The test keys, keeping every signing string it signed, in order. */
    private static final class RecordingSigner implements RequestSigner {
        private final BackpackCredentials keys = Kit.credentials();
        private final List<String> signed = Collections.synchronizedList(new ArrayList<>());

        @Override
        public String apiKey() {
            return keys.apiKey();
        }

        @Override
        public String sign(String signingString) {
            signed.add(signingString);
            return keys.sign(signingString);
        }

        /** The instruction of each signing string signed so far. */
        List<String> instructions() {
            synchronized (signed) {
                return signed.stream()
                        .map(s -> s.substring("instruction=".length(), s.indexOf('&')))
                        .toList();
            }
        }
    }

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

    private BackpackExchange exchange(RequestSigner signer, Clock clock) {
        return new BackpackExchange(
                BackpackHttp.httpClient(Kit.TUNING),
                HttpUrl.get(wm.getHttpBaseUrl()),
                signer,
                clock,
                sleeper,
                Kit.TUNING);
    }

    private static LoggedRequest onlyOrderPost() {
        List<LoggedRequest> posts = findAll(postRequestedFor(urlPathEqualTo(ORDER)));
        assertThat(posts).hasSize(1);
        return posts.get(0);
    }

    @Test
    void aPreparedOrderCarriesTheTimestampAndSignatureOfItsPreparationNotOfItsSending() {
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("order_filled.json"))));
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(Kit.NOW_MS));
        BackpackExchange ex = Kit.exchange(wm, clock, sleeper, Kit.TUNING);

        PreparedOrder order = ex.prepareMarketOrder(SELL);
        verify(0, postRequestedFor(urlPathEqualTo(ORDER)));
        clock.advance(Duration.ofSeconds(3)); // inside the 5 s window
        Fill fill = order.send();

        LoggedRequest sent = onlyOrderPost();
        assertThat(sent.getHeader("X-Timestamp")).isEqualTo(Long.toString(Kit.NOW_MS));
        assertThat(sent.getHeader("X-Window")).isEqualTo("5000");
        assertThat(SignedRequests.verifies(sent))
                .as("signature over %s", SignedRequests.rebuild(sent))
                .isTrue();
        assertThat(sent.getHeader("X-Signature")).as("§2 vector 1").isEqualTo(VECTOR_1);
        LoggedRequest feeRead = findAll(getRequestedFor(urlPathEqualTo(FILLS))).get(0);
        assertThat(feeRead.getHeader("X-Timestamp"))
                .as("a follow-up read is signed when it is made")
                .isEqualTo(Long.toString(Kit.NOW_MS + 3000));
        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.filledQty()).isEqualByComparingTo("0.5");
        assertThat(fill.fee()).isEqualByComparingTo("0.0201212");
    }

    @Test
    void sendingSignsNothingButTheFollowUpFeeRead() {
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("order_filled.json"))));
        RecordingSigner signer = new RecordingSigner();
        BackpackExchange ex = exchange(signer, Kit.FIXED);

        PreparedOrder order = ex.prepareMarketOrder(SELL);
        assertThat(signer.instructions()).containsExactly("orderExecute");

        Fill fill = order.send();

        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(signer.instructions())
                .as("the order was signed once, before sending; sending signed only the fee read")
                .containsExactly("orderExecute", "fillHistoryQueryAll");
        assertThat(onlyOrderPost().getHeader("X-Signature")).isEqualTo(VECTOR_1);
    }

    @Test
    void sendingAnOrderThatFilledNothingSignsNothing() {
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("order_expired_unfilled.json"))));
        RecordingSigner signer = new RecordingSigner();
        BackpackExchange ex = exchange(signer, Kit.FIXED);
        PreparedOrder order =
                ex.prepareMarketOrder(new OrderRequest(SOL, OrderSide.BUY, new BigDecimal("0.5"), false, "12347"));
        assertThat(signer.instructions()).hasSize(1);

        Fill fill = order.send();

        assertThat(fill.state()).isEqualTo(OrderState.REJECTED);
        assertThat(signer.instructions()).hasSize(1);
    }

    @Test
    void aPreparedOrderIsSentOnlyOnce() {
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("order_filled.json"))));
        PreparedOrder order = Kit.exchange(wm, sleeper).prepareMarketOrder(SELL);
        order.send();

        assertThatThrownBy(order::send)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("12345")
                .hasMessageContaining("at most once");
        assertThatThrownBy(() -> order.send(fill -> {})).isInstanceOf(IllegalStateException.class);
        verify(1, postRequestedFor(urlPathEqualTo(ORDER)));
    }

    @Test
    void aPreparedOrderWhoseSendEndedInAnUnknownOutcomeIsNotSentAgain() {
        stubFor(post(urlPathEqualTo(ORDER))
                .willReturn(serverError().withBody("{\"code\":\"SERVER_ERROR\",\"message\":\"x\"}")));
        PreparedOrder order = Kit.exchange(wm, sleeper).prepareMarketOrder(SELL);

        assertThat(Kit.failure(order::send).error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        assertThatThrownBy(order::send).isInstanceOf(IllegalStateException.class);
        verify(1, postRequestedFor(urlPathEqualTo(ORDER)));
        assertThat(sleeper.waits()).as("orders are never retried").isEmpty();
    }

    @Test
    void firstSeenGetsTheOrderReplyBeforeTheFeeIsRead() {
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(okJson(Kit.fixture("order_filled.json"))));
        PreparedOrder order = Kit.exchange(wm, sleeper).prepareMarketOrder(SELL);
        List<Fill> seen = new ArrayList<>();
        AtomicInteger feeReadsWhenSeen = new AtomicInteger(-1);

        Fill fill = order.send(f -> {
            seen.add(f);
            feeReadsWhenSeen.set(findAll(getRequestedFor(urlPathEqualTo(FILLS))).size());
        });

        assertThat(seen).singleElement().satisfies(f -> {
            assertThat(f.state()).isEqualTo(OrderState.FILLED);
            assertThat(f.filledQty()).isEqualByComparingTo("0.5");
            assertThat(f.avgPrice()).isEqualByComparingTo("100.606");
            assertThat(f.fee()).isNull();
        });
        assertThat(feeReadsWhenSeen).hasValue(0);
        assertThat(fill.fee()).isEqualByComparingTo("0.0201212");
    }

    @Test
    void anOrderStillOpenIsAnUnknownOutcomeThatHandsOnNoFirstWord() {
        stubFor(post(urlPathEqualTo(ORDER))
                .willReturn(okJson(Kit.fixture("order_expired_unfilled.json").replace("\"Expired\"", "\"New\""))));
        PreparedOrder order = Kit.exchange(wm, sleeper)
                .prepareMarketOrder(new OrderRequest(SOL, OrderSide.BUY, new BigDecimal("0.5"), false, "12347"));
        List<Fill> seen = new ArrayList<>();

        ExchangeException e = Kit.failure(() -> order.send(seen::add));

        assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        assertThat(e.getMessage()).contains("still open").contains("reconcile by client id");
        assertThat(seen).isEmpty();
    }

    @Test
    void aTimeoutOnSendingIsAnUnknownOutcomeThatHandsOnNoFirstWord() {
        stubFor(post(urlPathEqualTo(ORDER))
                .willReturn(okJson(Kit.fixture("order_filled.json")).withFixedDelay(1500)));
        BackpackExchange ex = Kit.exchange(wm, Kit.FIXED, sleeper, Kit.TUNING.withCallTimeout(Duration.ofMillis(200)));
        PreparedOrder order = ex.prepareMarketOrder(SELL);
        List<Fill> seen = new ArrayList<>();

        ExchangeException e = Kit.failure(() -> order.send(seen::add));

        assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        assertThat(e.getMessage()).contains("POST /api/v1/order");
        assertThat(seen).isEmpty();
        verify(1, postRequestedFor(urlPathEqualTo(ORDER)));
        assertThat(sleeper.waits()).as("orders are never retried").isEmpty();
    }

    @Test
    void aPreparedOrderSentAfterItsWindowIsRefusedByTheVenueAndNotExecuted() {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(Kit.NOW_MS));
        // the venue (its clock is ours) executes an order only within X-Window of its X-Timestamp
        stubFor(post(urlPathEqualTo(ORDER))
                .atPriority(1)
                .andMatching(r -> MatchResult.of(clock.millis() - Long.parseLong(r.getHeader("X-Timestamp"))
                        <= Long.parseLong(r.getHeader("X-Window"))))
                .willReturn(okJson(Kit.fixture("order_filled.json"))));
        stubFor(post(urlPathEqualTo(ORDER))
                .atPriority(2)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"code\":\"INVALID_CLIENT_REQUEST\",\"message\":\"Request has expired\"}")));
        BackpackExchange ex = Kit.exchange(wm, clock, sleeper, Kit.TUNING);
        PreparedOrder order = ex.prepareMarketOrder(SELL);
        clock.advance(Duration.ofMillis(5001));

        ExchangeException e = Kit.failure(order::send);

        assertThat(e.error()).isEqualTo(ExchangeError.CLOCK_REJECTED);
        assertThat(e.error().mayHaveExecuted()).isFalse();
        assertThat(onlyOrderPost().getHeader("X-Timestamp")).isEqualTo(Long.toString(Kit.NOW_MS));
        verify(2, getRequestedFor(urlPathEqualTo("/api/v1/time"))); // measured again after the refusal
    }
}
