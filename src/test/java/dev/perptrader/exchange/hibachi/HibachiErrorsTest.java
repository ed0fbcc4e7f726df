package dev.perptrader.exchange.hibachi;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.API_KEY;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.HMAC_SECRET;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.fixture;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.orderPosts;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.stubMarketBasics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.hibachi.HibachiErrors.Call;
import dev.perptrader.exchange.hibachi.HibachiErrors.Problem;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** Every mapped failure, retries with backoff on reads, none on orders, and unusable replies. */
@WireMockTest
final class HibachiErrorsTest {
    private static final String ACCOUNT = "/trade/account/info";

    private FakeSleeper sleeper;
    private HibachiExchange ex;

    @BeforeEach
    void stubVenue(WireMockRuntimeInfo wm) {
        stubMarketBasics();
        sleeper = FakeSleeper.unpaced();
        ex = HibachiTestKit.hmacExchange(wm, sleeper);
    }

    private void placeOrder() {
        ex.placeMarketOrder(
                new OrderRequest("BTC/USDT-P", OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId()));
    }

    private static void stubOrderReply(int status, String fixtureName) {
        stubFor(post(urlPathEqualTo("/trade/order"))
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", "application/json")
                        .withBody(fixture(fixtureName))));
    }

    @ParameterizedTest(name = "order answered HTTP {0} {1} → {2}")
    @CsvSource({
        "400, error-invalid-signature.json, AUTH_FAILED",
        "401, error-invalid-signature.json, AUTH_FAILED",
        "400, error-invalid-quantity.json, BELOW_MINIMUM",
        "400, error-missing-account.json, REJECTED",
        "400, error-mac.json, AUTH_FAILED",
        "400, error-insufficient.json, INSUFFICIENT_MARGIN",
        "404, error-not-found.json, REJECTED",
        "200, error-invalid-signature.json, AUTH_FAILED",
        "400, error-nonce-window.json, CLOCK_REJECTED",
        "401, maintenance.html, AUTH_FAILED",
        "403, error-missing-account.json, AUTH_FAILED",
        "503, maintenance.html, UNKNOWN_OUTCOME",
        "502, error-not-found.json, UNKNOWN_OUTCOME",
    })
    void orderErrorsMapToOneKindEachAndAreNeverRetried(int status, String body, ExchangeError expected) {
        stubOrderReply(status, body);

        assertFails(this::placeOrder, expected);
        assertThat(orderPosts()).hasSize(1);
        assertThat(sleeper.waits()).isEmpty();
    }

    @ParameterizedTest(name = "account answered HTTP {0} {1} → {2}")
    @CsvSource({
        "400, error-missing-account.json, REJECTED",
        "401, error-invalid-signature.json, AUTH_FAILED",
        "403, maintenance.html, AUTH_FAILED",
        "404, error-not-found.json, REJECTED",
        "400, error-invalid-quantity.json, BELOW_MINIMUM",
        "200, error-mac.json, AUTH_FAILED",
    })
    void readErrorsThatRetryingCannotFixFailAtOnce(int status, String body, ExchangeError expected) {
        stubFor(get(urlPathEqualTo(ACCOUNT))
                .willReturn(aResponse().withStatus(status).withBody(fixture(body))));

        assertFails(ex::account, expected);
        verify(1, getRequestedFor(urlPathEqualTo(ACCOUNT)));
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void a429OnAReadIsRetriedAfterTheRetryAfterWaitThenReported() {
        stubFor(get(urlPathEqualTo(ACCOUNT))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "2")
                        .withBody(fixture("error-rate-limit.json"))));

        assertFails(
                ex::account,
                ExchangeError.RATE_LIMITED,
                e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)));
        verify(HibachiHttp.READ_ATTEMPTS, getRequestedFor(urlPathEqualTo(ACCOUNT)));
        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void a429BodyIsLoggedAtWarnWithoutSecrets() {
        stubFor(get(urlPathEqualTo(ACCOUNT))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withBody(fixture("error-rate-limit.json"))));
        Logger logger = (Logger) LoggerFactory.getLogger(HibachiHttp.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            assertFails(ex::account, ExchangeError.RATE_LIMITED);
        } finally {
            logger.detachAppender(logs);
        }

        List<String> warnings = logs.list.stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("rate limited"))
                .toList();
        assertThat(warnings)
                .hasSize(HibachiHttp.READ_ATTEMPTS)
                .allSatisfy(m -> assertThat(m)
                        .contains("GET /trade/account/info rate limited (HTTP 429)")
                        .contains("{\"name\":\"order-rate\",\"count\":31,\"limit\":30,\"windowDuration\":\"1s\"}")
                        .doesNotContain(API_KEY)
                        .doesNotContain(HMAC_SECRET));
    }

    @Test
    void a429ThenSuccessReturnsTheAnswerAfterOneWait() {
        stubFor(get(urlPathEqualTo(ACCOUNT))
                .inScenario("limit")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("free")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        stubFor(get(urlPathEqualTo(ACCOUNT))
                .inScenario("limit")
                .whenScenarioStateIs("free")
                .willReturn(okJson(fixture("account-info.json"))));

        assertThat(ex.account().equity()).isEqualByComparingTo("1099.990151");
        verify(2, getRequestedFor(urlPathEqualTo(ACCOUNT)));
        assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void a429WithoutRetryAfterBacksOffExponentiallyWithJitter() {
        stubFor(get(urlPathEqualTo(ACCOUNT)).willReturn(aResponse().withStatus(429)));

        assertFails(ex::account, ExchangeError.RATE_LIMITED);
        List<Duration> waits = sleeper.waits();
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(300), Duration.ofMillis(450));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(600), Duration.ofMillis(900));
    }

    @Test
    void aRetryAfterTooLongToWaitIsReportedAtOnce() {
        stubFor(get(urlPathEqualTo(ACCOUNT))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")));

        assertFails(
                ex::account,
                ExchangeError.RATE_LIMITED,
                e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(60)));
        verify(1, getRequestedFor(urlPathEqualTo(ACCOUNT)));
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void a429OnAnOrderIsRateLimitedWithItsRetryAfterAndNotRetried() {
        stubFor(post(urlPathEqualTo("/trade/order"))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "3")
                        .withBody(fixture("error-rate-limit.json"))));

        assertFails(
                this::placeOrder,
                ExchangeError.RATE_LIMITED,
                e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(3)));
        assertThat(orderPosts()).hasSize(1);
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void a503MaintenancePageOnAReadIsRetriedThenVenueDown() {
        stubFor(get(urlPathEqualTo(ACCOUNT))
                .willReturn(aResponse()
                        .withStatus(503)
                        .withHeader("Content-Type", "text/html")
                        .withBody(fixture("maintenance.html"))));

        assertFails(
                ex::account,
                ExchangeError.VENUE_DOWN,
                e -> assertThat(e.getMessage()).contains("HTTP 503"));
        verify(HibachiHttp.READ_ATTEMPTS, getRequestedFor(urlPathEqualTo(ACCOUNT)));
        assertThat(sleeper.waits()).hasSize(HibachiHttp.READ_ATTEMPTS - 1);
    }

    @Test
    void aMaintenanceStatusInAnErrorBodyIsVenueDownForReads() {
        stubFor(get(urlPathEqualTo(ACCOUNT))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"status\":\"UNSCHEDULED_MAINTENANCE\",\"message\":\"back soon\"}")));

        assertFails(ex::account, ExchangeError.VENUE_DOWN);
        verify(HibachiHttp.READ_ATTEMPTS, getRequestedFor(urlPathEqualTo(ACCOUNT)));
    }

    @Test
    void aServerErrorThenSuccessIsRetriedTransparently() {
        stubFor(get(urlPathEqualTo(ACCOUNT))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("ok")
                .willReturn(aResponse().withStatus(500)));
        stubFor(get(urlPathEqualTo(ACCOUNT))
                .inScenario("flaky")
                .whenScenarioStateIs("ok")
                .willReturn(okJson(fixture("account-info.json"))));

        assertThat(ex.account().positions()).hasSize(2);
        verify(2, getRequestedFor(urlPathEqualTo(ACCOUNT)));
        assertThat(sleeper.waits()).hasSize(1);
    }

    @Test
    void aTimedOutReadIsRetriedThenVenueDown(WireMockRuntimeInfo wm) {
        HibachiExchange slow = HibachiTestKit.exchange(
                wm, HibachiTestKit.hmacCredentials(wm.getHttpBaseUrl()), sleeper, HibachiTestKit.shortTimeoutClient());
        stubFor(get(urlPathEqualTo(ACCOUNT))
                .willReturn(okJson(fixture("account-info.json")).withFixedDelay(1_000)));

        assertFails(
                slow::account,
                ExchangeError.VENUE_DOWN,
                e -> assertThat(e.getMessage()).contains("no reply"));
        verify(HibachiHttp.READ_ATTEMPTS, getRequestedFor(urlPathEqualTo(ACCOUNT)));
    }

    @Test
    void aConnectionResetOnAnOrderIsAnUnknownOutcome() {
        stubFor(post(urlPathEqualTo("/trade/order")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertFails(this::placeOrder, ExchangeError.UNKNOWN_OUTCOME);
        assertThat(orderPosts()).hasSize(1);
    }

    @ParameterizedTest(name = "a 200 with {0} is VENUE_DOWN")
    @CsvSource(
            delimiter = '|',
            value = {
                "HTML|<html><body>Gateway</body></html>",
                "malformed JSON|{\"balance\":\"1\",",
                "a JSON string|\"ok\"",
                "a wrong shape|{\"balance\":{\"x\":1},\"maximalWithdraw\":\"1\"}",
            })
    void unreadableSuccessRepliesOnReadsAreVenueDownWithoutRetry(String what, String body) {
        stubFor(get(urlPathEqualTo(ACCOUNT))
                .willReturn(aResponse().withStatus(200).withBody(body)));

        assertFails(ex::account, ExchangeError.VENUE_DOWN);
        verify(1, getRequestedFor(urlPathEqualTo(ACCOUNT)));
    }

    @Test
    void anEmptySuccessReplyOnAReadIsVenueDown() {
        stubFor(get(urlPathEqualTo(ACCOUNT)).willReturn(aResponse().withStatus(200)));

        assertFails(
                ex::account,
                ExchangeError.VENUE_DOWN,
                e -> assertThat(e.getMessage()).contains("empty body"));
    }

    @Test
    void anUnreadableSuccessReplyToAnOrderIsAnUnknownOutcome() {
        stubFor(post(urlPathEqualTo("/trade/order"))
                .willReturn(aResponse().withStatus(200).withBody("<html>ok</html>")));

        assertFails(this::placeOrder, ExchangeError.UNKNOWN_OUTCOME);
    }

    @Test
    void theMappingTableCoversEveryProblemForEveryCall() {
        for (Problem p : Problem.values()) {
            for (Call c : Call.values()) {
                boolean absent = p == Problem.NOT_FOUND && c == Call.LOOKUP;
                assertThat(HibachiErrors.map(p, c).isEmpty()).as(p + " " + c).isEqualTo(absent);
            }
        }
        assertThat(HibachiErrors.map(Problem.MAINTENANCE, Call.READ)).contains(ExchangeError.VENUE_DOWN);
        assertThat(HibachiErrors.map(Problem.MAINTENANCE, Call.ORDER)).contains(ExchangeError.UNKNOWN_OUTCOME);
        assertThat(HibachiErrors.map(Problem.NO_REPLY, Call.ORDER)).contains(ExchangeError.UNKNOWN_OUTCOME);
        assertThat(HibachiErrors.map(Problem.NOT_SENT, Call.ORDER)).contains(ExchangeError.VENUE_DOWN);
        assertThat(HibachiErrors.map(Problem.NOT_FOUND, Call.READ)).contains(ExchangeError.REJECTED);
    }

    @Test
    void retryAfterIsReadAsSeconds() {
        assertThat(HibachiHttp.retryAfter("2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(HibachiHttp.retryAfter("0.5")).isEqualTo(Duration.ofMillis(500));
        assertThat(HibachiHttp.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isNull();
        assertThat(HibachiHttp.retryAfter(null)).isNull();
    }

    private static void assertFails(ThrowableAssert.ThrowingCallable call, ExchangeError error) {
        assertFails(call, error, e -> {});
    }

    private static void assertFails(
            ThrowableAssert.ThrowingCallable call, ExchangeError error, Consumer<ExchangeException> more) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ExchangeException.class, e -> {
            assertThat(e.error()).isEqualTo(error);
            assertThat(e.getMessage()).doesNotContain(API_KEY).doesNotContain(HMAC_SECRET);
            assertThat(e.getMessage()).doesNotContain("\n");
            more.accept(e);
        });
    }
}
