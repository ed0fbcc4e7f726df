package dev.perptrader.exchange.backpack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Funding payments: signed quantities summed over (from, to], newest first, paged by limit/offset. */
@WireMockTest
final class BackpackFundingTest {
    private static final String FUNDING = "/wapi/v1/history/funding";
    private static final String SOL = "SOL_USDC_PERP";

    private WireMockRuntimeInfo wm;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void stubs(WireMockRuntimeInfo wm) {
        this.wm = wm;
        Kit.stubTime(Kit.NOW_MS);
    }

    @AfterEach
    void everySignedRequestVerifies() {
        assertThat(SignedRequests.assertAllVerify(wm.getWireMock().getServeEvents()))
                .isPositive();
    }

    @Test
    void sumsSignedPaymentsWhoseIntervalEndedInTheWindow() {
        stubFor(get(urlPathEqualTo(FUNDING)).willReturn(okJson(Kit.fixture("funding.json"))));

        BigDecimal net =
                Kit.exchange(wm, sleeper).fundingBetween(SOL, utc("2025-06-24T17:00:00"), utc("2025-06-24T19:30:00"));

        // (17:00, 19:30]: 19:00 paid 0.000034, 18:00 received 0.0001; 17:00 itself and 20:00 are outside
        assertThat(net).isEqualByComparingTo("0.000066");
        verify(
                1,
                getRequestedFor(urlPathEqualTo(FUNDING))
                        .withQueryParam("symbol", equalTo(SOL))
                        .withQueryParam("limit", equalTo("1000"))
                        .withQueryParam("sortDirection", equalTo("Desc"))
                        .withQueryParam("offset", absent()));
    }

    @Test
    void nothingInTheWindowIsZero() {
        stubFor(get(urlPathEqualTo(FUNDING)).willReturn(okJson("[]")));

        assertThat(Kit.exchange(wm, sleeper)
                        .fundingBetween(SOL, utc("2025-06-24T17:00:00"), utc("2025-06-24T19:30:00")))
                .isEqualByComparingTo("0");
    }

    @Test
    void notFoundIsNoFunding() {
        stubFor(get(urlPathEqualTo(FUNDING))
                .willReturn(aResponse()
                        .withStatus(404)
                        .withBody("{\"code\":\"RESOURCE_NOT_FOUND\",\"message\":\"Not Found\"}")));

        assertThat(Kit.exchange(wm, sleeper).fundingBetween(SOL, Instant.EPOCH, utc("2025-06-24T19:30:00")))
                .isEqualByComparingTo("0");
    }

    @Test
    void pagesWithOffsetUntilAShortPage() {
        // page 1: 1000 hourly payments of +0.001 ending 2025-06-24T19:00 going back; page 2: two more
        stubFor(get(urlPathEqualTo(FUNDING))
                .withQueryParam("offset", absent())
                .willReturn(okJson(hourly(LocalDateTime.parse("2025-06-24T19:00:00"), 1000, "0.001"))));
        stubFor(get(urlPathEqualTo(FUNDING))
                .withQueryParam("offset", equalTo("1000"))
                .willReturn(
                        okJson(hourly(LocalDateTime.parse("2025-06-24T19:00:00").minusHours(1000), 2, "-0.25"))));

        BigDecimal net = Kit.exchange(wm, sleeper).fundingBetween(SOL, Instant.EPOCH, utc("2025-06-24T19:30:00"));

        assertThat(net).isEqualByComparingTo("0.5"); // 1000 × 0.001 − 2 × 0.25
        verify(2, getRequestedFor(urlPathEqualTo(FUNDING)));
    }

    @Test
    void stopsPagingOnceThePaymentsReachBackToTheStartOfTheWindow() {
        stubFor(get(urlPathEqualTo(FUNDING))
                .withQueryParam("offset", absent())
                .willReturn(okJson(hourly(LocalDateTime.parse("2025-06-24T19:00:00"), 1000, "0.001"))));

        BigDecimal net =
                Kit.exchange(wm, sleeper).fundingBetween(SOL, utc("2025-06-24T09:00:00"), utc("2025-06-24T19:00:00"));

        assertThat(net).isEqualByComparingTo("0.010"); // 10:00 … 19:00
        verify(1, getRequestedFor(urlPathEqualTo(FUNDING)));
    }

    private static String hourly(LocalDateTime newest, int count, String quantity) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append("{\"userId\":1905955,\"subaccountId\":0,\"symbol\":\"SOL_USDC_PERP\",\"quantity\":\"")
                    .append(quantity)
                    .append("\",\"fundingRate\":\"0.0000125\",\"intervalEndTimestamp\":\"")
                    .append(newest.minusHours(i))
                    .append("\"}");
        }
        return s.append(']').toString();
    }

    private static Instant utc(String naive) {
        return LocalDateTime.parse(naive).toInstant(ZoneOffset.UTC);
    }
}
