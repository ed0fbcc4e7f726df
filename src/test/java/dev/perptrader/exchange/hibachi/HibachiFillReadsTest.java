package dev.perptrader.exchange.hibachi;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.OrderRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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

/**
 * After the status read, the two follow-up reads of a fill (order history for the average price,
 * trades for the fee) are in flight together: each reply here is held until the other request
 * has arrived, which only happens when they are sent at once.
 */
final class HibachiFillReadsTest {
    private static final String ORDER_ID = "578721673790138368";

    private static final CountDownLatch HISTORY_ARRIVED = new CountDownLatch(1);
    private static final CountDownLatch TRADES_ARRIVED = new CountDownLatch(1);
    private static final AtomicBoolean HISTORY_SAW_TRADES = new AtomicBoolean();
    private static final AtomicBoolean TRADES_SAW_HISTORY = new AtomicBoolean();

    /** Holds a follow-up read's reply until the other follow-up has arrived (at most 5 s). */
    static final class HeldUntilBothArrive implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            String path = event.getRequest().getUrl();
            try {
                if (path.startsWith("/trade/orders/history")) {
                    HISTORY_ARRIVED.countDown();
                    HISTORY_SAW_TRADES.set(TRADES_ARRIVED.await(5, TimeUnit.SECONDS));
                } else if (path.startsWith("/trade/account/trades")) {
                    TRADES_ARRIVED.countDown();
                    TRADES_SAW_HISTORY.set(HISTORY_ARRIVED.await(5, TimeUnit.SECONDS));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return event.getResponseDefinition();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return "held-until-both-arrive";
        }
    }

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(new HeldUntilBothArrive()))
            .configureStaticDsl(true)
            .build();

    @Test
    void theAveragePriceAndTheFeeAreAskedAtOnce() {
        stubMarketBasics();
        stubFor(post(urlPathEqualTo("/trade/order")).willReturn(okJson(fixture("order-placed.json"))));
        stubFor(get(urlPathEqualTo("/trade/order")).withQueryParam("orderId", equalTo(ORDER_ID))
                .willReturn(okJson(fixture("order-filled.json"))));
        stubFor(get(urlPathEqualTo("/trade/orders/history"))
                .willReturn(okJson(fixture("orders-history.json")).withTransformers("held-until-both-arrive")));
        stubFor(get(urlPathEqualTo("/trade/account/trades"))
                .willReturn(okJson(fixture("trades.json")).withTransformers("held-until-both-arrive")));
        HibachiExchange ex = HibachiTestKit.hmacExchange(wm.getRuntimeInfo(), FakeSleeper.unpaced());

        Fill fill = ex.placeMarketOrder(new OrderRequest("BTC/USDT-P", OrderSide.BUY, new BigDecimal("0.001"), false,
                ex.newClientId()));

        assertThat(fill.avgPrice()).isEqualByComparingTo("64005.5");
        assertThat(fill.fee()).isEqualByComparingTo("0.028802");
        assertThat(HISTORY_SAW_TRADES).as("the trades request arrived while the history reply was held").isTrue();
        assertThat(TRADES_SAW_HISTORY).as("the history request arrived while the trades reply was held").isTrue();
    }
}
