package dev.perptrader.exchange.hibachi;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.CLOCK;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.FIRST_NONCE;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.NOW;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.fixture;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.stubMarketBasics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

/** Public market data from the data host: contracts, quotes, the venue clock, and paper mode. */
@WireMockTest
final class HibachiMarketDataTest {

    private static HibachiExchange publicExchange(WireMockRuntimeInfo wm, Clock clock) {
        return new HibachiExchange(
                HibachiExchange.tradingClient(),
                wm.getHttpBaseUrl(),
                wm.getHttpBaseUrl(),
                clock,
                FakeSleeper.unpaced(),
                Optional.empty());
    }

    @Test
    void marketsAreTheLiveFuturesKeyedByUnderlyingAsset(WireMockRuntimeInfo wm) {
        stubMarketBasics();
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, FakeSleeper.unpaced());

        Map<String, MarketRules> markets = ex.markets();

        assertThat(ex.venue()).isEqualTo(HibachiExchange.VENUE);
        assertThat(markets).containsOnlyKeys("ETH", "BTC", "SOL", "SUI", "DOGE");
        MarketRules btc = markets.get("BTC");
        assertThat(btc.asset()).isEqualTo("BTC");
        assertThat(btc.symbol()).isEqualTo("BTC/USDT-P");
        assertThat(btc.stepSize()).isEqualByComparingTo("0.0000000001");
        assertThat(btc.tickSize()).isEqualByComparingTo("0.1");
        assertThat(btc.minQty()).isEqualByComparingTo("0.0000000001");
        assertThat(btc.minNotional()).isEqualByComparingTo("1");
        assertThat(btc.open()).isTrue();
        assertThat(markets.get("DOGE").open()).isFalse();
        verify(getRequestedFor(urlPathEqualTo("/market/exchange-info"))
                .withoutHeader("Authorization")
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("User-Agent", equalTo(HibachiHttp.USER_AGENT)));
    }

    @Test
    void exchangeInfoIsCachedForAFewMinutes(WireMockRuntimeInfo wm) {
        stubMarketBasics();
        MutableClock clock = new MutableClock(NOW);
        HibachiExchange ex = publicExchange(wm, clock);

        ex.markets();
        ex.markets();
        ex.quotes(List.of("XRP/USDT-P"));
        verify(1, getRequestedFor(urlPathEqualTo("/market/exchange-info")));

        clock.advance(HibachiExchange.CATALOG_TTL);
        ex.markets();
        verify(2, getRequestedFor(urlPathEqualTo("/market/exchange-info")));
    }

    @Test
    void exchangeInfoWithoutAStatusFieldIsTradingAsUsual(WireMockRuntimeInfo wm) {
        stubFor(get(urlPathEqualTo("/market/exchange-info"))
                .willReturn(okJson(fixture("exchange-info-no-status.json"))));
        stubFor(get(urlPathEqualTo("/exchange/utc-timestamp")).willReturn(okJson(fixture("utc-timestamp.json"))));
        HibachiExchange ex = publicExchange(wm, CLOCK);

        Map<String, MarketRules> markets = ex.markets();

        assertThat(markets).containsKeys("BTC", "ETH", "SOL");
        assertThat(markets.get("BTC").open()).isTrue();
    }

    @Test
    void everyMarketSettlesFundingEveryEightHours(WireMockRuntimeInfo wm) {
        HibachiExchange ex = publicExchange(wm, CLOCK);

        assertThat(ex.fundingInterval("BTC/USDT-P")).isEqualTo(Duration.ofHours(8));
        assertThat(ex.fundingInterval("SOL/USDT-P")).isEqualTo(Duration.ofHours(8));
        verify(0, anyRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void anExchangeNotInNormalStatusIsDown(WireMockRuntimeInfo wm) {
        stubFor(get(urlPathEqualTo("/market/exchange-info"))
                .willReturn(okJson(fixture("exchange-info-maintenance.json"))));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, FakeSleeper.unpaced());

        assertDown(ex::markets, "SCHEDULED_MAINTENANCE");
        assertDown(() -> ex.quotes(List.of("BTC/USDT-P")), "SCHEDULED_MAINTENANCE");
        assertDown(
                () -> ex.placeMarketOrder(new OrderRequest(
                        "BTC/USDT-P", OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId())),
                "SCHEDULED_MAINTENANCE");
        verify(0, anyRequestedFor(urlPathEqualTo("/trade/order")));
        verify(3, getRequestedFor(urlPathEqualTo("/market/exchange-info")));
    }

    @Test
    void quotesAskThePricesOfEachKnownSymbolAndLeaveUnknownOnesOut(WireMockRuntimeInfo wm) {
        stubMarketBasics();
        stubFor(get(urlPathEqualTo("/market/data/prices"))
                .withQueryParam("symbol", equalTo("BTC/USDT-P"))
                .willReturn(okJson(fixture("prices-btc.json"))));
        stubFor(get(urlPathEqualTo("/market/data/prices"))
                .withQueryParam("symbol", equalTo("ETH/USDT-P"))
                .willReturn(okJson(fixture("prices-eth.json"))));
        HibachiExchange ex = publicExchange(wm, CLOCK);

        Map<String, PerpExchange.Quote> quotes =
                ex.quotes(List.of("BTC/USDT-P", "ETH/USDT-P", "XRP/USDT-P", "BTC/USDT-P"));

        assertThat(quotes).containsOnlyKeys("BTC/USDT-P", "ETH/USDT-P");
        PerpExchange.Quote btc = quotes.get("BTC/USDT-P");
        assertThat(btc.markPrice()).isEqualByComparingTo("64000.25");
        assertThat(btc.fundingRate()).isEqualByComparingTo("0.000013");
        assertThat(btc.at()).isEqualTo(NOW);
        assertThat(quotes.get("ETH/USDT-P").fundingRate()).isEqualByComparingTo("-0.000001");
        verify(2, getRequestedFor(urlPathEqualTo("/market/data/prices")));
        verify(0, getRequestedFor(urlPathMatching("/trade/.*")));
    }

    @Test
    void marksOfAnyNumberOfMarketsAreOneInventoryCall(WireMockRuntimeInfo wm) {
        stubMarketBasics();
        stubFor(get(urlPathEqualTo("/market/inventory")).willReturn(okJson(fixture("inventory.json"))));
        HibachiExchange ex = publicExchange(wm, CLOCK);

        Map<String, BigDecimal> marks = ex.marks(List.of("BTC/USDT-P", "ETH/USDT-P", "SOL/USDT-P", "XRP/USDT-P"));

        assertThat(marks).containsOnlyKeys("BTC/USDT-P", "ETH/USDT-P", "SOL/USDT-P");
        assertThat(marks.get("BTC/USDT-P")).isEqualByComparingTo("64000.25");
        assertThat(marks.get("SOL/USDT-P")).isEqualByComparingTo("169.2950738");
        verify(1, getRequestedFor(urlPathEqualTo("/market/inventory")));
        verify(0, getRequestedFor(urlPathEqualTo("/market/data/prices")));
    }

    @Test
    void anInventoryWithoutTheMarkOfAWantedMarketIsAnUnusableReply(WireMockRuntimeInfo wm) {
        stubMarketBasics();
        stubFor(get(urlPathEqualTo("/market/inventory"))
                .willReturn(okJson(
                        fixture("inventory.json").replace("\"markPrice\": \"64000.25\"", "\"markPrice\": \"0\""))));
        HibachiExchange ex = publicExchange(wm, CLOCK);

        assertThat(ex.marks(List.of("ETH/USDT-P"))).containsOnlyKeys("ETH/USDT-P");
        assertThatThrownBy(() -> ex.marks(List.of("ETH/USDT-P", "BTC/USDT-P")))
                .isInstanceOf(ExchangeException.class)
                .hasMessageContaining("inventory without a markPrice for BTC/USDT-P");
    }

    @Test
    void quotesWithoutAMarkPriceAreAnUnusableReply(WireMockRuntimeInfo wm) {
        stubMarketBasics();
        stubFor(get(urlPathEqualTo("/market/data/prices"))
                .willReturn(okJson("{\"symbol\":\"BTC/USDT-P\",\"markPrice\":null}")));
        HibachiExchange ex = publicExchange(wm, CLOCK);

        assertDown(() -> ex.quotes(List.of("BTC/USDT-P")), "markPrice");
    }

    @Test
    void clockOffsetIsTheVenueMinusOurClockAndCorrectsLaterNonces(WireMockRuntimeInfo wm) {
        stubMarketBasics();
        stubFor(get(urlPathEqualTo("/exchange/utc-timestamp"))
                .willReturn(okJson("{\"timestampMs\":" + (NOW.toEpochMilli() + 2_500) + "}")));
        HibachiExchange ex = publicExchange(wm, CLOCK);

        assertThat(ex.clockOffset()).contains(Duration.ofMillis(2_500));
        assertThat(Long.parseLong(ex.newClientId())).isEqualTo(FIRST_NONCE + 2_500_000);
    }

    @Test
    void clockOffsetIsMeasuredWhenTheContractsAreLoaded(WireMockRuntimeInfo wm) {
        stubMarketBasics();
        stubFor(get(urlPathEqualTo("/exchange/utc-timestamp"))
                .willReturn(okJson("{\"timestampMs\":" + (NOW.toEpochMilli() - 3_000) + "}")));
        HibachiExchange ex = publicExchange(wm, CLOCK);

        ex.markets();

        verify(1, getRequestedFor(urlPathEqualTo("/exchange/utc-timestamp")));
        assertThat(Long.parseLong(ex.newClientId())).isEqualTo(FIRST_NONCE - 3_000_000);
    }

    @Test
    void paperModeReadsMarketDataButRefusesEveryAuthenticatedCall(WireMockRuntimeInfo wm) {
        stubMarketBasics();
        stubFor(get(urlPathEqualTo("/market/data/prices")).willReturn(okJson(fixture("prices-btc.json"))));
        HibachiExchange ex = HibachiExchange.publicOnly(wm.getHttpBaseUrl(), CLOCK);

        assertThat(ex.markets()).containsKey("BTC");
        assertThat(ex.quotes(List.of("BTC/USDT-P"))).containsKey("BTC/USDT-P");
        assertThat(ex.clockOffset()).contains(Duration.ZERO);
        assertThat(ex.newClientId()).isEqualTo(Long.toString(FIRST_NONCE));
        ex.ensureLeverage("BTC/USDT-P", BigDecimal.TEN);

        assertNoKeys(ex::account);
        assertNoKeys(() -> ex.placeMarketOrder(
                new OrderRequest("BTC/USDT-P", OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId())));
        assertNoKeys(() -> ex.lookupOrder("BTC/USDT-P", "1714701600000000"));
        assertNoKeys(() -> ex.fundingBetween("BTC/USDT-P", NOW.minusSeconds(3600), NOW));
        verify(0, anyRequestedFor(urlPathMatching("/trade/.*")));
        assertThat(ex.toString()).contains("public only");
    }

    @Test
    void contractsWithoutWhatSigningNeedsAreIgnored(WireMockRuntimeInfo wm) {
        stubFor(get(urlPathEqualTo("/market/exchange-info"))
                .willReturn(okJson("{\"status\":\"NORMAL\","
                        + "\"futureContracts\":[{\"id\":\"7\",\"symbol\":\"AVAX/USDT-P\",\"underlyingDecimals\":\"8\","
                        + "\"settlementDecimals\":6,\"stepSize\":\"0.00000001\",\"tickSize\":0.001,\"status\":\"LIVE\"},"
                        + "{\"id\":8,\"symbol\":\"LINK/USDT-P\",\"stepSize\":\"0.01\",\"tickSize\":\"0.001\"}]}")));
        stubFor(get(urlPathEqualTo("/exchange/utc-timestamp")).willReturn(okJson(fixture("utc-timestamp.json"))));
        HibachiExchange ex = publicExchange(wm, CLOCK);

        Map<String, MarketRules> markets = ex.markets();

        assertThat(markets).containsOnlyKeys("AVAX");
        assertThat(markets.get("AVAX").minQty()).isZero();
        assertThat(markets.get("AVAX").tickSize()).isEqualByComparingTo("0.001");
    }

    @Test
    void anUnreachableDataHostIsDown() {
        HibachiExchange ex = new HibachiExchange(
                HibachiExchange.tradingClient(),
                "http://127.0.0.1:1",
                "http://127.0.0.1:1",
                CLOCK,
                FakeSleeper.unpaced(),
                Optional.empty());

        assertDown(ex::markets, "not sent");
    }

    private static void assertDown(ThrowableAssert.ThrowingCallable call, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ExchangeException.class, e -> {
            assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    private static void assertNoKeys(ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ExchangeException.class, e -> {
            assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
            assertThat(e.getMessage()).contains("no API keys (paper mode)");
        });
    }
}
