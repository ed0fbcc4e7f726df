package dev.perptrader.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.findAll;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.config.AppConfig.WebhookFormat;
import dev.perptrader.config.Secret;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.trader.Alert;
import dev.perptrader.trader.AlertKind;
import dev.perptrader.trader.Alerts;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook's three bodies as a receiver gets them, and its failures as error texts. */
@WireMockTest
final class WebhookSinkTest {
    private static final String PATH = "/services/T0001/B0002/hook-secret-token-123";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OkHttpClient client = SinkHttp.client();

    @AfterEach
    void stopClient() {
        SinkHttp.shutdown(client);
    }

    private WebhookSink sink(WireMockRuntimeInfo wm, WebhookFormat format) {
        return new WebhookSink(client, Secret.of(wm.getHttpBaseUrl() + PATH), format);
    }

    private static JsonNode received() throws Exception {
        List<LoggedRequest> requests = findAll(postRequestedFor(urlEqualTo(PATH)));
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getHeader("Content-Type")).startsWith("application/json");
        return MAPPER.readTree(requests.get(0).getBodyAsString());
    }

    @Test
    void jsonBodyCarriesEveryFieldOfTheAlert(WireMockRuntimeInfo wm) throws Exception {
        stubFor(post(PATH).willReturn(aResponse().withStatus(204)));
        sink(wm, WebhookFormat.JSON).deliver(TestAlerts.unhedged());

        JsonNode body = received();
        assertThat(body.path("level").asText()).isEqualTo("ERROR");
        assertThat(body.path("kind").asText()).isEqualTo("UNHEDGED");
        assertThat(body.path("pair_id").asLong()).isEqualTo(3);
        assertThat(body.path("venue").asText()).isEqualTo("hibachi");
        assertThat(body.path("message").asText()).isEqualTo("long 0.01 BTC, short 0");
        assertThat(body.path("at").asText()).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(body.path("text").asText()).startsWith("ERROR UNHEDGED pair 3 on hibachi\n");
    }

    @Test
    void jsonBodyHasNullsForAnAlertWithoutPairOrVenue(WireMockRuntimeInfo wm) throws Exception {
        stubFor(post(PATH).willReturn(aResponse().withStatus(200)));
        sink(wm, WebhookFormat.JSON).deliver(TestAlerts.warn(AlertKind.KILL_SWITCH, null, null));

        JsonNode body = received();
        assertThat(body.has("pair_id")).isTrue();
        assertThat(body.path("pair_id").isNull()).isTrue();
        assertThat(body.path("venue").isNull()).isTrue();
        assertThat(body.path("kind").asText()).isEqualTo("KILL_SWITCH");
    }

    @Test
    void slackBodyIsOneTextField(WireMockRuntimeInfo wm) throws Exception {
        stubFor(post(PATH).willReturn(aResponse().withStatus(200).withBody("ok")));
        sink(wm, WebhookFormat.SLACK).deliver(TestAlerts.unhedged());

        JsonNode body = received();
        assertThat(body.size()).isEqualTo(1);
        assertThat(body.path("text").asText())
                .isEqualTo("ERROR UNHEDGED pair 3 on hibachi\nlong 0.01 BTC, short 0\n2026-03-02 10:00:00 UTC");
    }

    @Test
    void discordBodyIsOneContentFieldOfAtMost2000Characters(WireMockRuntimeInfo wm) throws Exception {
        stubFor(post(PATH).willReturn(aResponse().withStatus(204)));
        Alert longOne = new Alert(
                TestAlerts.AT,
                Alerts.Level.WARN,
                AlertKind.ORPHAN_POSITION,
                null,
                BackpackExchange.VENUE,
                "x".repeat(5000));
        sink(wm, WebhookFormat.DISCORD).deliver(longOne);

        JsonNode body = received();
        assertThat(body.size()).isEqualTo(1);
        String content = body.path("content").asText();
        assertThat(content)
                .hasSize(2000)
                .startsWith("WARN ORPHAN_POSITION on backpack\nxxx")
                .endsWith("...");
    }

    @Test
    void shortDiscordMessagesAreSentWhole(WireMockRuntimeInfo wm) throws Exception {
        stubFor(post(PATH).willReturn(aResponse().withStatus(204)));
        sink(wm, WebhookFormat.DISCORD).deliver(TestAlerts.unhedged());
        assertThat(received().path("content").asText()).endsWith("2026-03-02 10:00:00 UTC");
    }

    @Test
    void aRefusalIsTheStatusAndReasonWithoutTheUrl(WireMockRuntimeInfo wm) {
        stubFor(post(PATH)
                .willReturn(aResponse()
                        .withStatus(404)
                        .withStatusMessage("Not Found " + PATH)
                        .withBody("no such hook " + wm.getHttpBaseUrl() + PATH)));
        DeliveryFailed e = catchThrowableOfType(
                DeliveryFailed.class, () -> sink(wm, WebhookFormat.SLACK).deliver(TestAlerts.unhedged()));
        assertThat(e).hasMessage("HTTP 404 Not Found ****");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void aResetConnectionIsSaidInWords(WireMockRuntimeInfo wm) {
        stubFor(post(PATH).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        DeliveryFailed e = catchThrowableOfType(
                DeliveryFailed.class, () -> sink(wm, WebhookFormat.JSON).deliver(TestAlerts.unhedged()));
        assertThat(e.getMessage())
                .isIn("connection reset", "connection closed without a reply")
                .doesNotContain("hook-secret");
    }

    @Test
    void aClosedPortIsConnectionRefused() {
        WebhookSink dead = new WebhookSink(client, Secret.of("http://127.0.0.1:1" + PATH), WebhookFormat.JSON);
        DeliveryFailed e = catchThrowableOfType(DeliveryFailed.class, () -> dead.deliver(TestAlerts.unhedged()));
        assertThat(e).hasMessage("connection refused");
    }

    @Test
    void itsNameShowsTheFormatAndNotTheUrl(WireMockRuntimeInfo wm) {
        assertThat(sink(wm, WebhookFormat.SLACK).name()).isEqualTo("webhook (slack)");
        assertThat(sink(wm, WebhookFormat.JSON).toString()).doesNotContain("hook-secret");
    }
}
