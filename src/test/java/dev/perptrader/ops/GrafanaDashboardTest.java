package dev.perptrader.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.MutableClock;
import dev.perptrader.trader.Telemetry;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/grafana-dashboard.json queries only metrics the bot exports (as a running registry
 * serves them, histograms by their _bucket, _count and _sum series), and every perp_trader
 * metric has a panel.
 */
final class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("deploy/grafana-dashboard.json");
    private static final Set<String> PROMQL_WORDS = Set.of(
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "inf",
            "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("\\b[a-zA-Z_:][a-zA-Z0-9_:]*\\b(?!\\s*\\()");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

    @TempDir
    Path dir;

    /** The metric names a PromQL expression reads: strings, label matchers, ranges, groupings and functions aside. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "")
                .replaceAll("\\$\\{?\\w+}?", "");
        Set<String> out = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            if (!PROMQL_WORDS.contains(m.group().toLowerCase(Locale.ROOT))) {
                out.add(m.group());
            }
        }
        return out;
    }

    @Test
    void theNameExtractionReadsPromQlAsPrometheusDoes() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (le, venue) (rate(x_seconds_bucket{venue=~\"a|b\","
                        + "instance=~\"$instance\"}[$__rate_interval])))"))
                .containsExactly("x_seconds_bucket");
        assertThat(metricNames("time() - last_tick{job=\"bot\"} > bool 180 and on(instance) up"))
                .containsExactly("last_tick", "up");
        assertThat(metricNames("sum(increase(volume_total[1h])) / 1e3")).containsExactly("volume_total");
    }

    @Test
    void everyQueryUsesOnlyExportedMetricsAndEveryBotMetricHasAPanel() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> exprs = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()));
        Set<String> used = new TreeSet<>();
        exprs.forEach(e -> used.addAll(metricNames(e)));
        for (JsonNode definition : dashboard.get("templating").findValues("definition")) {
            Matcher m = LABEL_VALUES.matcher(definition.asText());
            if (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(exprs).hasSizeGreaterThan(20);

        Set<String> exported = scrapeARunningRegistry().names();

        assertThat(used).isNotEmpty();
        assertThat(exported).containsAll(used);
        Set<String> families = new TreeSet<>();
        exported.stream()
                .filter(n -> n.startsWith("perp_trader_"))
                .forEach(n -> families.add(n.replaceAll("_(bucket|count|sum)$", "")));
        Set<String> panelled = new TreeSet<>();
        used.forEach(n -> panelled.add(n.replaceAll("_(bucket|count|sum)$", "")));
        assertThat(panelled).containsAll(families);
    }

    /** A bot's registry after one tick, one order and one venue error, served and scraped over HTTP. */
    private PromText scrapeARunningRegistry() throws Exception {
        Instant now = Instant.parse("2026-03-02T10:00:00Z");
        MutableClock clock = new MutableClock(now);
        Store.open(dir.resolve("bot.db"));
        Store book = Store.openForReading(dir.resolve("bot.db"));
        List<Venue> venues = List.of(BackpackExchange.VENUE, HibachiExchange.VENUE);
        LastTick lastTick = new LastTick();
        HealthCheck health = new HealthCheck(
                book, venues, lastTick, clock, new Health.Rules(Duration.ofSeconds(60), Duration.ofMinutes(5)), now);
        BotMetrics metrics = new BotMetrics(book, venues, List.of("BTC"), lastTick, health);
        Telemetry.Tick tick = new Telemetry.Tick(
                now,
                Duration.ofMillis(12),
                Map.of(BackpackExchange.VENUE, new BigDecimal("4.2"), HibachiExchange.VENUE, new BigDecimal("3.9")),
                Map.of(BackpackExchange.VENUE, new BigDecimal("1.5"), HibachiExchange.VENUE, new BigDecimal("-1.4")));
        lastTick.tickCompleted(tick);
        metrics.tickCompleted(tick);
        metrics.orderRoundTrip(BackpackExchange.VENUE, OrderPurpose.OPEN, Duration.ofMillis(80));
        metrics.venueError(HibachiExchange.VENUE, ExchangeError.VENUE_DOWN);
        try (HttpEndpoint endpoint = HttpEndpoint.start("127.0.0.1", 0, metrics.registry(), health)) {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                                    .timeout(Duration.ofSeconds(30))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return PromText.parse(r.body());
        }
    }
}
