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
import static dev.perptrader.exchange.hibachi.HibachiTestKit.API_KEY;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.NOW;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.fixture;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.stubMarketBasics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.perptrader.domain.Side;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The account, funding and leverage checks. */
@WireMockTest
final class HibachiAccountTest {
    private HibachiExchange ex;

    @BeforeEach
    void stubVenue(WireMockRuntimeInfo wm) {
        stubMarketBasics();
        ex = HibachiTestKit.hmacExchange(wm, FakeSleeper.unpaced());
    }

    @Test
    void accountMapsBalanceFreeCollateralPositionsAndMaintenanceMargin() {
        stubFor(get(urlPathEqualTo("/trade/account/info"))
                .withQueryParam("accountId", equalTo("1234"))
                .willReturn(okJson(fixture("account-info.json"))));

        AccountState account = ex.account();

        assertThat(account.equity()).isEqualByComparingTo("1099.990151");
        assertThat(account.freeCollateral()).isEqualByComparingTo("897.958610");
        // BTC: 640.0025 × 0.046667; SOL (older field name maintenanceFactorForPositions): 33.859014 × 0.05
        BigDecimal expected = new BigDecimal("640.0025")
                .multiply(new BigDecimal("0.046667"))
                .add(new BigDecimal("33.859014").multiply(new BigDecimal("0.05")));
        assertThat(account.maintenanceMargin()).isEqualByComparingTo(expected);
        assertThat(account.positions()).hasSize(2);

        AccountState.Position btc = account.position("BTC/USDT-P").orElseThrow();
        assertThat(btc.side()).isEqualTo(Side.SHORT);
        assertThat(btc.qty()).isEqualByComparingTo("0.01");
        assertThat(btc.entryPrice()).isEqualByComparingTo("64000");
        assertThat(btc.markPrice()).isEqualByComparingTo("64000.25");
        assertThat(btc.unrealizedPnl()).isEqualByComparingTo("-0.0025");

        AccountState.Position sol = account.position("SOL/USDT-P").orElseThrow();
        assertThat(sol.side()).isEqualTo(Side.LONG);
        assertThat(sol.qty()).isEqualByComparingTo("0.2");
        assertThat(sol.entryPrice()).isEqualByComparingTo("169.042665"); // entryNotional / quantity
        assertThat(sol.markPrice()).isEqualByComparingTo("169.29507"); // notionalValue / quantity
        assertThat(sol.unrealizedPnl()).isEqualByComparingTo("0.050481");

        verify(getRequestedFor(urlPathEqualTo("/trade/account/info")).withHeader("Authorization", equalTo(API_KEY)));
    }

    @Test
    void accountAcceptsNumbersWhereStringsAreUsualAndComputesAMissingPnl() {
        stubFor(get(urlPathEqualTo("/trade/account/info"))
                .willReturn(okJson("{\"balance\":500.25,"
                        + "\"maximalWithdraw\":\"400\",\"positions\":[{\"direction\":\"Long\",\"quantity\":0.5,"
                        + "\"openPrice\":3000,\"markPrice\":\"3010.5\",\"symbol\":\"ETH/USDT-P\"},"
                        + "{\"direction\":\"Short\",\"quantity\":\"0\",\"symbol\":\"BTC/USDT-P\"}]}")));

        AccountState account = ex.account();

        assertThat(account.equity()).isEqualByComparingTo("500.25");
        assertThat(account.positions()).hasSize(1);
        AccountState.Position eth = account.positions().get(0);
        assertThat(eth.unrealizedPnl()).isEqualByComparingTo("5.25");
        assertThat(account.maintenanceMargin())
                .isEqualByComparingTo(
                        new BigDecimal("0.5").multiply(new BigDecimal("3010.5")).multiply(new BigDecimal("0.046667")));
    }

    @Test
    void aPositionWithoutAKnownDirectionIsAnUnusableReply() {
        stubFor(get(urlPathEqualTo("/trade/account/info"))
                .willReturn(okJson("{\"balance\":\"1\","
                        + "\"maximalWithdraw\":\"1\",\"positions\":[{\"direction\":\"Flat\",\"quantity\":\"1\","
                        + "\"openPrice\":\"1\",\"markPrice\":\"1\",\"symbol\":\"ETH/USDT-P\"}]}")));

        assertThatThrownBy(ex::account)
                .isInstanceOfSatisfying(
                        ExchangeException.class, e -> assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN));
    }

    @Test
    void fundingSumsTheSettlementsOfTheSymbolInsideTheWindow() {
        stubFor(get(urlPathEqualTo("/trade/account/settlements_history"))
                .withQueryParam("accountId", equalTo("1234"))
                .withQueryParam("contractId", equalTo("2"))
                .willReturn(okJson(fixture("settlements.json"))));

        BigDecimal funding = ex.fundingBetween("BTC/USDT-P", NOW, Instant.ofEpochSecond(1714752000));

        // +0.083200 received, then −0.021688691085131433 paid; the ETH payment and the one after `to` are out
        assertThat(funding).isEqualByComparingTo("0.061511308914868567");
        assertThat(ex.fundingBetween(
                        "BTC/USDT-P", Instant.ofEpochSecond(1714723200), Instant.ofEpochSecond(1714752000)))
                .isEqualByComparingTo("-0.021688691085131433");
        assertThat(ex.fundingBetween("BTC/USDT-P", NOW.minusSeconds(86_400), NOW))
                .isZero();
        verify(getRequestedFor(urlPathEqualTo("/trade/account/settlements_history"))
                .withHeader("Authorization", equalTo(API_KEY)));
    }

    @Test
    void fundingOfAnUnknownSymbolIsRejected() {
        assertThatThrownBy(() -> ex.fundingBetween("XRP/USDT-P", NOW, NOW.plusSeconds(1)))
                .isInstanceOfSatisfying(
                        ExchangeException.class, e -> assertThat(e.error()).isEqualTo(ExchangeError.REJECTED));
    }

    @Test
    void leverageWithinTheInitialMarginRateIsAcceptedWithoutAnyCall() {
        ex.ensureLeverage("BTC/USDT-P", new BigDecimal("10"));
        ex.ensureLeverage("BTC/USDT-P", new BigDecimal("14.99"));
        ex.ensureLeverage("SOL/USDT-P", new BigDecimal("10")); // riskFactorForOrders 0.1

        verify(0, anyRequestedFor(urlPathMatching("/trade/.*")));
    }

    @Test
    void leverageAboveWhatTheInitialMarginRateAllowsIsRejectedNamingTheMaximum() {
        assertThatThrownBy(() -> ex.ensureLeverage("BTC/USDT-P", new BigDecimal("15")))
                .isInstanceOfSatisfying(ExchangeException.class, e -> {
                    assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
                    assertThat(e.getMessage()).contains("maximum 14.99").contains("BTC/USDT-P");
                });
        assertThatThrownBy(() -> ex.ensureLeverage("SOL/USDT-P", new BigDecimal("10.5")))
                .hasMessageContaining("maximum 10.00");
        assertThatThrownBy(() -> ex.ensureLeverage("XRP/USDT-P", BigDecimal.ONE))
                .isInstanceOfSatisfying(
                        ExchangeException.class, e -> assertThat(e.getMessage()).contains("unknown symbol"));
        verify(0, anyRequestedFor(urlPathMatching("/trade/.*")));
    }
}
