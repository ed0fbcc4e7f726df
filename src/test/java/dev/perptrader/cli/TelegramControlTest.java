package dev.perptrader.cli;

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
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.sim.SimWorld;
import dev.perptrader.notify.TelegramCommands;
import dev.perptrader.notify.TelegramCommands.Outcome;
import dev.perptrader.notify.TelegramUpdate;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.Deadline;
import dev.perptrader.testutil.MutableClock;
import dev.perptrader.trader.Orchestrator;
import dev.perptrader.trader.Venues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner's commands acting on a whole bot over the simulated venues (hand-driven clock, one
 * BTC pair at a time, 10-minute cooldown): /pause stops new opens, /resume lifts it, /closeall
 * closes only with its code and on the trading loop's step; and the whole path from a raised
 * alert and a polled command to the stand-in Bot API and webhook.
 */
@WireMockTest
final class TelegramControlTest {
    private static final long OWNER = 1001;
    private static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-03-02T10:00:00Z");
    private SimWorld world;
    private Store store;
    private Orchestrator orchestrator;
    private TelegramCommands commands;
    private long updateId;

    @AfterEach
    void tearDown() {
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (world != null) {
            world.close();
        }
    }

    private AppConfig start(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("APP__DATABASE__URL", "sqlite://" + dir.resolve("bot.db"));
        env.put("APP__SIM__STATE_FILE", dir.resolve("sim.db").toString());
        env.put("APP__SIM__VOLATILITY_ANNUAL", "0");
        env.put("APP__SIM__BASIS_NOISE_BPS", "0");
        env.put("APP__TRADING__MARKETS", "BTC");
        env.put("APP__TRADING__MIN_COOLDOWN_SECONDS", "600");
        env.put("APP__TRADING__MAX_COOLDOWN_SECONDS", "600");
        env.put("APP__TRADING__MIN_DURATION_HOURS", "1");
        env.put("APP__TRADING__MAX_DURATION_HOURS", "1");
        env.put("APP__TRADING__KILL_SWITCH_FILE", dir.resolve("STOP").toString());
        env.putAll(extra);
        AppConfig cfg = ConfigLoader.load(null, false, dir, env, Map.of());
        world = SimWorld.open(cfg.sim(), clock);
        Map<Venue, PerpExchange> venues = new TreeMap<>();
        venues.put(BackpackExchange.VENUE, world.venue(BackpackExchange.VENUE));
        venues.put(HibachiExchange.VENUE, world.venue(HibachiExchange.VENUE));
        store = Store.open(cfg.database().path());
        orchestrator = new Orchestrator(cfg, store, new Venues(venues), clock, new Random(1));
        commands = new TelegramCommands(OWNER, List.of(), new BotControl(store, orchestrator), new Random(3));
        return cfg;
    }

    private Outcome send(String text) {
        return commands.handle(new TelegramUpdate(++updateId, OWNER, text), clock.instant());
    }

    private String reply(String text) {
        return ((Outcome.Reply) send(text)).text();
    }

    private void stepAfter(Duration d) {
        clock.advance(d);
        orchestrator.step();
    }

    private List<HedgePair> pairs(PairStatus... statuses) {
        return store.pairs(statuses.length == 0 ? EnumSet.allOf(PairStatus.class) : EnumSet.of(statuses[0], statuses));
    }

    private String code() {
        String text = reply("/closeall");
        return text.substring(text.length() - 6);
    }

    @Test
    void pauseFromTelegramStopsNewOpensUntilResume() {
        start(Map.of());
        assertThat(reply("/pause")).startsWith("opening paused: no new pair opens until /resume");
        assertThat(store.openingPause())
                .get()
                .satisfies(p -> assertThat(p.cause()).isEqualTo("paused from Telegram by chat 1001"));

        orchestrator.step();
        stepAfter(Duration.ofMinutes(30));
        assertThat(pairs()).as("paused: nothing opens").isEmpty();
        assertThat(store.alerts(100)).anySatisfy(a -> assertThat(a.kind()).isEqualTo("OPENING_PAUSED"));
        assertThat(reply("/status"))
                .startsWith("opening: PAUSED since 2026-03-02 10:00:00: paused from Telegram by chat 1001")
                .endsWith("no open pairs");
        assertThat(reply("/pause")).startsWith("opening was already paused since 2026-03-02 10:00:00");

        assertThat(reply("/resume"))
                .startsWith("opening resumed; it was paused since 2026-03-02 10:00:00: "
                        + "paused from Telegram by chat 1001");
        stepAfter(Duration.ofSeconds(1));
        assertThat(pairs(PairStatus.OPEN)).hasSize(1);
        assertThat(reply("/status"))
                .startsWith("opening: allowed\n1 pair(s):\n#1 BTC OPEN: long backpack, short hibachi," + " notional ")
                .contains("closes in 1h00m");
        assertThat(reply("/resume")).isEqualTo("opening was not paused; nothing to resume");
    }

    @Test
    void closeAllClosesNothingWithoutItsCodeAndEverythingWithIt() throws Exception {
        start(Map.of());
        orchestrator.step();
        assertThat(pairs(PairStatus.OPEN)).hasSize(1);

        String first = code();
        assertThat(reply("/closeall " + (first.equals("000000") ? "111111" : "000000")))
                .startsWith("wrong code");
        assertThat(reply("/closeall " + first))
                .as("the code was used up by the wrong guess")
                .startsWith("no close-all");
        stepAfter(Duration.ofSeconds(1));
        assertThat(pairs(PairStatus.OPEN)).as("a wrong code closes nothing").hasSize(1);
        assertThat(store.openingPause()).isEmpty();

        String expired = code();
        clock.advance(Duration.ofMinutes(3));
        assertThat(reply("/closeall " + expired)).startsWith("that code expired");
        stepAfter(Duration.ofSeconds(1));
        assertThat(pairs(PairStatus.OPEN)).hasSize(1);

        Outcome.Deferred d = (Outcome.Deferred) send("/closeall " + code());
        assertThat(d.result()).as("only the trading loop closes").isNotDone();
        assertThat(pairs(PairStatus.OPEN)).hasSize(1);
        stepAfter(Duration.ofSeconds(1));

        String result = d.result().get();
        assertThat(result)
                .startsWith("close-all: 1 pair(s)\n#1 BTC CLOSED, net ")
                .endsWith("\nopening paused: every pair closed (requested from Telegram by chat 1001) and opening"
                        + " paused so no new pair opens; 'perp-trader resume' lifts it");
        assertThat(pairs()).singleElement().satisfies(p -> {
            assertThat(p.status()).isEqualTo(PairStatus.CLOSED);
            assertThat(p.closeReason()).isEqualTo("CLOSE_ALL");
        });
        stepAfter(Duration.ofHours(1));
        assertThat(pairs()).as("paused: nothing reopened").hasSize(1);
        assertThat(reply("/history"))
                .startsWith("last 1 closed pair(s), newest first:\n#1 BTC closed 2026-03-02 10:0")
                .contains("(CLOSE_ALL): net ")
                .contains("\ntotal of these 1: net ");
    }

    @Test
    void alertsAndCommandsTravelThroughTheBotApiAndTheWebhook(WireMockRuntimeInfo wm) throws Exception {
        String updates = "/bot" + TOKEN + "/getUpdates";
        String send = "/bot" + TOKEN + "/sendMessage";
        stubFor(post(send).willReturn(okJson("{\"ok\":true,\"result\":{}}")));
        stubFor(post("/hook").willReturn(okJson("{}")));
        stubFor(post(updates)
                .inScenario("owner")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("read")
                .willReturn(okJson("{\"ok\":true,\"result\":[{\"update_id\":7,\"message\":{\"chat\":{\"id\":" + OWNER
                        + "},\"text\":\"/pause\"}}]}")));
        stubFor(post(updates)
                .inScenario("owner")
                .whenScenarioStateIs("read")
                .willReturn(okJson("{\"ok\":true,\"result\":[]}").withFixedDelay(300)));
        AppConfig cfg = start(Map.of(
                "APP__ALERTS__TELEGRAM__BOT_TOKEN",
                TOKEN,
                "APP__ALERTS__TELEGRAM__CHAT_ID",
                String.valueOf(OWNER),
                "APP__ALERTS__TELEGRAM__API_URL",
                wm.getHttpBaseUrl(),
                "APP__ALERTS__WEBHOOK__URL",
                wm.getHttpBaseUrl() + "/hook"));

        try (OwnerChannels owner = OwnerChannels.start(cfg, store, orchestrator, clock)) {
            Deadline.await("/pause read and written", () -> store.openingPause().isPresent());
            Files.createFile(dir.resolve("STOP"));
            orchestrator.step(); // raises KILL_SWITCH, which goes to both sinks
            Deadline.await(
                    "the alert at the webhook",
                    () -> !findAll(postRequestedFor(urlEqualTo("/hook"))).isEmpty());
            Deadline.await(
                    "the reply and the alert on Telegram",
                    () -> findAll(postRequestedFor(urlEqualTo(send))).size() >= 2);
        }
        JsonNode hook = MAPPER.readTree(
                findAll(postRequestedFor(urlEqualTo("/hook"))).get(0).getBodyAsString());
        assertThat(hook.path("kind").asText()).isEqualTo("KILL_SWITCH");
        List<String> texts = findAll(postRequestedFor(urlEqualTo(send))).stream()
                .map(r -> readText(r.getBodyAsString()))
                .toList();
        assertThat(texts)
                .anyMatch(t -> t.startsWith("opening paused: no new pair opens until /resume"))
                .anyMatch(t -> t.startsWith("WARN KILL_SWITCH\n"));
        assertThat(store.openingPause().orElseThrow().cause()).isEqualTo("paused from Telegram by chat 1001");
    }

    private static String readText(String body) {
        try {
            return MAPPER.readTree(body).path("text").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
