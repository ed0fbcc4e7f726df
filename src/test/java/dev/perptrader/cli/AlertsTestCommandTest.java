package dev.perptrader.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.findAll;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alerts test} as a user runs it (in-process), with WireMock as the webhook receiver and
 * the Bot API; and the sinks as {@code check} shows them. No token or URL is ever printed.
 */
@WireMockTest
final class AlertsTestCommandTest {
    private static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    private static final String HOOK = "/services/T0/B0/hook-token-never-print";
    private static final String SEND = "/bot" + TOKEN + "/sendMessage";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private static CliResult run(String... args) {
        return CliResult.run(args);
    }

    private Path config(String alerts) throws Exception {
        Path conf = dir.resolve("test.conf");
        Files.writeString(
                conf, """
                database.url = "%s"
                sim { state_file = "%s", volatility_annual = 0, basis_noise_bps = 0 }
                trading { markets = [BTC], kill_switch_file = "%s" }
                %s
                """.formatted(dir.resolve("bot.db"), dir.resolve("sim.db"), dir.resolve("STOP"), alerts));
        return conf;
    }

    private Path bothSinks(WireMockRuntimeInfo wm) throws Exception {
        return config("""
                alerts.webhook { url = "%s", format = slack }
                alerts.telegram { bot_token = "%s", chat_id = 1001, api_url = "%s" }
                """.formatted(wm.getHttpBaseUrl() + HOOK, TOKEN, wm.getHttpBaseUrl()));
    }

    private static void assertNoSecret(CliResult r) {
        assertThat(r.out() + r.err())
                .doesNotContain(TOKEN)
                .doesNotContain("AAHdqTcv")
                .doesNotContain("hook-token");
    }

    @Test
    void reportsEachSinkAndExitsOneWhenOneFailed(WireMockRuntimeInfo wm) throws Exception {
        stubFor(post(HOOK).willReturn(aResponse().withStatus(200).withBody("ok")));
        stubFor(post(SEND)
                .willReturn(aResponse()
                        .withStatus(401)
                        .withBody("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}")));

        CliResult r = run("alerts", "test", "--config", bothSinks(wm).toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("webhook (slack): delivered\ntelegram: FAILED: HTTP 401 Unauthorized\n");
        assertNoSecret(r);
        assertThat(Files.exists(dir.resolve("bot.db")))
                .as("nothing stored: no database needed")
                .isFalse();
    }

    @Test
    void exitsZeroWhenEverySinkTookTheTestAlert(WireMockRuntimeInfo wm) throws Exception {
        stubFor(post(HOOK).willReturn(aResponse().withStatus(204)));
        stubFor(post(SEND).willReturn(okJson("{\"ok\":true,\"result\":{}}")));

        CliResult r = run("alerts", "test", "--config", bothSinks(wm).toString());

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("webhook (slack): delivered\ntelegram: delivered\n");
        JsonNode hook = MAPPER.readTree(
                findAll(postRequestedFor(urlEqualTo(HOOK))).get(0).getBodyAsString());
        assertThat(hook.path("text").asText()).startsWith("WARN TEST\n");
        JsonNode telegram = MAPPER.readTree(
                findAll(postRequestedFor(urlEqualTo(SEND))).get(0).getBodyAsString());
        assertThat(telegram.path("chat_id").asLong()).isEqualTo(1001);
        assertThat(telegram.path("text").asText()).startsWith("WARN TEST\ntest alert from 'perp-trader alerts test'");
    }

    @Test
    void aDeadReceiverIsAFailureInWords(WireMockRuntimeInfo wm) throws Exception {
        stubFor(post(SEND).willReturn(okJson("{\"ok\":true,\"result\":{}}")));
        Path conf = config("""
                alerts.webhook { url = "http://127.0.0.1:1%s" }
                """.formatted(HOOK));
        CliResult r = run("alerts", "test", "--config", conf.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("webhook (json): FAILED: connection refused\n");
        assertNoSecret(r);
    }

    @Test
    void withoutSinksItSaysHowToConfigureOne() throws Exception {
        CliResult r = run("alerts", "test", "--config", config("").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out().strip())
                .isEqualTo("no alert sinks configured (set alerts.webhook.url or alerts.telegram.bot_token + chat_id)");
    }

    @Test
    void aBadSinkSettingIsAOneLineConfigError() throws Exception {
        CliResult r = run(
                "alerts",
                "test",
                "--config",
                config("alerts.webhook { url = \"hooks/" + TOKEN + "\" }").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip())
                .startsWith("config error: alerts.webhook.url: must start with http://")
                .doesNotContain("\n");
        assertNoSecret(r);
    }

    @Test
    void checkShowsTheSinksWithoutTheirSecrets(WireMockRuntimeInfo wm) throws Exception {
        CliResult r = run("check", "--config", bothSinks(wm).toString());
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains("alert sinks ('perp-trader alerts test' sends each a test alert):\n"
                        + "  webhook: on (slack)\n  telegram: on (chat 1001)\n");
        assertThat(r.out()).contains("alerts.webhook.url = ****(", "alerts.telegram.bot_token = ****(");
        assertNoSecret(r);
        assertThat(findAll(postRequestedFor(urlEqualTo(SEND))))
                .as("check sends nothing")
                .isEmpty();

        CliResult off = run("check", "--config", config("").toString());
        assertThat(off.out()).contains("  webhook: off\n  telegram: off\n");
    }

    @Test
    void helpAndVersionWorkOnTheSubcommand() {
        assertThat(run("alerts", "test", "--help").out()).contains("Usage: perp-trader alerts test", "--config");
        assertThat(run("alerts", "test", "--version").out()).startsWith("perp-trader ");
        assertThat(run("alerts", "--help").out()).contains("test");
    }
}
