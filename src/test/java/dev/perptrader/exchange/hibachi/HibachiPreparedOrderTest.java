package dev.perptrader.exchange.hibachi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.findAll;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.ACCOUNT_ID;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.API_KEY;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.FIRST_NONCE;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.HMAC_SECRET;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.NOW;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.PRIVATE_KEY;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.fixture;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.json;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.orderPosts;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.stubMarketBasics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.perptrader.config.AppConfig;
import dev.perptrader.config.Secret;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Orders prepared ahead of sending: the nonce and signature of their preparation, no signing
 * while sending, sent at most once, and confirmed (first word, unknown outcomes) exactly as
 * {@code placeMarketOrder} confirms.
 */
@WireMockTest
final class HibachiPreparedOrderTest {
    private static final String ORDER_ID = "578721673790138368";
    private static final String BTC = "BTC/USDT-P";
    private static final String STATUS = "/trade/order";
    private static final String HISTORY = "/trade/orders/history";
    private static final String TRADES = "/trade/account/trades";

    private final FakeSleeper sleeper = FakeSleeper.unpaced();

    /** The test HMAC signer, counting what it signs, that fails the test if it signs once closed. */
    private static final class GuardedSigner implements HibachiSigner {
        private final HibachiSigner inner = HibachiSigner.Hmac.of(HMAC_SECRET);
        private final AtomicInteger signatures = new AtomicInteger();
        private volatile boolean closed;

        @Override
        public String sign(byte[] payload) {
            if (closed) {
                throw new AssertionError("signed while sending");
            }
            signatures.incrementAndGet();
            return inner.sign(payload);
        }
    }

    @BeforeEach
    void stubVenue() {
        stubMarketBasics();
    }

    private static void stubFilledOrder(String statusFixture) {
        stubFor(post(urlPathEqualTo("/trade/order")).willReturn(okJson(fixture("order-placed.json"))));
        stubFor(get(urlPathEqualTo(STATUS))
                .withQueryParam("orderId", equalTo(ORDER_ID))
                .withQueryParam("accountId", equalTo("1234"))
                .willReturn(okJson(fixture(statusFixture))));
        stubFor(get(urlPathEqualTo(HISTORY)).willReturn(okJson(fixture("orders-history.json"))));
        stubFor(get(urlPathEqualTo(TRADES)).willReturn(okJson(fixture("trades.json"))));
    }

    private HibachiExchange exchange(WireMockRuntimeInfo wm, AppConfig.ExchangeCredentials creds, Clock clock) {
        return HibachiTestKit.exchange(wm, creds, clock, sleeper, HibachiExchange.tradingClient());
    }

    private static OrderRequest buy(HibachiExchange ex) {
        return new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId());
    }

    private static JsonNode onlyOrderBody() {
        assertThat(orderPosts()).hasSize(1);
        return json(orderPosts().get(0).getBodyAsString());
    }

    private static void assertUnknownOutcome(ThrowingCallable call, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ExchangeException.class, e -> {
            assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
            assertThat(e.getMessage()).contains(messagePart).doesNotContain(API_KEY);
        });
    }

    @Test
    void aPreparedHmacOrderCarriesTheNonceAndSignatureOfItsPreparationNotOfItsSending(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        MutableClock clock = new MutableClock(NOW);
        HibachiExchange ex = exchange(wm, HibachiTestKit.hmacCredentials(wm.getHttpBaseUrl()), clock);

        PreparedOrder order = ex.prepareMarketOrder(buy(ex));
        assertThat(orderPosts()).isEmpty();
        clock.advance(Duration.ofSeconds(3)); // inside the venue's 15 s
        Fill fill = order.send();

        JsonNode body = onlyOrderBody();
        assertThat(body.get("nonce").asLong()).isEqualTo(FIRST_NONCE);
        assertThat(HibachiTestKit.hmacVerifies(body, HMAC_SECRET)).isTrue();
        assertThat(Long.parseLong(ex.newClientId()))
                .as("the clock did move: a nonce made now is 3 s later")
                .isEqualTo(FIRST_NONCE + 3_000_000L);
        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.clientId()).isEqualTo(Long.toString(FIRST_NONCE));
        assertThat(fill.avgPrice()).isEqualByComparingTo("64005.5");
        assertThat(fill.fee()).isEqualByComparingTo("0.028802");
    }

    @Test
    void aPreparedEcdsaOrderCarriesTheNonceOfItsPreparationAndVerifiesAgainstThePublicKey(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        MutableClock clock = new MutableClock(NOW);
        HibachiExchange ex = exchange(wm, HibachiTestKit.ecdsaCredentials(wm.getHttpBaseUrl()), clock);

        PreparedOrder order = ex.prepareMarketOrder(buy(ex));
        clock.advance(Duration.ofSeconds(3));
        order.send();

        JsonNode body = onlyOrderBody();
        assertThat(body.get("nonce").asLong()).isEqualTo(FIRST_NONCE);
        assertThat(HibachiTestKit.ecdsaVerifies(body, PRIVATE_KEY)).isTrue();
    }

    @Test
    void sendingSignsNothing(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        GuardedSigner signer = new GuardedSigner();
        HibachiExchange ex = new HibachiExchange(
                HibachiExchange.tradingClient(),
                wm.getHttpBaseUrl(),
                wm.getHttpBaseUrl(),
                HibachiTestKit.CLOCK,
                sleeper,
                Optional.of(new HibachiExchange.Credentials(Secret.of(API_KEY), ACCOUNT_ID, signer)));

        PreparedOrder order = ex.prepareMarketOrder(buy(ex));
        assertThat(signer.signatures).hasValue(1);
        signer.closed = true;
        Fill fill = order.send();

        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(signer.signatures).hasValue(1);
        assertThat(HibachiTestKit.hmacVerifies(onlyOrderBody(), HMAC_SECRET)).isTrue();
    }

    @Test
    void aPreparedOrderIsSentOnlyOnce(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);
        PreparedOrder order = ex.prepareMarketOrder(buy(ex));
        order.send();

        assertThatThrownBy(order::send)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Long.toString(FIRST_NONCE))
                .hasMessageContaining("at most once");
        assertThat(orderPosts()).hasSize(1);
        assertThat(HibachiTestKit.hmacVerifies(onlyOrderBody(), HMAC_SECRET)).isTrue();
    }

    @Test
    void aNonceGoneStaleBetweenPreparingAndSendingIsNotSent(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        MutableClock clock = new MutableClock(NOW);
        HibachiExchange ex = exchange(wm, HibachiTestKit.hmacCredentials(wm.getHttpBaseUrl()), clock);
        PreparedOrder order = ex.prepareMarketOrder(buy(ex));
        clock.advance(Duration.ofSeconds(16));

        assertThatThrownBy(order::send).isInstanceOfSatisfying(ExchangeException.class, e -> {
            assertThat(e.error()).isEqualTo(ExchangeError.CLOCK_REJECTED);
            assertThat(e.getMessage()).contains("16 s away").contains("not sent");
        });
        assertThatThrownBy(order::send).isInstanceOf(IllegalStateException.class);
        assertThat(orderPosts()).isEmpty();
    }

    @Test
    void firstSeenGetsTheStatusReadBeforeThePriceAndFeeAreRead(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);
        PreparedOrder order = ex.prepareMarketOrder(buy(ex));
        List<Fill> seen = new ArrayList<>();
        List<Integer> readsWhenSeen = new ArrayList<>();

        Fill fill = order.send(f -> {
            seen.add(f);
            readsWhenSeen.add(findAll(getRequestedFor(urlPathEqualTo(STATUS))).size());
            readsWhenSeen.add(findAll(getRequestedFor(urlPathEqualTo(HISTORY))).size());
            readsWhenSeen.add(findAll(getRequestedFor(urlPathEqualTo(TRADES))).size());
        });

        assertThat(seen).singleElement().satisfies(f -> {
            assertThat(f.state()).isEqualTo(OrderState.FILLED);
            assertThat(f.filledQty()).isEqualByComparingTo("0.001");
            assertThat(f.avgPrice()).isNull();
            assertThat(f.fee()).isNull();
        });
        assertThat(readsWhenSeen)
                .as("status, history, trades reads when first seen")
                .containsExactly(1, 0, 0);
        assertThat(fill.avgPrice()).isEqualByComparingTo("64005.5");
        assertThat(fill.fee()).isEqualByComparingTo("0.028802");
        assertThat(HibachiTestKit.hmacVerifies(onlyOrderBody(), HMAC_SECRET)).isTrue();
    }

    @Test
    void anOrderStillPartlyFilledAfterThePollsIsAnUnknownOutcomeThatHandsOnNoFirstWord(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        stubFor(get(urlPathEqualTo(STATUS))
                .withQueryParam("orderId", equalTo(ORDER_ID))
                .willReturn(okJson(fixture("order-filled.json")
                        .replace("\"availableQuantity\":\"0.0000000000\"", "\"availableQuantity\":\"0.0004000000\"")
                        .replace("\"status\":\"FILLED\"", "\"status\":\"PARTIALLY_FILLED\""))));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);
        PreparedOrder order = ex.prepareMarketOrder(buy(ex));
        List<Fill> seen = new ArrayList<>();

        assertUnknownOutcome(() -> order.send(seen::add), "PARTIALLY_FILLED");
        assertThat(seen).isEmpty();
        assertThat(HibachiTestKit.hmacVerifies(onlyOrderBody(), HMAC_SECRET)).isTrue();
    }

    @Test
    void anAcceptedOrderWhoseStatusCannotBeReadIsAnUnknownOutcomeThatHandsOnNoFirstWord(WireMockRuntimeInfo wm) {
        stubFilledOrder("order-filled.json");
        stubFor(get(urlPathEqualTo(STATUS))
                .willReturn(aResponse().withStatus(503).withBody(fixture("maintenance.html"))));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, sleeper);
        PreparedOrder order = ex.prepareMarketOrder(buy(ex));
        List<Fill> seen = new ArrayList<>();

        assertUnknownOutcome(() -> order.send(seen::add), ORDER_ID);
        assertThat(seen).isEmpty();
        assertThat(orderPosts()).hasSize(1);
    }

    @Test
    void aTimeoutOnSendingIsAnUnknownOutcomeThatHandsOnNoFirstWord(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo("/trade/order"))
                .willReturn(okJson(fixture("order-placed.json")).withFixedDelay(1_000)));
        OkHttpClient client = HibachiTestKit.shortTimeoutClient();
        HibachiExchange ex = HibachiTestKit.exchange(
                wm, HibachiTestKit.hmacCredentials(wm.getHttpBaseUrl()), HibachiTestKit.CLOCK, sleeper, client);
        PreparedOrder order = ex.prepareMarketOrder(buy(ex));
        List<Fill> seen = new ArrayList<>();

        assertUnknownOutcome(() -> order.send(seen::add), "POST /trade/order");
        assertThat(seen).isEmpty();
        assertThat(orderPosts()).hasSize(1);
        assertThat(sleeper.waits()).as("orders are never retried").isEmpty();
        assertThat(HibachiTestKit.hmacVerifies(onlyOrderBody(), HMAC_SECRET)).isTrue();
    }
}
