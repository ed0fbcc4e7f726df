package dev.perptrader.exchange.hibachi;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.fixture;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.stubMarketBasics;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.testutil.HeldUntilBothArrive;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After the status read, the two follow-up reads of a fill (order history for the average price,
 * trades for the fee) are in flight together: each reply is held until the other request has
 * arrived, which only happens when they are sent at once.
 */
final class HibachiFillReadsTest {
    private static final String ORDER_ID = "578721673790138368";
    private static final HeldUntilBothArrive HELD =
            new HeldUntilBothArrive("/trade/orders/history", "/trade/account/trades");

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(HELD))
            .configureStaticDsl(true)
            .build();

    @Test
    void theAveragePriceAndTheFeeAreAskedAtOnce() {
        stubMarketBasics();
        stubFor(post(urlPathEqualTo("/trade/order")).willReturn(okJson(fixture("order-placed.json"))));
        stubFor(get(urlPathEqualTo("/trade/order"))
                .withQueryParam("orderId", equalTo(ORDER_ID))
                .willReturn(okJson(fixture("order-filled.json"))));
        stubFor(get(urlPathEqualTo("/trade/orders/history"))
                .willReturn(okJson(fixture("orders-history.json")).withTransformers(HeldUntilBothArrive.NAME)));
        stubFor(get(urlPathEqualTo("/trade/account/trades"))
                .willReturn(okJson(fixture("trades.json")).withTransformers(HeldUntilBothArrive.NAME)));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm.getRuntimeInfo(), FakeSleeper.unpaced());

        Fill fill = ex.placeMarketOrder(
                new OrderRequest("BTC/USDT-P", OrderSide.BUY, new BigDecimal("0.001"), false, ex.newClientId()));

        assertThat(fill.avgPrice()).isEqualByComparingTo("64005.5");
        assertThat(fill.fee()).isEqualByComparingTo("0.028802");
        assertThat(HELD.eachSawTheOther())
                .as("history and trades requested at once")
                .isTrue();
    }
}
