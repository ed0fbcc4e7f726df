package dev.perptrader.exchange.backpack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.OrderRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import okhttp3.HttpUrl;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The error adapter end to end: venue codes, plain-text, HTML and empty bodies, 429 and 5xx,
 * timeouts and resets, mapped per call kind; reads retried with backoff, orders never.
 */
@WireMockTest
final class BackpackErrorsTest {
    private static final String ORDER = "/api/v1/order";
    private static final String MARK_PRICES = "/api/v1/markPrices";
    private static final String COLLATERAL = "/api/v1/capital/collateral";

    private WireMockRuntimeInfo wm;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void stubs(WireMockRuntimeInfo wm) {
        this.wm = wm;
        Kit.stubTime(Kit.NOW_MS);
    }

    @AfterEach
    void everySignedRequestVerifies() {
        SignedRequests.assertAllVerify(wm.getWireMock().getServeEvents());
    }

    @ParameterizedTest(name = "order: HTTP {0} {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '^',
            value = {
                "400|{\"code\":\"INSUFFICIENT_MARGIN\",\"message\":\"Insufficient margin\"}|INSUFFICIENT_MARGIN",
                "400|{\"code\":\"INSUFFICIENT_FUNDS\",\"message\":\"Insufficient funds\"}|INSUFFICIENT_MARGIN",
                "400|{\"code\":\"MAX_LEVERAGE_REACHED\",\"message\":\"Max leverage reached\"}|INSUFFICIENT_MARGIN",
                "400|{\"code\":\"INVALID_QUANTITY\",\"message\":\"Quantity is below the minimum\"}|BELOW_MINIMUM",
                "400|{\"code\":\"INVALID_ORDER\",\"message\":\"Quantity decimal too long\"}|BELOW_MINIMUM",
                "400|Quantity decimal too long|BELOW_MINIMUM",
                "400|{\"code\":\"INVALID_ORDER\",\"message\":\"Order with client ID already exists: 12345\"}|REJECTED",
                "400|{\"code\":\"INVALID_ORDER\",\"message\":\"Invalid order\"}|REJECTED",
                "400|{\"code\":\"INVALID_CLIENT_REQUEST\",\"message\":\"Invalid signature\"}|AUTH_FAILED",
                "401|{\"code\":\"UNAUTHORIZED\",\"message\":\"Unauthorized\"}|AUTH_FAILED",
                "401|Unauthorized|AUTH_FAILED",
                "400|{\"code\":\"INVALID_CLIENT_REQUEST\",\"message\":\"Request has expired\"}|CLOCK_REJECTED",
                "400|{\"code\":\"INVALID_CLIENT_REQUEST\",\"message\":\"Invalid timestamp\"}|CLOCK_REJECTED",
                "400|{\"code\":\"TRADING_PAUSED\",\"message\":\"Trading paused\"}|REJECTED",
                "400|^parse request payload error: failed to parse \"MarketSymbol\": Invalid market symbol^|REJECTED",
                "404|{\"code\":\"RESOURCE_NOT_FOUND\",\"message\":\"Not Found\"}|REJECTED",
                "429|{\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"Too many requests\"}|RATE_LIMITED",
                "400|{\"code\":\"MAINTENANCE\",\"message\":\"System under maintenance\"}|UNKNOWN_OUTCOME",
                "503|Unknown error, please check your request or try again later.|UNKNOWN_OUTCOME",
                "500|{\"code\":\"SERVER_ERROR\",\"message\":\"Internal error\"}|UNKNOWN_OUTCOME",
                "502|<html><body><h1>502 Bad Gateway</h1></body></html>|UNKNOWN_OUTCOME",
                "200|<!DOCTYPE html><html><body>maintenance</body></html>|UNKNOWN_OUTCOME",
                "200|{\"id\":\"59669287267\",\"status\":|UNKNOWN_OUTCOME",
                "200|^^|UNKNOWN_OUTCOME",
                "403|<html><body>Request blocked</body></html>|REJECTED",
            })
    void orderErrorsAreMappedAndNeverRetried(int status, String body, ExchangeError expected) {
        stubFor(post(urlPathEqualTo(ORDER))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", body.startsWith("{") ? "application/json" : "text/plain")
                        .withBody(body == null ? "" : body)));

        ExchangeException e = failure(() -> order(Kit.exchange(wm, sleeper)));

        assertThat(e.error()).isEqualTo(expected);
        assertThat(e.venue()).isEqualTo(BackpackExchange.VENUE);
        assertThat(e.getMessage()).startsWith("backpack: " + expected).contains("POST /api/v1/order");
        assertSafe(e);
        verify(1, postRequestedFor(urlPathEqualTo(ORDER)));
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void aConnectionResetDuringAnOrderIsAnUnknownOutcome() {
        stubFor(post(urlPathEqualTo(ORDER)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        ExchangeException e = failure(() -> order(Kit.exchange(wm, sleeper)));

        assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        verify(1, postRequestedFor(urlPathEqualTo(ORDER)));
    }

    @Test
    void anOrderToAVenueThatRefusesConnectionsWasNeverSent() {
        int port = closedPort();
        BackpackExchange ex = new BackpackExchange(
                BackpackHttp.httpClient(Kit.TUNING),
                HttpUrl.get("http://localhost:" + port),
                Kit.credentials(),
                Kit.FIXED,
                sleeper,
                Kit.TUNING);

        ExchangeException e = failure(() -> order(ex));

        assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(e.error().mayHaveExecuted()).isFalse();
    }

    @Test
    void rateLimitedOrderCarriesRetryAfter() {
        stubFor(post(urlPathEqualTo(ORDER))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));

        ExchangeException e = failure(() -> order(Kit.exchange(wm, sleeper)));

        assertThat(e.error()).isEqualTo(ExchangeError.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void aThrottledReadBacksOffExponentiallyAndGivesUpAfterThreeTries() {
        stubFor(get(urlPathEqualTo(MARK_PRICES))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withBody("{\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"Too many requests\"}")));

        ExchangeException e = failure(() -> Kit.exchange(wm, sleeper).quotes(List.of("SOL_USDC_PERP")));

        assertThat(e.error()).isEqualTo(ExchangeError.RATE_LIMITED);
        verify(3, getRequestedFor(urlPathEqualTo(MARK_PRICES)));
        List<Duration> waits = sleeper.waits();
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(250), Duration.ofMillis(375));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(500), Duration.ofMillis(750));
    }

    @Test
    void aThrottledReadHonoursRetryAfterThenSucceeds() {
        stubFor(get(urlPathEqualTo(MARK_PRICES))
                .inScenario("429")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2"))
                .willSetStateTo("ok"));
        stubFor(get(urlPathEqualTo(MARK_PRICES))
                .inScenario("429")
                .whenScenarioStateIs("ok")
                .willReturn(okJson(Kit.fixture("markPrices.json"))));

        var quotes = Kit.exchange(wm, sleeper).quotes(List.of("SOL_USDC_PERP"));

        assertThat(quotes).containsKey("SOL_USDC_PERP");
        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(2));
        verify(2, getRequestedFor(urlPathEqualTo(MARK_PRICES)));
    }

    @Test
    void aRetryAfterLongerThanTheCallMayWaitFailsAtOnce() {
        stubFor(get(urlPathEqualTo(MARK_PRICES))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")));

        ExchangeException e = failure(() -> Kit.exchange(wm, sleeper).quotes(List.of("SOL_USDC_PERP")));

        assertThat(e.error()).isEqualTo(ExchangeError.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(60));
        assertThat(sleeper.waits()).isEmpty();
        verify(1, getRequestedFor(urlPathEqualTo(MARK_PRICES)));
    }

    @Test
    void a503OnAReadIsRetriedThenVenueDown() {
        stubFor(get(urlPathEqualTo(COLLATERAL))
                .willReturn(aResponse()
                        .withStatus(503)
                        .withBody("{\"code\":\"MAINTENANCE\",\"message\":\"System under maintenance\"}")));

        ExchangeException e = failure(() -> Kit.exchange(wm, sleeper).account());

        assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(e.getMessage()).contains("GET /api/v1/capital/collateral").contains("HTTP 503 MAINTENANCE");
        assertSafe(e);
        verify(3, getRequestedFor(urlPathEqualTo(COLLATERAL)));
        assertThat(sleeper.waits()).hasSize(2);
    }

    @Test
    void aReadThatRecoversAfterA503Succeeds() {
        stubFor(get(urlPathEqualTo(MARK_PRICES))
                .inScenario("503")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("ok"));
        stubFor(get(urlPathEqualTo(MARK_PRICES))
                .inScenario("503")
                .whenScenarioStateIs("ok")
                .willReturn(okJson(Kit.fixture("markPrices.json"))));

        assertThat(Kit.exchange(wm, sleeper).quotes(List.of("BTC_USDC_PERP"))).containsKey("BTC_USDC_PERP");
        assertThat(sleeper.waits()).hasSize(1);
    }

    @ParameterizedTest(name = "read: HTTP {0} {1} -> VENUE_DOWN after 3 tries")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '^',
            value = {
                "200|<!DOCTYPE html><html><head><title>CloudFront</title></head></html>",
                "200|[{\"symbol\":\"SOL_USDC_PERP\",\"markPrice\":",
                "200|^^",
                "502|<html><body>Bad Gateway</body></html>",
                "400|<html><body>Bad Request</body></html>"
            })
    void unusableReadRepliesAreVenueDown(int status, String body) {
        stubFor(get(urlPathEqualTo(MARK_PRICES))
                .willReturn(aResponse().withStatus(status).withBody(body == null ? "" : body)));

        ExchangeException e = failure(() -> Kit.exchange(wm, sleeper).quotes(List.of("SOL_USDC_PERP")));

        assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        verify(3, getRequestedFor(urlPathEqualTo(MARK_PRICES)));
    }

    @Test
    void aPlainTextClientErrorOnAReadIsRejectedWithoutRetry() {
        stubFor(get(urlPathEqualTo(COLLATERAL))
                .willReturn(aResponse().withStatus(400).withBody("parse request payload error: invalid query")));

        ExchangeException e = failure(() -> Kit.exchange(wm, sleeper).account());

        assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
        assertThat(e.getMessage()).contains("parse request payload error: invalid query");
        verify(1, getRequestedFor(urlPathEqualTo(COLLATERAL)));
    }

    @Test
    void aReadTimeoutIsRetriedThenVenueDown() {
        stubFor(get(urlPathEqualTo(MARK_PRICES)).willReturn(okJson("[]").withFixedDelay(1000)));
        BackpackExchange ex = Kit.exchange(wm, Kit.FIXED, sleeper, Kit.TUNING.withCallTimeout(Duration.ofMillis(150)));

        ExchangeException e = failure(() -> ex.quotes(List.of("SOL_USDC_PERP")));

        assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(sleeper.waits()).hasSize(2);
    }

    @Test
    void anExpiredTimestampOnAReadResyncsTheClockAndRetriesOnce() {
        stubFor(get(urlPathEqualTo(COLLATERAL))
                .inScenario("expired")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"code\":\"INVALID_CLIENT_REQUEST\",\"message\":\"Request has expired\"}"))
                .willSetStateTo("ok"));
        stubFor(get(urlPathEqualTo(COLLATERAL))
                .inScenario("expired")
                .whenScenarioStateIs("ok")
                .willReturn(okJson(Kit.fixture("collateral_empty.json"))));
        stubFor(get(urlPathEqualTo("/api/v1/position")).willReturn(okJson("[]")));
        BackpackExchange ex = Kit.exchange(wm, sleeper);
        ex.clockOffset();
        Kit.stubTime(Kit.NOW_MS + 7000); // the venue's clock moved away from ours

        assertThat(ex.account().equity()).isEqualByComparingTo("28.49145");

        verify(2, getRequestedFor(urlPathEqualTo("/api/v1/time")));
        var tries = wm.getWireMock().find(getRequestedFor(urlPathEqualTo(COLLATERAL)));
        assertThat(tries).hasSize(2);
        assertThat(tries.get(1).getHeader("X-Timestamp")).isEqualTo(Long.toString(Kit.NOW_MS + 7000));
        assertThat(ex.clockOffset()).contains(Duration.ofMillis(7000));
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void aReadStillExpiredAfterTheResyncIsClockRejected() {
        stubFor(get(urlPathEqualTo(COLLATERAL))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"code\":\"INVALID_CLIENT_REQUEST\",\"message\":\"Invalid timestamp\"}")));

        ExchangeException e = failure(() -> Kit.exchange(wm, sleeper).account());

        assertThat(e.error()).isEqualTo(ExchangeError.CLOCK_REJECTED);
        verify(2, getRequestedFor(urlPathEqualTo(COLLATERAL)));
    }

    @Test
    void anExpiredOrderIsClockRejectedNotResentAndTheClockIsMeasuredAtOnce() {
        stubFor(post(urlPathEqualTo(ORDER))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"code\":\"INVALID_CLIENT_REQUEST\",\"message\":\"Request has expired\"}")));
        BackpackExchange ex = Kit.exchange(wm, sleeper);
        ex.clockOffset();
        Kit.stubTime(Kit.NOW_MS - 6000); // the venue's clock is 6 s behind ours now

        ExchangeException e = failure(() -> order(ex));

        assertThat(e.error()).isEqualTo(ExchangeError.CLOCK_REJECTED);
        assertThat(e.error().mayHaveExecuted()).isFalse();
        assertThat(e.getMessage()).contains("Request has expired").contains("clock offset measured again");
        verify(1, postRequestedFor(urlPathEqualTo(ORDER)));
        verify(2, getRequestedFor(urlPathEqualTo("/api/v1/time")));
        assertThat(ex.clockOffset()).as("measured right after the refusal").contains(Duration.ofMillis(-6000));
        verify(2, getRequestedFor(urlPathEqualTo("/api/v1/time")));
    }

    @Test
    void aBadSignatureIsAuthFailedThoughItSharesTheCodeOfAnExpiredRequest() {
        stubFor(post(urlPathEqualTo(ORDER))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"code\":\"INVALID_CLIENT_REQUEST\",\"message\":\"Invalid signature\"}")));

        ExchangeException e = failure(() -> order(Kit.exchange(wm, sleeper)));

        assertThat(e.error()).isEqualTo(ExchangeError.AUTH_FAILED);
        assertThat(e.getMessage()).contains("Invalid signature").contains("check exchanges.backpack.api_key");
        assertSafe(e);
        verify(1, postRequestedFor(urlPathEqualTo(ORDER)));
        verify(1, getRequestedFor(urlPathEqualTo("/api/v1/time"))); // the first signed call's; no resync
    }

    @Test
    void aBadSignatureOnAReadIsAuthFailedWithoutRetryOrResync() {
        stubFor(get(urlPathEqualTo(COLLATERAL))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"code\":\"INVALID_CLIENT_REQUEST\",\"message\":\"Invalid signature\"}")));

        ExchangeException e = failure(() -> Kit.exchange(wm, sleeper).account());

        assertThat(e.error()).isEqualTo(ExchangeError.AUTH_FAILED);
        verify(1, getRequestedFor(urlPathEqualTo(COLLATERAL)));
        verify(1, getRequestedFor(urlPathEqualTo("/api/v1/time")));
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        Clock clock = Clock.fixed(Instant.parse("2025-06-24T19:23:40Z"), ZoneOffset.UTC);
        assertThat(BackpackErrors.parseRetryAfter("2", clock)).isEqualTo(Duration.ofSeconds(2));
        assertThat(BackpackErrors.parseRetryAfter("0.5", clock)).isEqualTo(Duration.ofMillis(500));
        assertThat(BackpackErrors.parseRetryAfter("Tue, 24 Jun 2025 19:23:45 GMT", clock))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(BackpackErrors.parseRetryAfter("soon", clock)).isNull();
        assertThat(BackpackErrors.parseRetryAfter(null, clock)).isNull();
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void order(BackpackExchange ex) {
        ex.placeMarketOrder(new OrderRequest("SOL_USDC_PERP", OrderSide.BUY, new BigDecimal("0.5"), false, "12345"));
    }

    private static ExchangeException failure(ThrowingCallable call) {
        return Kit.failure(call);
    }

    /** No key, signature or header name in a message. */
    private static void assertSafe(ExchangeException e) {
        assertThat(e.getMessage())
                .doesNotContain(Kit.SEED)
                .doesNotContain(Kit.PUBLIC_KEY)
                .doesNotContainIgnoringCase("x-signature")
                .doesNotContainIgnoringCase("x-api-key")
                .doesNotContain("\n");
    }
}
