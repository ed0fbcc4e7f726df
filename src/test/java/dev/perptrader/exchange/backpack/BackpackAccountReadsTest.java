package dev.perptrader.exchange.backpack;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.testutil.HeldUntilBothArrive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An account read is Backpack's collateral and positions, which it serves separately: both are in
 * flight together (each reply here is held until the other request has arrived), and every signed
 * request still verifies.
 */
final class BackpackAccountReadsTest {
    private static final HeldUntilBothArrive HELD =
            new HeldUntilBothArrive("/api/v1/capital/collateral", "/api/v1/position");

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(HELD))
            .configureStaticDsl(true)
            .build();

    @Test
    void collateralAndPositionsAreAskedAtOnce() {
        Kit.stubTime(Kit.NOW_MS);
        stubFor(get(urlPathEqualTo("/api/v1/capital/collateral"))
                .willReturn(okJson(Kit.fixture("collateral.json")).withTransformers(HeldUntilBothArrive.NAME)));
        stubFor(get(urlPathEqualTo("/api/v1/position"))
                .willReturn(okJson(Kit.fixture("positions.json")).withTransformers(HeldUntilBothArrive.NAME)));

        AccountState account =
                Kit.exchange(wm.getRuntimeInfo(), new RecordingSleeper()).account();

        assertThat(account.equity()).isEqualByComparingTo("10251.1698");
        assertThat(account.positions()).hasSize(2);
        assertThat(HELD.eachSawTheOther())
                .as("collateral and positions requested at once")
                .isTrue();
        assertThat(SignedRequests.assertAllVerify(
                        wm.getRuntimeInfo().getWireMock().getServeEvents()))
                .isEqualTo(2);
    }
}
