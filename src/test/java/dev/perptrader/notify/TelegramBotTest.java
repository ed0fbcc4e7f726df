package dev.perptrader.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.findAll;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.perptrader.notify.TelegramApiTest.SEND;
import static dev.perptrader.notify.TelegramApiTest.TOKEN;
import static dev.perptrader.notify.TelegramApiTest.UPDATES;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.perptrader.config.Secret;
import dev.perptrader.testutil.CapturedLogs;
import dev.perptrader.testutil.Deadline;
import dev.perptrader.testutil.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command reader against a stand-in Bot API: who gets answers, what is logged of strangers,
 * the offset that confirms updates, an outage logged once, and a close-all answered when done.
 */
@WireMockTest
final class TelegramBotTest {
    private static final long OWNER = 1001;
    private static final long STRANGER = 666;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OkHttpClient client = SinkHttp.client();
    private final FakeControl control = new FakeControl();
    private final CapturedLogs logs = new CapturedLogs();
    private TelegramBot bot;

    @BeforeEach
    void replies() {
        stubFor(post(SEND).willReturn(okJson("{\"ok\":true,\"result\":{}}")));
    }

    @AfterEach
    void stop() {
        if (bot != null) {
            bot.close();
        }
        SinkHttp.shutdown(client);
        logs.close();
    }

    private TelegramBot bot(WireMockRuntimeInfo wm) {
        TelegramApi api = new TelegramApi(client, wm.getHttpBaseUrl(), Secret.of(TOKEN), Duration.ofSeconds(1));
        bot = new TelegramBot(
                api,
                new TelegramCommands(OWNER, List.of(), control, new Random(1)),
                MutableClock.at("2026-03-02T10:00:00Z"),
                d -> {});
        return bot;
    }

    private static String update(long id, long chat, String text) {
        return "{\"update_id\":" + id + ",\"message\":{\"message_id\":" + id + ",\"chat\":{\"id\":" + chat
                + ",\"type\":\"private\"},\"text\":\"" + text + "\"}}";
    }

    private static void updates(String... updates) {
        stubFor(post(UPDATES).willReturn(okJson("{\"ok\":true,\"result\":[" + String.join(",", updates) + "]}")));
    }

    /** The sendMessage requests received, as (chat_id, text) bodies. */
    private static List<JsonNode> sent() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (var r : findAll(postRequestedFor(urlEqualTo(SEND)))) {
            out.add(MAPPER.readTree(r.getBodyAsString()));
        }
        return out;
    }

    private static List<Long> offsetsAsked() throws Exception {
        List<Long> out = new ArrayList<>();
        for (var r : findAll(postRequestedFor(urlEqualTo(UPDATES)))) {
            out.add(MAPPER.readTree(r.getBodyAsString()).path("offset").asLong());
        }
        return out;
    }

    @Test
    void onlyTheOwnerIsAnsweredAndStrangersAreLoggedByChatIdOnly(WireMockRuntimeInfo wm) throws Exception {
        TelegramBot b = bot(wm);
        updates(
                update(10, OWNER, "/pause"),
                update(11, STRANGER, "/closeall"),
                update(12, STRANGER, "/status secret-words"));
        assertThat(b.pollOnce()).isTrue();
        b.close(); // waits for the replies queued

        assertThat(control.calls).containsExactly("pause: paused from Telegram by chat 1001");
        assertThat(sent()).singleElement().satisfies(body -> {
            assertThat(body.path("chat_id").asLong()).isEqualTo(OWNER);
            assertThat(body.path("text").asText()).isEqualTo("opening paused");
        });
        assertThat(logs.messages(Level.INFO, "TelegramBot"))
                .contains("telegram: ignored a message from chat 666: not alerts.telegram.chat_id or allowed_chat_ids"
                        + " (further ones from it are logged at DEBUG)");
        assertThat(logs.messages(Level.INFO, "TelegramBot"))
                .filteredOn(m -> m.contains("666"))
                .as("once per chat")
                .hasSize(1);
        assertThat(logs.messages(Level.DEBUG, "TelegramBot"))
                .containsExactly("telegram: ignored a message from chat 666");
        assertThat(logs.allText()).doesNotContain("secret-words").doesNotContain("/closeall");
    }

    @Test
    void eachPollConfirmsTheUpdatesBeforeIt(WireMockRuntimeInfo wm) throws Exception {
        TelegramBot b = bot(wm);
        updates(update(41, OWNER, "/help"), update(42, STRANGER, "/help"));
        b.pollOnce();
        updates();
        b.pollOnce();
        b.pollOnce();
        assertThat(offsetsAsked()).containsExactly(0L, 43L, 43L);
    }

    @Test
    void anOutageOfTheBotApiIsLoggedOnceAndItsEndOnce(WireMockRuntimeInfo wm) {
        TelegramBot b = bot(wm);
        stubFor(post(UPDATES).willReturn(aResponse().withStatus(502).withStatusMessage("Bad Gateway")));
        for (int i = 0; i < 4; i++) {
            assertThat(b.pollOnce()).isFalse();
        }
        updates();
        assertThat(b.pollOnce()).isTrue();
        assertThat(logs.messages(Level.WARN, "TelegramBot"))
                .containsExactly(
                        "telegram: cannot read commands (HTTP 502 Bad Gateway); retrying with backoff, logged again when it recovers");
        assertThat(logs.messages(Level.INFO, "TelegramBot")).containsExactly("telegram: reading commands again");
    }

    @Test
    void aConfirmedCloseAllIsAcknowledgedThenAnsweredWhenTheLoopHasDoneIt(WireMockRuntimeInfo wm) throws Exception {
        TelegramBot b = bot(wm);
        updates(update(1, OWNER, "/closeall"));
        b.pollOnce();
        Deadline.await(
                "the code sent",
                () -> findAll(postRequestedFor(urlEqualTo(SEND))).size() == 1);
        String text = sent().get(0).path("text").asText();
        String code = text.substring(text.length() - 6);

        updates(update(2, OWNER, "/closeall " + code));
        b.pollOnce();
        Deadline.await(
                "the acknowledgement sent",
                () -> findAll(postRequestedFor(urlEqualTo(SEND))).size() == 2);
        assertThat(control.calls).containsExactly("closeAll: requested from Telegram by chat 1001");

        control.closeAlls.get(0).complete("close-all: 2 pair(s) CLOSED");
        Deadline.await(
                "the result sent",
                () -> findAll(postRequestedFor(urlEqualTo(SEND))).size() == 3);
        assertThat(sent().get(2).path("text").asText()).isEqualTo("close-all: 2 pair(s) CLOSED");
    }

    @Test
    void aCloseAllTheBotCouldNotRunIsAnsweredToo(WireMockRuntimeInfo wm) throws Exception {
        TelegramBot b = bot(wm);
        updates(update(1, OWNER, "/closeall"));
        b.pollOnce();
        Deadline.await(
                "the code sent",
                () -> findAll(postRequestedFor(urlEqualTo(SEND))).size() == 1);
        String text = sent().get(0).path("text").asText();
        updates(update(2, OWNER, "/closeall " + text.substring(text.length() - 6)));
        b.pollOnce();
        control.closeAlls
                .get(0)
                .completeExceptionally(new IllegalStateException("the bot stopped before it could close the pairs"));
        Deadline.await(
                "the failure sent",
                () -> findAll(postRequestedFor(urlEqualTo(SEND))).size() == 3);
        assertThat(sent().get(2).path("text").asText())
                .isEqualTo("close-all did not run: the bot stopped before it could close the pairs");
    }

    @Test
    void theThreadReadsCommandsUntilClosed(WireMockRuntimeInfo wm) throws Exception {
        TelegramBot b = bot(wm);
        stubFor(post(UPDATES)
                .inScenario("poll")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("read")
                .willReturn(okJson("{\"ok\":true,\"result\":[" + update(5, OWNER, "/status") + "]}")));
        // later polls wait like a long poll with nothing to read, so the loop does not spin
        stubFor(post(UPDATES)
                .inScenario("poll")
                .whenScenarioStateIs("read")
                .willReturn(okJson("{\"ok\":true,\"result\":[]}").withFixedDelay(300)));
        b.start();
        Deadline.await(
                "the /status answered",
                () -> findAll(postRequestedFor(urlEqualTo(SEND))).size() == 1);
        Deadline.await(
                "the next poll sent",
                () -> findAll(postRequestedFor(urlEqualTo(UPDATES))).size() >= 2);
        b.close();
        assertThat(sent().get(0).path("text").asText()).isEqualTo("opening: allowed\nno open pairs");
        assertThat(offsetsAsked()).first().isEqualTo(0L);
        assertThat(offsetsAsked()).element(1).isEqualTo(6L);
    }
}
