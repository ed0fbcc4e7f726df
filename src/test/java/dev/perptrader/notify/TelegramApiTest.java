package dev.perptrader.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.findAll;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
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
import dev.perptrader.config.Secret;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Bot API as the bot calls it (WireMock standing in for it), and its failures as error texts. */
@WireMockTest
final class TelegramApiTest {
    static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    static final String SEND = "/bot" + TOKEN + "/sendMessage";
    static final String UPDATES = "/bot" + TOKEN + "/getUpdates";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OkHttpClient client = SinkHttp.client();

    @AfterEach
    void stopClient() {
        SinkHttp.shutdown(client);
    }

    private TelegramApi api(WireMockRuntimeInfo wm) {
        return new TelegramApi(client, wm.getHttpBaseUrl(), Secret.of(TOKEN), Duration.ofSeconds(1));
    }

    static JsonNode onlyBody(String path) throws Exception {
        List<LoggedRequest> requests = findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(requests).hasSize(1);
        return MAPPER.readTree(requests.get(0).getBodyAsString());
    }

    @Test
    void telegramSinkSendsThePlainTextToTheOwnersChat(WireMockRuntimeInfo wm) throws Exception {
        stubFor(post(SEND).willReturn(okJson("{\"ok\":true,\"result\":{\"message_id\":1}}")));
        new TelegramSink(api(wm), -100123L).deliver(TestAlerts.unhedged());

        JsonNode body = onlyBody(SEND);
        assertThat(body.path("chat_id").asLong()).isEqualTo(-100123L);
        assertThat(body.path("text").asText())
                .isEqualTo("ERROR UNHEDGED pair 3 on hibachi\nlong 0.01 BTC, short 0\n2026-03-02 10:00:00 UTC");
        assertThat(body.has("parse_mode"))
                .as("plain text: no markup to break on a '_'")
                .isFalse();
    }

    @Test
    void aLongMessageIsCutToTelegramsLimit(WireMockRuntimeInfo wm) throws Exception {
        stubFor(post(SEND).willReturn(okJson("{\"ok\":true,\"result\":{}}")));
        api(wm).sendMessage(1, "y".repeat(10_000));
        assertThat(onlyBody(SEND).path("text").asText()).hasSize(4096).endsWith("...");
    }

    @Test
    void getUpdatesSendsOffsetAndTimeoutAndReadsTextMessages(WireMockRuntimeInfo wm) throws Exception {
        stubFor(post(UPDATES).willReturn(okJson("""
                {"ok":true,"result":[
                  {"update_id":10,"message":{"message_id":5,"chat":{"id":42,"type":"private"},"text":"/status"}},
                  {"update_id":11,"message":{"message_id":6,"chat":{"id":-1007,"type":"group"},"photo":[]}},
                  {"update_id":12,"edited_message":{"chat":{"id":42}}}
                ]}""")));
        List<TelegramUpdate> updates = api(wm).getUpdates(10, 25);

        assertThat(updates)
                .containsExactly(
                        new TelegramUpdate(10, 42, "/status"),
                        new TelegramUpdate(11, -1007, ""),
                        new TelegramUpdate(12, 0, ""));
        JsonNode body = onlyBody(UPDATES);
        assertThat(body.path("offset").asLong()).isEqualTo(10);
        assertThat(body.path("timeout").asInt()).isEqualTo(25);
        assertThat(body.path("allowed_updates").get(0).asText()).isEqualTo("message");
    }

    @Test
    void aRefusedTokenIsHttp401Unauthorized(WireMockRuntimeInfo wm) {
        stubFor(post(SEND)
                .willReturn(aResponse()
                        .withStatus(401)
                        .withBody("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}")));
        DeliveryFailed e = catchThrowableOfType(DeliveryFailed.class, () -> api(wm).sendMessage(1, "hi"));
        assertThat(e).hasMessage("HTTP 401 Unauthorized");
    }

    @Test
    void aWrongChatSaysWhatTelegramSaid(WireMockRuntimeInfo wm) {
        stubFor(post(SEND)
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody(
                                "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}")));
        DeliveryFailed e = catchThrowableOfType(DeliveryFailed.class, () -> api(wm).sendMessage(1, "hi"));
        assertThat(e).hasMessage("HTTP 400 Bad Request: chat not found");
    }

    @Test
    void aReplyThatIsNotOkIsRefused(WireMockRuntimeInfo wm) {
        stubFor(post(SEND)
                .willReturn(okJson("{\"ok\":false,\"description\":\"Forbidden: bot was blocked by the user\"}")));
        assertThat(catchThrowableOfType(DeliveryFailed.class, () -> api(wm).sendMessage(1, "hi")))
                .hasMessage("refused: Forbidden: bot was blocked by the user");
        stubFor(post(SEND).willReturn(aResponse().withStatus(200).withBody("<html>captive portal</html>")));
        assertThat(catchThrowableOfType(DeliveryFailed.class, () -> api(wm).sendMessage(1, "hi")))
                .hasMessage("HTTP 200 with a reply that is not Bot API JSON");
    }

    @Test
    void errorsEchoingTheUrlAreScrubbedOfTheToken(WireMockRuntimeInfo wm) {
        stubFor(post(SEND)
                .willReturn(aResponse()
                        .withStatus(500)
                        .withStatusMessage("boom at " + SEND)
                        .withBody("{\"ok\":false,\"description\":\"Internal error for bot" + TOKEN + "\"}")));
        DeliveryFailed e = catchThrowableOfType(DeliveryFailed.class, () -> api(wm).sendMessage(1, "hi"));
        assertThat(e.getMessage())
                .startsWith("HTTP 500 boom at /****/sendMessage")
                .doesNotContain(TOKEN)
                .doesNotContain("AAHdqTcv");
    }

    @Test
    void failuresWithoutAReplyAreSaidInWords(WireMockRuntimeInfo wm) {
        stubFor(post(SEND).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThat(catchThrowableOfType(DeliveryFailed.class, () -> api(wm).sendMessage(1, "hi"))
                        .getMessage())
                .isIn("connection reset", "connection closed without a reply");
        stubFor(post(SEND).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        assertThat(catchThrowableOfType(DeliveryFailed.class, () -> api(wm).sendMessage(1, "hi"))
                        .getMessage())
                .isEqualTo("connection closed without a reply");
        TelegramApi closed = new TelegramApi(client, "http://127.0.0.1:1", Secret.of(TOKEN), Duration.ofSeconds(1));
        assertThat(catchThrowableOfType(DeliveryFailed.class, () -> closed.sendMessage(1, "hi")))
                .hasMessage("connection refused");
    }
}
