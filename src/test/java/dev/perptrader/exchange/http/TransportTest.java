package dev.perptrader.exchange.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.Pacer;
import dev.perptrader.exchange.Sleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared transport: reads retried with backoff or Retry-After, writes sent once. */
@WireMockTest
final class TransportTest {
    private static final HttpSettings SETTINGS = new HttpSettings(
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            Duration.ofSeconds(3),
            1000,
            1000,
            3,
            Duration.ofMillis(200),
            Duration.ofMillis(300),
            Duration.ofSeconds(5));

    /** A reader of plain text: 2xx is its body; 429 and 5xx retryable; 404 not found; else refused. */
    private static final Transport.Reader<String> TEXT = new Transport.Reader<>() {
        @Override
        public Transport.Attempt<String> reply(Response response, String body) {
            int status = response.code();
            if (status >= 200 && status < 300) {
                return Transport.Attempt.ok(body);
            }
            String retryAfter = response.header("Retry-After");
            if (status == 429 || status >= 500) {
                return Transport.Attempt.failed(Failure.retryable(
                        status == 429 ? ExchangeError.RATE_LIMITED : ExchangeError.VENUE_DOWN,
                        "HTTP " + status,
                        retryAfter == null ? null : Duration.ofSeconds(Long.parseLong(retryAfter)),
                        null));
            }
            if (status == 404) {
                return Transport.Attempt.failed(Failure.notFound("HTTP 404"));
            }
            if (status == 401) {
                return Transport.Attempt.failed(Failure.clockRefused("HTTP 401 expired"));
            }
            return Transport.Attempt.failed(Failure.of(ExchangeError.REJECTED, "HTTP " + status));
        }

        @Override
        public Failure io(IOException e) {
            return Failure.unknownOutcome("no reply", e);
        }
    };

    private final List<Duration> waits = new ArrayList<>();
    private final Sleeper sleeper = waits::add;
    private Transport transport;
    private String base;

    @BeforeEach
    void setUp(WireMockRuntimeInfo wm) {
        base = wm.getHttpBaseUrl();
        transport = new Transport(
                Venue.values().get(0),
                SETTINGS.newClient(),
                SETTINGS,
                Pacer.monotonic(sleeper, 1000, 1000),
                sleeper,
                () -> 0.5);
    }

    private Request getReq() {
        return new Request.Builder().url(base + "/r").get().build();
    }

    @Test
    void aReadIsRetriedWithExponentialCappedBackoffAndGivesUp() {
        stubFor(get(urlPathEqualTo("/r")).willReturn(aResponse().withStatus(503)));

        ExchangeException e =
                catchThrowableOfType(() -> transport.read("GET /r", this::getReq, TEXT), ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        verify(3, getRequestedFor(urlPathEqualTo("/r")));
        // 200 ms + half of half; then 400 capped at 300 + 75
        assertThat(waits).containsExactly(Duration.ofMillis(250), Duration.ofMillis(375));
    }

    @Test
    void aReadHonoursRetryAfterAndSucceeds() {
        stubFor(get(urlPathEqualTo("/r"))
                .inScenario("s")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2"))
                .willSetStateTo("ok"));
        stubFor(get(urlPathEqualTo("/r"))
                .inScenario("s")
                .whenScenarioStateIs("ok")
                .willReturn(ok("fine")));

        assertThat(transport.read("GET /r", this::getReq, TEXT)).isEqualTo("fine");
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void aRetryAfterBeyondTheLongestWaitIsReportedAtOnce() {
        stubFor(get(urlPathEqualTo("/r")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")));

        ExchangeException e =
                catchThrowableOfType(() -> transport.read("GET /r", this::getReq, TEXT), ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(60));
        assertThat(waits).isEmpty();
        verify(1, getRequestedFor(urlPathEqualTo("/r")));
    }

    @Test
    void notFoundIsEmptyOnlyWhenAsked() {
        stubFor(get(urlPathEqualTo("/r")).willReturn(aResponse().withStatus(404)));

        assertThat(transport.read("GET /r", this::getReq, TEXT, true, f -> false))
                .isEmpty();
        ExchangeException e =
                catchThrowableOfType(() -> transport.read("GET /r", this::getReq, TEXT), ExchangeException.class);
        assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
    }

    @Test
    void retryAtOnceSeesEveryFailureButRetriesOnlyOnce() {
        stubFor(get(urlPathEqualTo("/r")).willReturn(aResponse().withStatus(401)));
        AtomicInteger seen = new AtomicInteger();

        ExchangeException e = catchThrowableOfType(
                () -> transport.read("GET /r", this::getReq, TEXT, false, f -> {
                    seen.incrementAndGet();
                    return f.clockRefused();
                }),
                ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.CLOCK_REJECTED);
        assertThat(seen).hasValue(2);
        verify(2, getRequestedFor(urlPathEqualTo("/r")));
        assertThat(waits).isEmpty();
    }

    @Test
    void aWriteIsSentExactlyOnceWhateverTheFailure() {
        stubFor(post(urlPathEqualTo("/w")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Request write = new Request.Builder()
                .url(base + "/w")
                .post(RequestBody.create("{}", MediaType.get("application/json")))
                .build();

        ExchangeException e = catchThrowableOfType(() -> transport.send(write, TEXT), ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        assertThat(e.getMessage()).contains("reconcile by client id");
        verify(1, postRequestedFor(urlPathEqualTo("/w")));
        assertThat(waits).isEmpty();
    }
}
