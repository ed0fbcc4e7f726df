package dev.perptrader.exchange.backpack;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange.Quote;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Public data: markets, mark prices, the clock offset; paper mode refuses signed calls. */
@WireMockTest
final class BackpackMarketDataTest {
    private WireMockRuntimeInfo wm;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void stubs(WireMockRuntimeInfo wm) {
        this.wm = wm;
        Kit.stubTime(Kit.NOW_MS);
        Kit.stubGet("/api/v1/markets", "markets.json");
        Kit.stubGet("/api/v1/markPrices", "markPrices.json");
    }

    @AfterEach
    void everySignedRequestVerifies() {
        SignedRequests.assertAllVerify(wm.getWireMock().getServeEvents());
    }

    @Test
    void marketsArePerpOnlyKeyedByBaseAssetWithTheVenuesExactSymbols() {
        Map<String, MarketRules> markets = Kit.exchange(wm, sleeper).markets();

        assertThat(markets).containsOnlyKeys("BTC", "SOL", "ETH", "kPEPE", "SPY.US");
        MarketRules btc = markets.get("BTC");
        assertThat(btc.symbol()).isEqualTo("BTC_USDC_PERP");
        assertThat(btc.tickSize()).isEqualByComparingTo("0.1");
        assertThat(btc.stepSize()).isEqualByComparingTo("0.0001");
        assertThat(btc.minQty()).isEqualByComparingTo("0.0001");
        assertThat(btc.minNotional()).isEqualByComparingTo("0");
        assertThat(btc.open()).isTrue();
        assertThat(markets.get("SOL").symbol())
                .as("the PERP, not the spot market")
                .isEqualTo("SOL_USDC_PERP");
        assertThat(markets.get("kPEPE").symbol()).isEqualTo("kPEPE_USDC_PERP");
        assertThat(markets.get("kPEPE").minQty()).isEqualByComparingTo("1");
        assertThat(markets.get("ETH").open()).as("CancelOnly").isFalse();
        assertThat(markets.get("SPY.US").open()).as("PostOnly").isFalse();
        verify(getRequestedFor(urlPathEqualTo("/api/v1/markets"))
                .withQueryParam("marketType", WireMock.equalTo("PERP")));
    }

    @Test
    void marketsAreCachedForFiveMinutes() {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(Kit.NOW_MS));
        BackpackExchange ex = Kit.exchange(wm, clock, sleeper, Kit.TUNING);

        ex.markets();
        clock.advance(Duration.ofMinutes(4));
        ex.markets();
        verify(1, getRequestedFor(urlPathEqualTo("/api/v1/markets")));

        clock.advance(Duration.ofMinutes(2));
        ex.markets();
        verify(2, getRequestedFor(urlPathEqualTo("/api/v1/markets")));
    }

    @Test
    void theFundingIntervalIsEachMarketsOwnAndReadWithTheCachedMarkets() {
        Kit.stubGet("/api/v1/markets", "markets_funding_intervals.json");
        BackpackExchange ex = Kit.exchange(wm, sleeper);

        assertThat(ex.fundingInterval("BTC_USDC_PERP")).isEqualTo(Duration.ofHours(1));
        assertThat(ex.fundingInterval("ETH_USDC_PERP"))
                .as("an older market: 8 h")
                .isEqualTo(Duration.ofHours(8));
        assertThat(ex.fundingInterval("SOL_USDC_PERP"))
                .as("the interval as a string")
                .isEqualTo(Duration.ofHours(4));
        ExchangeException missing = Kit.failure(() -> ex.fundingInterval("DOGE_USDC_PERP"));
        assertThat(missing.error()).as("listed, no interval: none assumed").isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(missing.getMessage()).contains("no readable fundingInterval for DOGE_USDC_PERP");
        ExchangeException unknown = Kit.failure(() -> ex.fundingInterval("SOL_USDC"));
        assertThat(unknown.error()).as("spot, not a PERP market").isEqualTo(ExchangeError.REJECTED);
        assertThat(ex.markets()).containsKeys("BTC", "ETH", "SOL", "DOGE");
        verify(1, getRequestedFor(urlPathEqualTo("/api/v1/markets")));
    }

    @Test
    void quotesComeFromOneMarkPricesCallForAllSymbols() {
        Map<String, Quote> quotes = Kit.exchange(wm, sleeper)
                .quotes(List.of("BTC_USDC_PERP", "SOL_USDC_PERP", "DOGE_USDC_PERP", "btc_usdc_perp"));

        assertThat(quotes).containsOnlyKeys("BTC_USDC_PERP", "SOL_USDC_PERP");
        assertThat(quotes.get("BTC_USDC_PERP").markPrice()).isEqualByComparingTo("104321.5");
        assertThat(quotes.get("BTC_USDC_PERP").fundingRate()).isEqualByComparingTo("0.0000125");
        assertThat(quotes.get("SOL_USDC_PERP").fundingRate())
                .isEqualTo(new BigDecimal("-0.0019226427158784468464417899"));
        assertThat(quotes.get("SOL_USDC_PERP").at()).isEqualTo(Instant.ofEpochMilli(Kit.NOW_MS));
        verify(1, getRequestedFor(urlPathEqualTo("/api/v1/markPrices")));
        assertThat(wm.getWireMock()
                        .find(getRequestedFor(urlPathEqualTo("/api/v1/markPrices")))
                        .get(0)
                        .getQueryParams())
                .isEmpty();
    }

    @Test
    void noSymbolsNoCall() {
        assertThat(Kit.exchange(wm, sleeper).quotes(List.of())).isEmpty();
        verify(0, anyRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void clockOffsetIsMeasuredFromTheVenueAndAppliedToXTimestamp() {
        Kit.stubTime(Kit.NOW_MS + 2500);
        Kit.stubGet("/api/v1/capital/collateral", "collateral_empty.json");
        stubFor(get(urlPathEqualTo("/api/v1/position")).willReturn(okJson("[]")));
        BackpackExchange ex = Kit.exchange(wm, sleeper);

        assertThat(ex.clockOffset()).contains(Duration.ofMillis(2500));
        ex.account();

        var collateral = wm.getWireMock().find(getRequestedFor(urlPathEqualTo("/api/v1/capital/collateral")));
        assertThat(collateral.get(0).getHeader("X-Timestamp")).isEqualTo(Long.toString(Kit.NOW_MS + 2500));
        verify(1, getRequestedFor(urlPathEqualTo("/api/v1/time")));
    }

    @Test
    void theFirstSignedCallMeasuresTheOffsetAndItIsMeasuredAgainEveryFiveMinutesByDefault() {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(Kit.NOW_MS));
        Kit.stubGet("/api/v1/capital/collateral", "collateral_empty.json");
        stubFor(get(urlPathEqualTo("/api/v1/position")).willReturn(okJson("[]")));
        BackpackExchange ex = Kit.exchange(wm, clock, sleeper, Kit.TUNING);

        ex.account();
        verify(1, getRequestedFor(urlPathEqualTo("/api/v1/time")));
        clock.advance(Duration.ofMinutes(4));
        ex.account();
        verify(1, getRequestedFor(urlPathEqualTo("/api/v1/time")));
        clock.advance(Duration.ofMinutes(2));
        ex.account();
        verify(2, getRequestedFor(urlPathEqualTo("/api/v1/time")));
        assertThat(wm.getWireMock().find(getRequestedFor(urlPathEqualTo("/api/v1/capital/collateral"))))
                .as("the default signed window")
                .allSatisfy(r -> assertThat(r.getHeader("X-Window")).isEqualTo("5000"));
    }

    @Test
    void theClockCheckIntervalAndTheLateExecutionWindowAreTheOwnersSettings() {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(Kit.NOW_MS));
        Kit.stubGet("/api/v1/capital/collateral", "collateral_empty.json");
        stubFor(get(urlPathEqualTo("/api/v1/position")).willReturn(okJson("[]")));
        BackpackExchange ex = Kit.exchange(
                wm, clock, sleeper, Kit.TUNING.withVenueSettings(Duration.ofMillis(2500), Duration.ofSeconds(90)));

        assertThat(ex.lateExecutionWindow()).isEqualTo(Duration.ofMillis(2500));
        ex.account();
        clock.advance(Duration.ofSeconds(89));
        ex.account();
        verify(1, getRequestedFor(urlPathEqualTo("/api/v1/time")));
        clock.advance(Duration.ofSeconds(2));
        ex.account();
        verify(2, getRequestedFor(urlPathEqualTo("/api/v1/time")));
        assertThat(wm.getWireMock().find(getRequestedFor(urlPathEqualTo("/api/v1/capital/collateral"))))
                .as("the signed window is the late-execution window")
                .allSatisfy(r -> assertThat(r.getHeader("X-Window")).isEqualTo("2500"))
                .allSatisfy(r -> assertThat(SignedRequests.verifies(r)).isTrue());
    }

    @Test
    void aLateExecutionWindowBeyondTheVenuesMaximumSignsWithSixtySecondsAndWaitsTheLonger() {
        Tuning tuning = Kit.TUNING.withVenueSettings(Duration.ofSeconds(90), Duration.ofMinutes(5));

        assertThat(tuning.windowMs()).isEqualTo(60_000);
        assertThat(Kit.exchange(wm, Kit.FIXED, sleeper, tuning).lateExecutionWindow())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(Kit.exchange(wm, sleeper).lateExecutionWindow()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aFailedClockSyncDoesNotBlockSigning() {
        stubFor(get(urlPathEqualTo("/api/v1/time")).willReturn(okJson("<html>oops</html>")));
        Kit.stubGet("/api/v1/capital/collateral", "collateral_empty.json");
        stubFor(get(urlPathEqualTo("/api/v1/position")).willReturn(okJson("[]")));

        assertThat(Kit.exchange(wm, sleeper).account().equity()).isEqualByComparingTo("28.49145");
    }

    @Test
    void paperModeServesPublicDataAndRefusesEverySignedCallWithoutSendingIt() {
        BackpackExchange paper = Kit.paper(wm, sleeper);

        assertThat(paper.markets()).containsKey("BTC");
        assertThat(paper.quotes(List.of("SOL_USDC_PERP"))).containsKey("SOL_USDC_PERP");
        assertThat(paper.clockOffset()).contains(Duration.ZERO);
        String id = paper.newClientId();
        assertNoKeys(paper::account);
        assertNoKeys(() -> paper.ensureLeverage("SOL_USDC_PERP", BigDecimal.valueOf(3)));
        assertNoKeys(() -> paper.placeMarketOrder(
                new OrderRequest("SOL_USDC_PERP", OrderSide.BUY, new BigDecimal("0.5"), false, id)));
        assertNoKeys(() -> paper.lookupOrder("SOL_USDC_PERP", id));
        assertNoKeys(() -> paper.fundingBetween("SOL_USDC_PERP", Instant.EPOCH, Instant.now()));
        assertThat(wm.getWireMock().getServeEvents())
                .allSatisfy(e -> assertThat(SignedRequests.isSignedEndpoint(e.getRequest()))
                        .isFalse());
    }

    private static void assertNoKeys(ThrowingCallable call) {
        ExchangeException e = Kit.failure(call);
        assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
        assertThat(e.getMessage()).contains("no API keys (paper mode)");
    }
}
