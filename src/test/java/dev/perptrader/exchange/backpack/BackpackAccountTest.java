package dev.perptrader.exchange.backpack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.perptrader.domain.Side;
import dev.perptrader.exchange.AccountState;
import java.math.BigDecimal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Collateral and positions → AccountState; the account-wide leverage limit only ever goes up. */
@WireMockTest
final class BackpackAccountTest {
    private WireMockRuntimeInfo wm;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void stubs(WireMockRuntimeInfo wm) {
        this.wm = wm;
        Kit.stubTime(Kit.NOW_MS);
        stubFor(patch(urlPathEqualTo("/api/v1/account")).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void everySignedRequestVerifies() {
        assertThat(SignedRequests.assertAllVerify(wm.getWireMock().getServeEvents()))
                .isPositive();
    }

    @Test
    void mapsCollateralAndSignedPositions() {
        Kit.stubGet("/api/v1/capital/collateral", "collateral.json");
        Kit.stubGet("/api/v1/position", "positions.json");

        AccountState account = Kit.exchange(wm, sleeper).account();

        assertThat(account.equity()).isEqualByComparingTo("10251.1698");
        assertThat(account.freeCollateral()).isEqualByComparingTo("9830.25");
        assertThat(account.positions()).hasSize(2);
        AccountState.Position sol = account.position("SOL_USDC_PERP").orElseThrow();
        assertThat(sol.side()).isEqualTo(Side.SHORT);
        assertThat(sol.qty()).isEqualByComparingTo("0.01");
        assertThat(sol.entryPrice()).isEqualByComparingTo("126.93");
        assertThat(sol.markPrice()).isEqualByComparingTo("121.98");
        assertThat(sol.unrealizedPnl()).isEqualByComparingTo("0.0048");
        AccountState.Position btc = account.position("BTC_USDC_PERP").orElseThrow();
        assertThat(btc.side()).isEqualTo(Side.LONG);
        assertThat(btc.qty()).isEqualByComparingTo("0.002");
        assertThat(account.position("ETH_USDC_PERP"))
                .as("netQuantity 0 is flat")
                .isEmpty();
        // Σ |netQuantity| × markPrice × mmf = 0.01 × 121.98 × 0.0135 + 0.002 × 104321.5 × 0.0125
        assertThat(account.maintenanceMargin())
                .isEqualByComparingTo(new BigDecimal("0.01")
                        .multiply(new BigDecimal("121.98"))
                        .multiply(new BigDecimal("0.0135"))
                        .add(new BigDecimal("0.002")
                                .multiply(new BigDecimal("104321.5"))
                                .multiply(new BigDecimal("0.0125"))));
        assertThat(account.maintenanceMargin()).isEqualByComparingTo("2.6245048");
    }

    @Test
    void noPositionsIsAFlatAccount() {
        Kit.stubGet("/api/v1/capital/collateral", "collateral_empty.json");
        stubFor(get(urlPathEqualTo("/api/v1/position")).willReturn(okJson("[]")));

        AccountState account = Kit.exchange(wm, sleeper).account();

        assertThat(account.equity()).isEqualByComparingTo("28.49145");
        assertThat(account.positions()).isEmpty();
        assertThat(account.maintenanceMargin()).isEqualByComparingTo("0");
    }

    @Test
    void positionNotFoundMeansFlat() {
        Kit.stubGet("/api/v1/capital/collateral", "collateral_empty.json");
        stubFor(get(urlPathEqualTo("/api/v1/position"))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"RESOURCE_NOT_FOUND\",\"message\":\"Position not found\"}")));

        assertThat(Kit.exchange(wm, sleeper).account().positions()).isEmpty();
    }

    @Test
    void raisesTheLeverageLimitToTheCeilingOfWhatIsNeeded() {
        Kit.stubGet("/api/v1/account", "account.json"); // leverageLimit "2"

        Kit.exchange(wm, sleeper).ensureLeverage("SOL_USDC_PERP", new BigDecimal("3.5"));

        verify(
                1,
                patchRequestedFor(urlPathEqualTo("/api/v1/account"))
                        .withRequestBody(equalToJson("{\"leverageLimit\":\"4\"}"))
                        .withHeader("Content-Type", equalToIgnoreCase("application/json; charset=utf-8")));
    }

    @Test
    void theLeveragePatchCarriesTheDocumentedSignature() {
        stubFor(get(urlPathEqualTo("/api/v1/account")).willReturn(okJson("{\"leverageLimit\":\"1\"}")));

        Kit.exchange(wm, sleeper).ensureLeverage("SOL_USDC_PERP", new BigDecimal("5"));

        var patch = wm.getWireMock()
                .find(patchRequestedFor(urlPathEqualTo("/api/v1/account")))
                .get(0);
        assertThat(patch.getBodyAsString()).isEqualTo("{\"leverageLimit\":\"5\"}");
        assertThat(patch.getHeader("X-Signature"))
                .isEqualTo("ENvrM12YImGIZE2s73WAKS8oH6oGPp+ouLvmYcQmqAuvvUxoN8QK+0dBDiRQtjtpCycAdwwM3YprAzpRgrBNAA==");
    }

    @Test
    void neverLowersTheLeverageLimit() {
        stubFor(get(urlPathEqualTo("/api/v1/account")).willReturn(okJson("{\"leverageLimit\":\"10\"}")));
        BackpackExchange ex = Kit.exchange(wm, sleeper);

        ex.ensureLeverage("SOL_USDC_PERP", new BigDecimal("3"));
        ex.ensureLeverage("BTC_USDC_PERP", new BigDecimal("10"));

        verify(0, patchRequestedFor(urlPathEqualTo("/api/v1/account")));
    }
}
