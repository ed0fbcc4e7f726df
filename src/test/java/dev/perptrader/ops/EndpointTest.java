package dev.perptrader.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} and {@code GET /health} of a whole sim-mode bot on a hand-driven clock:
 * the book's figures scraped equal the database's, counters move as pairs open and close, and
 * health turns 503 (and the health file unhealthy) once ticks stop.
 */
final class EndpointTest {
    @TempDir
    Path dir;

    private SimBot bot;
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() {
        if (bot != null) {
            bot.close();
        }
    }

    private static double sum(List<HedgePair> pairs, Function<HedgePair, BigDecimal> figure) {
        return pairs.stream()
                .map(figure)
                .filter(Objects::nonNull)
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .doubleValue();
    }

    @Test
    void theBooksFiguresOnMetricsEqualTheDatabaseAndMoveAsPairsOpenAndClose() {
        bot = new SimBot(dir);
        bot.step(); // first tick, then pair 1 opens
        HedgePair first = bot.store.pairs(EnumSet.of(PairStatus.OPEN)).get(0);

        PromText m = bot.scrape();
        for (String venue : List.of("backpack", "hibachi")) {
            assertThat(m.value("perp_trader_open_pairs", "venue", venue, "asset", "BTC"))
                    .isEqualTo(1);
            assertThat(m.value("perp_trader_open_notional_usd", "venue", venue, "asset", "BTC"))
                    .isEqualTo(first.notional().doubleValue());
            assertThat(m.value("perp_trader_order_latency_seconds_count", "venue", venue, "purpose", "OPEN"))
                    .isEqualTo(1);
            assertThat(m.value("perp_trader_venue_errors_total", "venue", venue, "kind", "VENUE_DOWN"))
                    .isZero();
        }
        assertThat(m.value("perp_trader_pairs", "status", "OPEN")).isEqualTo(1);
        assertThat(m.value("perp_trader_pairs", "status", "CLOSED")).isZero();
        assertThat(m.value("perp_trader_volume_usd_total")).isZero();
        assertThat(m.value("perp_trader_points_total")).isZero();
        assertThat(m.value("perp_trader_tick_duration_seconds_count")).isEqualTo(1);
        assertThat(m.value("perp_trader_last_tick_timestamp_seconds")).isEqualTo(SimBot.START.getEpochSecond());
        assertThat(m.value("perp_trader_unrealized_pnl_usd", "venue", "backpack"))
                .isZero();
        assertThat(m.value("perp_trader_healthy")).isEqualTo(1);
        assertThat(m.value("perp_trader_opening_paused")).isZero();
        assertThat(m.value("perp_trader_alerts_total", "kind", "UNHEALTHY", "level", "ERROR"))
                .isZero();
        assertThat(m.names()).contains("jvm_memory_used_bytes", "jvm_threads_current");
        assertThat(m.type("perp_trader_volume_usd_total")).contains("counter");
        assertThat(m.type("perp_trader_fees_usd")).contains("gauge");
        assertThat(m.type("perp_trader_order_latency_seconds")).contains("histogram");

        bot.advance(Duration.ofMinutes(61)); // pair 1 expires and closes; funding was paid on the way
        bot.step();
        bot.advance(Duration.ofMinutes(10)); // the cooldown ends: pair 2 opens
        bot.step();

        List<HedgePair> all = bot.store.pairs(EnumSet.allOf(PairStatus.class));
        assertThat(all).extracting(HedgePair::status).containsExactly(PairStatus.CLOSED, PairStatus.OPEN);
        HedgePair closed = all.get(0);
        assertThat(closed.volume().signum()).isPositive();
        assertThat(closed.fees().signum()).isPositive();
        assertThat(closed.funding().signum()).as("funding was charged").isNotZero();

        PromText later = bot.scrape();
        assertThat(later.value("perp_trader_volume_usd_total"))
                .isEqualTo(sum(all, HedgePair::volume))
                .isGreaterThan(0);
        assertThat(later.value("perp_trader_fees_usd")).isEqualTo(sum(all, HedgePair::fees));
        assertThat(later.value("perp_trader_funding_usd")).isEqualTo(sum(all, HedgePair::funding));
        assertThat(later.value("perp_trader_points_total"))
                .isEqualTo(sum(all, HedgePair::points))
                .isGreaterThan(0);
        assertThat(later.value("perp_trader_net_pnl_usd"))
                .isEqualTo(closed.realizedPnl()
                        .subtract(closed.fees())
                        .add(closed.funding())
                        .doubleValue());
        assertThat(later.value("perp_trader_pairs", "status", "CLOSED")).isEqualTo(1);
        assertThat(later.value("perp_trader_pairs", "status", "OPEN")).isEqualTo(1);
        assertThat(later.value("perp_trader_open_pairs", "venue", "hibachi", "asset", "BTC"))
                .isEqualTo(1);
        assertThat(later.value("perp_trader_open_notional_usd", "venue", "hibachi", "asset", "BTC"))
                .isEqualTo(all.get(1).notional().doubleValue());
        assertThat(later.value("perp_trader_order_latency_seconds_count", "venue", "backpack", "purpose", "CLOSE"))
                .isEqualTo(1);
        assertThat(later.value("perp_trader_order_latency_seconds_count", "venue", "backpack", "purpose", "OPEN"))
                .isEqualTo(2);
        assertThat(later.value("perp_trader_tick_duration_seconds_count")).isEqualTo(3);
        assertThat(later.value("perp_trader_last_tick_timestamp_seconds"))
                .isEqualTo(SimBot.START.plus(Duration.ofMinutes(71)).getEpochSecond());
        assertThat(later.find("perp_trader_collateral_ratio", "venue", "backpack"))
                .as("that tick ran before pair 2 opened: no margin in use")
                .isEmpty();

        bot.advance(Duration.ofMinutes(1));
        bot.step();
        PromText marked = bot.scrape();
        assertThat(marked.value("perp_trader_collateral_ratio", "venue", "backpack"))
                .isGreaterThan(1.5);
        assertThat(marked.value("perp_trader_collateral_ratio", "venue", "hibachi"))
                .isGreaterThan(1.5);
        for (Leg leg : bot.store.legs(all.get(1).id())) {
            assertThat(marked.value(
                            "perp_trader_unrealized_pnl_usd",
                            "venue",
                            leg.venue().configName()))
                    .isEqualTo(leg.unrealizedPnl().doubleValue());
        }
    }

    @Test
    void healthIs200WhileTickingThen503AndTheFileUnhealthyOnceTicksStopAndUnhealthyIsRaisedAfterTheSetMinutes()
            throws Exception {
        bot = new SimBot(dir);
        bot.step();
        Path file = dir.resolve("health.json");

        HttpResponse<String> ok = bot.get("/health");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        JsonNode body = json.readTree(ok.body());
        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(body.get("venues").get(0).get("reachable").asBoolean()).isTrue();
        assertThat(bot.ops.watchdog().check().ok()).isTrue();
        assertThat(json.readTree(Files.readString(file)).get("status").asText()).isEqualTo("ok");

        bot.advance(Duration.ofSeconds(180)); // exactly 3 monitor intervals since the last tick
        assertThat(bot.get("/health").statusCode()).isEqualTo(200);
        bot.advance(Duration.ofSeconds(1));
        HttpResponse<String> stale = bot.get("/health");
        assertThat(stale.statusCode()).isEqualTo(503);
        assertThat(json.readTree(stale.body()).get("reasons").get(0).asText())
                .isEqualTo("no monitor tick completed for 181 s (limit 180 s: 3 monitor intervals)");
        assertThat(bot.ops.watchdog().check().ok()).isFalse();
        JsonNode written = json.readTree(Files.readString(file));
        assertThat(written.get("status").asText()).isEqualTo("unhealthy");
        assertThat(written.get("last_tick_age_seconds").asLong()).isEqualTo(181);
        assertThat(bot.scrape().value("perp_trader_healthy")).isZero();

        bot.advance(Duration.ofMinutes(5)); // unhealthy for exactly alerts.unhealthy_after_minutes
        bot.ops.watchdog().check();
        assertThat(kinds()).doesNotContain("UNHEALTHY");
        bot.advance(Duration.ofSeconds(1));
        bot.ops.watchdog().check();
        assertThat(kinds()).containsOnlyOnce("UNHEALTHY");
        assertThat(bot.store.alerts(1).get(0).level()).isEqualTo("ERROR");
        assertThat(bot.store.alerts(1).get(0).message())
                .startsWith("unhealthy for 5m01s: no monitor tick completed for 482 s");
        assertThat(bot.scrape().value("perp_trader_alerts_total", "kind", "UNHEALTHY", "level", "ERROR"))
                .isEqualTo(1);

        bot.step(); // ticking again
        assertThat(bot.get("/health").statusCode()).isEqualTo(200);
        assertThat(bot.ops.watchdog().check().ok()).isTrue();
        assertThat(json.readTree(Files.readString(file)).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void aPauseOnOpeningAloneStays200() throws Exception {
        bot = new SimBot(dir);
        bot.step();
        bot.store.pauseOpening("2 pairs in a row rolled back", bot.clock.instant());

        HttpResponse<String> r = bot.get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("opening").get("state").asText()).isEqualTo("paused");
        assertThat(body.get("opening").get("cause").asText()).isEqualTo("2 pairs in a row rolled back");
        PromText m = bot.scrape();
        assertThat(m.value("perp_trader_opening_paused")).isEqualTo(1);
        assertThat(m.value("perp_trader_healthy")).isEqualTo(1);
    }

    @Test
    void otherPathsAre404AndHealthAnswersOnlyGetAndHead() {
        bot = new SimBot(dir);
        assertThat(bot.get("/").statusCode()).isEqualTo(404);
        assertThat(bot.get("/healthz").statusCode()).isEqualTo(404);
        assertThat(bot.get("/-/healthy").statusCode()).isEqualTo(404);
        HttpResponse<String> post =
                bot.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.ops.port() + "/health"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(405);
        HttpResponse<String> head =
                bot.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.ops.port() + "/health"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void withHttpOffNothingListensButTheHealthFileIsStillWrittenAndSaysStoppedAtTheEnd() throws Exception {
        bot = new SimBot(dir, Map.of("APP__HTTP__ENABLED", "false"));
        bot.step();
        assertThat(bot.ops.watchdog().check().ok()).isTrue();
        Path file = dir.resolve("health.json");
        assertThat(json.readTree(Files.readString(file)).get("status").asText()).isEqualTo("ok");

        bot.close();
        JsonNode last = json.readTree(Files.readString(file));
        bot = null;
        assertThat(last.get("status").asText()).isEqualTo("unhealthy");
        assertThat(last.get("reasons").get(0).asText()).isEqualTo("perp-trader stopped at " + SimBot.START);
    }

    private List<String> kinds() {
        return bot.store.alerts(100).stream().map(Store.AlertRow::kind).toList();
    }
}
