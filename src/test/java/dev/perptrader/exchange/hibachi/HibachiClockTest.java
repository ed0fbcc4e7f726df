package dev.perptrader.exchange.hibachi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.FIRST_NONCE;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.HMAC_SECRET;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.NOW;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.fixture;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.json;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.orderPosts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import dev.perptrader.config.AppConfig;
import dev.perptrader.config.Secret;
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
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The venue's clock against ours: a venue that refuses nonces more than 15 s from its own clock
 * (and verifies every order's HMAC), a clock that jumps mid-session, the periodic clock check
 * and the late-execution window as settings.
 */
@WireMockTest
final class HibachiClockTest {
    private static final String UTC = "/exchange/utc-timestamp";
    private static final String BTC = "BTC/USDT-P";
    private static final String ORDER_ID = "578721673790138368";

    /** The venue's clock: what utc-timestamp says and what nonces are checked against. */
    private final AtomicReference<Instant> venueNow = new AtomicReference<>(NOW);

    @BeforeEach
    void venue() {
        stubFor(get(urlPathEqualTo("/market/exchange-info")).willReturn(okJson(fixture("exchange-info.json"))));
        venueClockIs(NOW);
        // An order is placed only when its HMAC verifies and its nonce is within 15 s of the
        // venue's clock; any other order is refused with the nonce error, and nothing is placed.
        stubFor(post(urlPathEqualTo("/trade/order"))
                .atPriority(1)
                .andMatching(r -> MatchResult.of(acceptable(json(r.getBodyAsString()))))
                .willReturn(okJson(fixture("order-placed.json"))));
        stubFor(post(urlPathEqualTo("/trade/order"))
                .atPriority(2)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody(fixture("error-nonce-window.json"))));
        stubFor(get(urlPathEqualTo("/trade/order"))
                .withQueryParam("orderId", equalTo(ORDER_ID))
                .willReturn(okJson(fixture("order-filled.json"))));
        stubFor(get(urlPathEqualTo("/trade/orders/history")).willReturn(okJson(fixture("orders-history.json"))));
        stubFor(get(urlPathEqualTo("/trade/account/trades")).willReturn(okJson(fixture("trades.json"))));
    }

    private boolean acceptable(JsonNode body) {
        long venueMicros =
                venueNow.get().getEpochSecond() * 1_000_000L + venueNow.get().getNano() / 1000;
        return HibachiTestKit.hmacVerifies(body, HMAC_SECRET)
                && Math.abs(body.path("nonce").asLong() - venueMicros) <= 15_000_000L;
    }

    private void venueClockIs(Instant now) {
        venueNow.set(now);
        stubFor(get(urlPathEqualTo(UTC)).willReturn(okJson("{\"timestampMs\":" + now.toEpochMilli() + "}")));
    }

    private static Fill buy(HibachiExchange ex) {
        return ex.placeMarketOrder(
                new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId()));
    }

    @Test
    void aVenueClockThatJumpsTwentySecondsRefusesTheNextOrderMeasuresAtOnceAndTakesANewOne(WireMockRuntimeInfo wm) {
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, FakeSleeper.unpaced());
        assertThat(buy(ex).state()).isEqualTo(OrderState.FILLED);
        verify(1, getRequestedFor(urlPathEqualTo(UTC)));

        venueClockIs(NOW.plusSeconds(20)); // mid-session, between two clock checks

        ExchangeException refused = catchThrowableOfType(() -> buy(ex), ExchangeException.class);
        assertThat(refused.error()).isEqualTo(ExchangeError.CLOCK_REJECTED);
        assertThat(refused.error().mayHaveExecuted()).isFalse();
        assertThat(refused.getMessage())
                .contains("not placed")
                .contains("clock offset measured again: 20000 ms")
                .contains("not within 15 seconds");
        verify(2, getRequestedFor(urlPathEqualTo(UTC))); // measured right after the refusal
        assertThat(ex.clockOffset()).contains(Duration.ofSeconds(20));

        Fill next = buy(ex); // the trader's NEW order, with a new nonce
        assertThat(next.state()).isEqualTo(OrderState.FILLED);
        assertThat(orderPosts()).hasSize(3);
        assertThat(orderPosts())
                .extracting(r -> json(r.getBodyAsString()).get("nonce").asLong())
                .containsExactly(FIRST_NONCE, FIRST_NONCE + 1, FIRST_NONCE + 20_000_000L);
        assertThat(orderPosts())
                .allSatisfy(r -> assertThat(HibachiTestKit.hmacVerifies(json(r.getBodyAsString()), HMAC_SECRET))
                        .isTrue());
        verify(2, getRequestedFor(urlPathEqualTo(UTC)));
    }

    @Test
    void theOffsetIsMeasuredAgainEveryClockCheckInterval(WireMockRuntimeInfo wm) {
        MutableClock clock = new MutableClock(NOW);
        HibachiExchange ex = HibachiTestKit.exchange(
                wm,
                HibachiTestKit.hmacCredentials(wm.getHttpBaseUrl()),
                clock,
                FakeSleeper.unpaced(),
                HibachiExchange.tradingClient(),
                new HibachiExchange.Settings(Duration.ofSeconds(15), Duration.ofMinutes(2)));

        ex.newClientId();
        verify(1, getRequestedFor(urlPathEqualTo(UTC)));
        clock.advance(Duration.ofSeconds(119));
        venueClockIs(NOW.plusSeconds(120 + 3)); // read once our clock reaches 120 s: 3 s ahead
        assertThat(ex.clockOffset()).as("not due yet").contains(Duration.ZERO);
        clock.advance(Duration.ofSeconds(1));

        String nonce = ex.newClientId();

        verify(2, getRequestedFor(urlPathEqualTo(UTC)));
        assertThat(ex.clockOffset()).contains(Duration.ofSeconds(3));
        assertThat(Long.parseLong(nonce)).isEqualTo(FIRST_NONCE + 123_000_000L);
    }

    @Test
    void aFailedClockCheckKeepsTheOldOffsetAndNeverBlocksANonce(WireMockRuntimeInfo wm) {
        MutableClock clock = new MutableClock(NOW);
        venueClockIs(NOW.plusSeconds(2));
        HibachiExchange ex = HibachiTestKit.exchange(
                wm,
                HibachiTestKit.hmacCredentials(wm.getHttpBaseUrl()),
                clock,
                FakeSleeper.unpaced(),
                HibachiExchange.tradingClient(),
                HibachiExchange.Settings.DEFAULT);
        ex.newClientId();
        stubFor(get(urlPathEqualTo(UTC)).willReturn(serverError()));
        clock.advance(Duration.ofMinutes(5));

        String nonce = ex.newClientId();

        assertThat(Long.parseLong(nonce)).isEqualTo(FIRST_NONCE + 302_000_000L);
        verify(1 + HibachiHttp.READ_ATTEMPTS, getRequestedFor(urlPathEqualTo(UTC)));
        ex.newClientId(); // within the retry pause: no new attempt
        verify(1 + HibachiHttp.READ_ATTEMPTS, getRequestedFor(urlPathEqualTo(UTC)));
    }

    @Test
    void aNonceOutsideTheWindowAsLastMeasuredIsNotSentAndIsClockRejected(WireMockRuntimeInfo wm) {
        MutableClock clock = new MutableClock(NOW);
        HibachiExchange ex = HibachiTestKit.exchange(
                wm,
                HibachiTestKit.hmacCredentials(wm.getHttpBaseUrl()),
                clock,
                FakeSleeper.unpaced(),
                HibachiExchange.tradingClient(),
                HibachiExchange.Settings.DEFAULT);
        String nonce = ex.newClientId();
        clock.advance(Duration.ofSeconds(16)); // the order waited too long before it was sent

        ExchangeException e = catchThrowableOfType(
                () -> ex.placeMarketOrder(new OrderRequest(BTC, OrderSide.BUY, new BigDecimal("0.001"), false, nonce)),
                ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.CLOCK_REJECTED);
        assertThat(e.getMessage()).contains("order not sent");
        assertThat(orderPosts()).isEmpty();
    }

    @Test
    void theLateExecutionWindowIsTheSettingFifteenSecondsByDefault(WireMockRuntimeInfo wm) {
        HibachiExchange shortened = HibachiTestKit.exchange(
                wm,
                HibachiTestKit.hmacCredentials(wm.getHttpBaseUrl()),
                HibachiTestKit.CLOCK,
                FakeSleeper.unpaced(),
                HibachiExchange.tradingClient(),
                new HibachiExchange.Settings(Duration.ofMillis(2500), Duration.ofMinutes(5)));

        assertThat(shortened.lateExecutionWindow()).isEqualTo(Duration.ofMillis(2500));
        assertThat(HibachiTestKit.hmacExchange(wm, FakeSleeper.unpaced()).lateExecutionWindow())
                .isEqualTo(Duration.ofSeconds(15));
        assertThat(HibachiExchange.live(
                                new AppConfig.ExchangeCredentials(
                                        Map.of(
                                                "account_id",
                                                "1234",
                                                "api_url",
                                                wm.getHttpBaseUrl(),
                                                "data_url",
                                                wm.getHttpBaseUrl()),
                                        Map.of(
                                                "api_key",
                                                Secret.of(HibachiTestKit.API_KEY),
                                                "api_secret",
                                                Secret.of(HMAC_SECRET)),
                                        Duration.ofSeconds(7),
                                        Duration.ofMinutes(5)),
                                HibachiTestKit.CLOCK)
                        .lateExecutionWindow())
                .as("from exchanges.hibachi.late_execution_seconds")
                .isEqualTo(Duration.ofSeconds(7));
    }
}
