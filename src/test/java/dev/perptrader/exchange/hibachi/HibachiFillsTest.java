package dev.perptrader.exchange.hibachi;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.API_KEY;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.NOW;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.fixture;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.stubMarketBasics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The venue's trade history as fills: {@code /trade/account/trades}, its 100 most recent trades. */
@WireMockTest
final class HibachiFillsTest {
    private static final String TRADES = "/trade/account/trades";
    private static final String BTC = "BTC/USDT-P";

    @BeforeEach
    void venue() {
        stubMarketBasics();
    }

    @Test
    void fillsSinceAreTheSymbolsTradesFromThatSecondOnOldestFirstByTheOrderOnOurSide(WireMockRuntimeInfo wm) {
        stubFor(get(urlPathEqualTo(TRADES))
                .withQueryParam("accountId", equalTo("1234"))
                .willReturn(okJson(fixture("trades-history.json"))));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, FakeSleeper.unpaced());

        List<VenueFill> fills = ex.fillsSince(BTC, NOW.plusMillis(400)).orElseThrow();

        assertThat(fills)
                .extracting(VenueFill::venueOrderId)
                .as("Sell → askOrderId, Buy → bidOrderId, else orderId; a trade in the second of 'since' counts")
                .containsExactly("578721673790140001", "578721673790140002", "578721673790140003");
        VenueFill sell = fills.get(0);
        assertThat(sell.side()).isEqualTo(OrderSide.SELL);
        assertThat(sell.symbol()).isEqualTo(BTC);
        assertThat(sell.qty()).isEqualByComparingTo("0.002");
        assertThat(sell.price()).isEqualByComparingTo("64010.5");
        assertThat(sell.feeUsd()).as("USDT").isEqualByComparingTo("0.057609");
        assertThat(sell.at()).isEqualTo(NOW);
        assertThat(fills).allSatisfy(f -> {
            assertThat(f.liquidation())
                    .as("Hibachi publishes no liquidation history")
                    .isFalse();
            assertThat(f.clientId()).as("matched by venue order id").isNull();
        });
        assertThat(fills.get(2).at()).isEqualTo(NOW.plusSeconds(5));
        verify(getRequestedFor(urlPathEqualTo(TRADES)).withHeader("Authorization", equalTo(API_KEY)));
    }

    @Test
    void oneHundredTradesAllInsideTheWindowMayHideOlderOnesAndAreNotPassedOffAsTheWhole(WireMockRuntimeInfo wm) {
        stubFor(get(urlPathEqualTo(TRADES)).willReturn(okJson(trades(100, NOW.getEpochSecond()))));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, FakeSleeper.unpaced());

        ExchangeException e = catchThrowableOfType(() -> ex.fillsSince(BTC, NOW), ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(e.getMessage()).contains("only the latest 100");
    }

    @Test
    void oneHundredTradesReachingBackPastTheWindowAreTheWholeWindow(WireMockRuntimeInfo wm) {
        stubFor(get(urlPathEqualTo(TRADES)).willReturn(okJson(trades(100, NOW.getEpochSecond() - 50))));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm, FakeSleeper.unpaced());

        List<VenueFill> fills = ex.fillsSince(BTC, NOW).orElseThrow();

        assertThat(fills).hasSize(50);
        assertThat(fills.get(0).at()).isEqualTo(NOW);
        assertThat(fills.get(49).at()).isEqualTo(NOW.plusSeconds(49));
    }

    @Test
    void paperModeHasNoAccountToReadTradesOf() {
        HibachiExchange paper = HibachiExchange.publicOnly("http://127.0.0.1:1", HibachiTestKit.CLOCK);

        ExchangeException e = catchThrowableOfType(() -> paper.fillsSince(BTC, Instant.EPOCH), ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
        assertThat(e.getMessage()).contains("no API keys");
    }

    /** {@code n} BTC buys, newest first, one per second from {@code firstSecond}. */
    private static String trades(int n, long firstSecond) {
        return IntStream.range(0, n)
                .map(i -> n - 1 - i)
                .mapToObj(i -> "{\"id\":" + (300000000 + i)
                        + ",\"symbol\":\"BTC/USDT-P\",\"side\":\"Buy\",\"orderType\":\"MARKET\",\"price\":\"64000.0\","
                        + "\"quantity\":\"0.0001000000\",\"fee\":\"0.002880\",\"realizedPnl\":\"0.000000\","
                        + "\"timestamp\":" + (firstSecond + i) + ",\"bidOrderId\":" + (578721673790200000L + i)
                        + ",\"askOrderId\":null}")
                .collect(Collectors.joining(",", "{\"trades\":[", "]}"));
    }
}
