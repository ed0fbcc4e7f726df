package dev.perptrader.exchange.sim;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.VenueDriver;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.testutil.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paper mode on Hyperliquid's public {@code info} data (on WireMock), paired with Backpack: the
 * public client the driver builds from {@code exchanges.hyperliquid.base_url}, no key; markets,
 * marks and the hourly funding interval come from the venue, fills and accounts are simulated.
 */
@WireMockTest
final class PaperHyperliquidTest {
    private static final Venue HYPERLIQUID = Venue.parse("hyperliquid");
    private static final String META = """
            [{"universe":[{"name":"BTC","szDecimals":5,"maxLeverage":50},{"name":"ETH","szDecimals":4,"maxLeverage":50},
                          {"name":"SOL","szDecimals":2,"maxLeverage":20}]},
             [{"funding":"0.0000125","markPx":"60012.0","openInterest":"1200.5"},
              {"funding":"-0.00000625","markPx":"3001.25","openInterest":"20000"},
              {"funding":"0.00002","markPx":"150.123","openInterest":"500000"}]]""";

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:30:00Z");
    private SimWorld world;
    private SimVenue hl;

    @BeforeEach
    void open(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo("/info"))
                .withRequestBody(matchingJsonPath("$.type", equalTo("metaAndAssetCtxs")))
                .willReturn(okJson(META)));
        AppConfig.ExchangeCredentials settings = AppConfig.ExchangeCredentials.of(
                Map.of("base_url", wm.getHttpBaseUrl()), Set.of(), Duration.ofSeconds(10), Duration.ofMinutes(5));
        PerpExchange publicHl = VenueDriver.of(HYPERLIQUID).publicOnly(settings, clock);
        AppConfig.Sim params = new SimParams(dir).build().withModelled(List.of(BackpackExchange.VENUE, HYPERLIQUID));
        world = SimWorld.openPaper(
                params,
                dir.resolve("paper.db"),
                Map.of(BackpackExchange.VENUE, FakePublicFeed.backpack(), HYPERLIQUID, publicHl),
                clock);
        hl = world.venue(HYPERLIQUID);
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void marketsAndMarksAreTheVenuesAndFillsAreSimulatedAtThem() {
        Map<String, MarketRules> markets = hl.markets();
        assertThat(markets).containsOnlyKeys("BTC", "ETH", "SOL");
        assertThat(markets.get("BTC").tickSize()).isEqualByComparingTo("1");
        assertThat(hl.quotes(List.of("BTC")).get("BTC").markPrice()).isEqualByComparingTo("60012.0");
        assertThat(hl.fundingInterval("BTC")).isEqualTo(Duration.ofHours(1));

        Fill fill = hl.placeMarketOrder(buy(hl, "BTC", "0.01"));

        // 60012 × 1.0005 = 60042.006 → tick 1
        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.avgPrice()).isEqualByComparingTo("60042");
        assertThat(hl.account().position("BTC")).isPresent();
        // paper mode never sends an action to the venue
        verify(0, postRequestedFor(urlPathEqualTo("/exchange")));
    }
}
