package dev.perptrader.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.perptrader.config.AppConfig;
import dev.perptrader.config.Secret;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.testutil.CapturedLogs;
import dev.perptrader.testutil.Deadline;
import dev.perptrader.testutil.MutableClock;
import dev.perptrader.trader.AlertKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bot token and the webhook URL never appear in a log line (DEBUG and up, arguments and
 * throwables included), an error text or a test result, whatever the receivers do: answer 500
 * with the URL echoed back, reset the connection, close it without a reply, send garbage.
 */
@WireMockTest
final class SinkSecretsNeverLeakTest {
    private static final String TOKEN = "555000111:AAFakeTokenForLeakTestsOnly_x9Zq7Wv";
    private static final String TOKEN_TAIL = "AAFakeTokenForLeakTestsOnly";
    private static final String HOOK_SECRET = "hookSecret-T9K3-very-private";
    private static final Dispatcher.Tuning NO_WAIT = new Dispatcher.Tuning(100, 2, Duration.ZERO, d -> {});

    private final CapturedLogs logs = new CapturedLogs();
    private final List<String> texts = new ArrayList<>();
    private AlertSinks sinks;
    private TelegramBot bot;

    @AfterEach
    void stop() {
        if (bot != null) {
            bot.close();
        }
        if (sinks != null) {
            sinks.close();
        }
        logs.close();
    }

    private static AppConfig.Alerts config(WireMockRuntimeInfo wm) {
        return new AppConfig.Alerts(
                Duration.ofMinutes(15),
                Duration.ofMinutes(5),
                new AppConfig.Webhook(
                        Secret.of(wm.getHttpBaseUrl() + "/hooks/" + HOOK_SECRET + "?token=" + HOOK_SECRET),
                        AppConfig.WebhookFormat.JSON,
                        AppConfig.AlertLevel.WARN,
                        Duration.ZERO),
                new AppConfig.Telegram(
                        Secret.of(TOKEN),
                        1001,
                        List.of(),
                        AppConfig.AlertLevel.WARN,
                        Duration.ZERO,
                        wm.getHttpBaseUrl()));
    }

    private static List<ResponseDefinitionBuilder> hostileReplies(WireMockRuntimeInfo wm) {
        String echo = wm.getHttpBaseUrl() + "/bot" + TOKEN + "/sendMessage /hooks/" + HOOK_SECRET;
        return List.of(
                aResponse()
                        .withStatus(500)
                        .withStatusMessage("Internal error at " + echo)
                        .withBody("{\"ok\":false,\"error_code\":500,\"description\":\"failed: " + echo + "\"}"),
                aResponse()
                        .withStatus(401)
                        .withBody("{\"ok\":false,\"description\":\"Unauthorized bot" + TOKEN + "\"}"),
                aResponse().withStatus(302).withHeader("Location", "ftp://elsewhere/" + HOOK_SECRET),
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                aResponse().withFault(Fault.EMPTY_RESPONSE),
                aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE),
                aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK),
                aResponse().withStatus(200).withBody("not json " + echo));
    }

    @Test
    void neitherTheTokenNorTheUrlLeaksWhateverTheReceiversDo(WireMockRuntimeInfo wm) {
        sinks = AlertSinks.fromConfig(config(wm), MutableClock.at("2026-03-02T10:00:00Z"), NO_WAIT, SinkHttp.client());
        sinks.start();
        TelegramApi api = sinks.telegramApi();
        bot = new TelegramBot(
                api,
                new TelegramCommands(1001, List.of(), new FakeControl(), new Random(1)),
                MutableClock.at("2026-03-02T10:00:00Z"),
                d -> {});
        WebhookSink webhook = new WebhookSink(
                SinkHttp.client(), config(wm).webhook().url(), AppConfig.WebhookFormat.SLACK, Redactor.forToken(TOKEN));

        long expectedFailures = 0;
        for (ResponseDefinitionBuilder reply : hostileReplies(wm)) {
            stubFor(post(urlPathMatching("/.*")).willReturn(reply));
            sinks.offer(TestAlerts.error(AlertKind.CLOSE_STUCK, ++expectedFailures, BackpackExchange.VENUE));
            long failures = expectedFailures;
            Deadline.await(
                    "both sinks gave the alert up",
                    () -> sinks.dispatchers().stream().allMatch(d -> d.failed() + d.delivered() >= failures));
            bot.pollOnce();
            sinks.test(TestAlerts.warn(AlertKind.TEST, null, null)).forEach(r -> texts.add(r.line()));
            texts.add(catchThrowableOfType(DeliveryFailed.class, () -> api.sendMessage(1, "x"))
                    .getMessage());
            texts.add(catchThrowableOfType(DeliveryFailed.class, () -> api.getUpdates(0, 1))
                    .getMessage());
            DeliveryFailed hook =
                    catchThrowableOfType(DeliveryFailed.class, () -> webhook.deliver(TestAlerts.unhedged()));
            texts.add(hook == null ? "delivered" : hook.getMessage());
        }

        assertThat(sinks.dispatchers()).allSatisfy(d -> assertThat(d.failed()).isPositive());
        assertThat(logs.messages(ch.qos.logback.classic.Level.WARN, "Dispatcher"))
                .isNotEmpty();
        String everything = logs.allText() + "\n" + String.join("\n", texts);
        assertThat(texts).doesNotContainNull();
        assertThat(everything)
                .doesNotContain(TOKEN)
                .doesNotContain(TOKEN_TAIL)
                .doesNotContain(HOOK_SECRET)
                .doesNotContain("/hooks/")
                .doesNotContain("bot555000111");
    }
}
