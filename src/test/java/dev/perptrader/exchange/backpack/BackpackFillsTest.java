package dev.perptrader.exchange.backpack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.KeyProof;
import dev.perptrader.exchange.OrderRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The venue's own fill history ({@code fillsSince}), fees in USD whatever asset they were charged
 * in, and the key proof; every stubbed reply is the documented shape and every signed request is
 * verified with the public key.
 */
@WireMockTest
final class BackpackFillsTest {
    private static final String ETH = "ETH_USDC_PERP";
    private static final String SOL = "SOL_USDC_PERP";
    private static final String FILLS = "/wapi/v1/history/fills";
    private static final String COLLATERAL = "/api/v1/capital/collateral";
    private static final Instant SINCE = Instant.ofEpochMilli(Kit.NOW_MS);

    private WireMockRuntimeInfo wm;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void stubs(WireMockRuntimeInfo wm) {
        this.wm = wm;
        Kit.stubTime(Kit.NOW_MS);
    }

    @AfterEach
    void everySignedRequestVerifies() {
        SignedRequests.assertAllVerify(wm.getWireMock().getServeEvents());
    }

    @Test
    void fillsSinceIsEveryFillOfTheSymbolOldestFirstWithTheVenuesOwnMarkedAsLiquidation() {
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("fillType", absent())
                .willReturn(okJson(Kit.fixture("fills_since.json"))));
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("fillType", equalTo("AllLiquidation"))
                .willReturn(okJson(Kit.fixture("fills_since_liquidations.json"))));

        List<VenueFill> fills = Kit.exchange(wm, sleeper).fillsSince(ETH, SINCE).orElseThrow();

        assertThat(fills)
                .extracting(VenueFill::venueOrderId)
                .containsExactly("71234500001", "71234500001", "71234500002", "71234500003", "71234500004");
        VenueFill first = fills.get(0);
        assertThat(first.clientId()).as("a fill's clientId is a string").isEqualTo("305419896");
        assertThat(first.symbol()).isEqualTo(ETH);
        assertThat(first.side()).isEqualTo(OrderSide.BUY);
        assertThat(first.qty()).isEqualByComparingTo("0.2");
        assertThat(first.price()).isEqualByComparingTo("2500.5");
        assertThat(first.feeUsd()).isEqualByComparingTo("0.20004");
        assertThat(first.at()).isEqualTo(Instant.parse("2025-06-24T19:23:41.530Z"));
        assertThat(first.liquidation()).isFalse();
        assertThat(fills.get(1).feeUsd()).as("0.000001 ETH at the fill's 2501").isEqualByComparingTo("0.002501");
        assertThat(fills.get(2).feeUsd()).as("USDT counts as USD").isEqualByComparingTo("0.04998");
        assertThat(fills.get(2).clientId()).as("not the bot's order").isNull();
        assertThat(fills.get(2).side()).isEqualTo(OrderSide.SELL);
        assertThat(fills.get(3).liquidation())
                .as("systemOrderType LiquidatePositionOnBook")
                .isTrue();
        assertThat(fills.get(3).at()).isEqualTo(Instant.parse("2025-06-25T03:14:15.926Z"));
        assertThat(fills.get(4).liquidation())
                .as("returned for fillType=AllLiquidation")
                .isTrue();
        assertThat(fills)
                .filteredOn(f -> f.venueOrderId().equals("71234500003"))
                .as("found by both queries, kept once")
                .hasSize(1);

        List<LoggedRequest> queries = wm.getWireMock().find(getRequestedFor(urlPathEqualTo(FILLS)));
        assertThat(queries).hasSize(2).allSatisfy(r -> {
            assertThat(r.queryParameter("symbol").firstValue()).isEqualTo(ETH);
            assertThat(r.queryParameter("from").firstValue()).isEqualTo(Long.toString(Kit.NOW_MS));
            assertThat(r.queryParameter("sortDirection").firstValue()).isEqualTo("Asc");
            assertThat(r.queryParameter("limit").firstValue()).isEqualTo("1000");
            assertThat(r.queryParameter("offset").isPresent()).as("first page").isFalse();
            assertThat(r.queryParameter("orderId").isPresent()).isFalse();
        });
    }

    @Test
    void fillsSinceReadsEveryPageUntilAShortOne() {
        stubFor(get(urlPathEqualTo(FILLS)).withQueryParam("offset", absent()).willReturn(okJson(fills(1000, 0))));
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("fillType", absent())
                .withQueryParam("offset", equalTo("1000"))
                .willReturn(okJson(fills(3, 1000))));
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("fillType", equalTo("AllLiquidation"))
                .willReturn(okJson("[]")));

        List<VenueFill> fills = Kit.exchange(wm, sleeper).fillsSince(ETH, SINCE).orElseThrow();

        assertThat(fills).hasSize(1003);
        assertThat(fills.get(1002).venueOrderId()).isEqualTo("o1002");
        verify(3, getRequestedFor(urlPathEqualTo(FILLS)));
    }

    @Test
    void aHistoryLongerThanTheBoundIsVenueDownNotAPartAnsweredAsTheWhole() {
        stubFor(get(urlPathEqualTo(FILLS)).willReturn(okJson(fills(1000, 0))));

        ExchangeException e = Kit.failure(() -> Kit.exchange(wm, sleeper).fillsSince(ETH, SINCE));

        assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(e.getMessage()).contains("more than 5000 fills");
        verify(BackpackExchange.FILLS_SINCE_MAX_PAGES, getRequestedFor(urlPathEqualTo(FILLS)));
    }

    @Test
    void aFeeInAnAssetThatIsNeitherUsdNorTheBaseFailsTheHistoryLoudly() {
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("fillType", absent())
                .willReturn(okJson(Kit.fixture("fills_fee_other_asset.json"))));
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("fillType", equalTo("AllLiquidation"))
                .willReturn(okJson("[]")));

        ExchangeException e = Kit.failure(() -> Kit.exchange(wm, sleeper).fillsSince(SOL, SINCE));

        assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(e.getMessage())
                .contains("fill 4012346")
                .contains("in BNB")
                .contains("neither USD (USDC, USDT) nor the base asset SOL");
    }

    @Test
    void anOrdersFeesChargedInTheBaseAssetAreValuedAtTheirFillPrice() {
        stubFor(post(urlPathEqualTo("/api/v1/order")).willReturn(okJson(Kit.fixture("order_filled.json"))));
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("orderId", equalTo("59669287267"))
                .willReturn(okJson(Kit.fixture("fills_fee_base_asset.json"))));

        Fill fill = Kit.exchange(wm, sleeper)
                .placeMarketOrder(new OrderRequest(SOL, OrderSide.SELL, new BigDecimal("0.5"), true, "12345"));

        // 0.0120744 USDC + 0.00008 SOL × 100.585
        assertThat(fill.fee()).isEqualByComparingTo("0.0201212");
    }

    @Test
    void anOrderWhoseFeeCannotBeValuedKeepsItsFillAndRecordsTheFeeAsZero() {
        stubFor(post(urlPathEqualTo("/api/v1/order")).willReturn(okJson(Kit.fixture("order_filled.json"))));
        stubFor(get(urlPathEqualTo(FILLS))
                .withQueryParam("orderId", equalTo("59669287267"))
                .willReturn(okJson(Kit.fixture("fills_fee_other_asset.json"))));

        Fill fill = Kit.exchange(wm, sleeper)
                .placeMarketOrder(new OrderRequest(SOL, OrderSide.SELL, new BigDecimal("0.5"), true, "12345"));

        assertThat(fill.filledQty()).isEqualByComparingTo("0.5");
        assertThat(fill.avgPrice()).isEqualByComparingTo("100.606");
        assertThat(fill.fee()).isZero();
    }

    @Test
    void aSignedReadThatAnswersProvesTheKey() {
        stubFor(get(urlPathEqualTo(COLLATERAL)).willReturn(okJson(Kit.fixture("collateral_empty.json"))));

        KeyProof proof = Kit.exchange(wm, sleeper).proveKeys();

        assertThat(proof.verdict()).isEqualTo(KeyProof.Verdict.PROVEN);
        verify(1, getRequestedFor(urlPathEqualTo(COLLATERAL)));
        assertThat(SignedRequests.assertAllVerify(wm.getWireMock().getServeEvents()))
                .isEqualTo(1);
    }

    @Test
    void aRefusedSignatureMeansTheKeyIsWrong() {
        stubFor(get(urlPathEqualTo(COLLATERAL))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"code\":\"INVALID_CLIENT_REQUEST\",\"message\":\"Invalid signature\"}")));

        KeyProof proof = Kit.exchange(wm, sleeper).proveKeys();

        assertThat(proof.verdict()).isEqualTo(KeyProof.Verdict.WRONG);
        assertThat(proof.detail())
                .contains("Invalid signature")
                .doesNotContain(Kit.SEED)
                .doesNotContain(Kit.PUBLIC_KEY);
    }

    @Test
    void anUnreachableOrUnwellVenueProvesNothing() {
        stubFor(get(urlPathEqualTo(COLLATERAL))
                .willReturn(aResponse()
                        .withStatus(503)
                        .withBody("{\"code\":\"MAINTENANCE\",\"message\":\"System under maintenance\"}")));

        KeyProof down = Kit.exchange(wm, sleeper).proveKeys();

        assertThat(down.verdict()).isEqualTo(KeyProof.Verdict.CANNOT_PROVE);
        assertThat(down.detail()).contains("HTTP 503 MAINTENANCE");
        assertThat(Kit.paper(wm, sleeper).proveKeys().verdict()).as("no keys").isEqualTo(KeyProof.Verdict.CANNOT_PROVE);
        assertThat(Kit.paper(wm, sleeper).proveKeys().detail()).contains("no API keys");
    }

    @Test
    void aRefusedTimestampProvesNothingAboutTheKey() {
        stubFor(get(urlPathEqualTo(COLLATERAL))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"code\":\"INVALID_CLIENT_REQUEST\",\"message\":\"Request has expired\"}")));

        KeyProof proof = Kit.exchange(wm, sleeper).proveKeys();

        assertThat(proof.verdict()).isEqualTo(KeyProof.Verdict.CANNOT_PROVE);
        assertThat(proof.detail()).contains("Request has expired");
    }

    @Test
    void aVenueWithoutAFillHistoryIsNotThisOne() {
        stubFor(get(urlPathEqualTo(FILLS)).willReturn(okJson("[]")));

        Optional<List<VenueFill>> none = Kit.exchange(wm, sleeper).fillsSince(ETH, SINCE);

        assertThat(none).as("an empty history is an answer, not 'no history'").contains(List.of());
    }

    /** {@code n} documented fill items on ETH, ids from {@code first}, one millisecond apart. */
    private static String fills(int n, int first) {
        return IntStream.range(first, first + n)
                .mapToObj(i -> "{\"tradeId\":" + (1_000_000 + i)
                        + ",\"orderId\":\"o" + i + "\",\"clientId\":null,\"symbol\":\"ETH_USDC_PERP\",\"side\":\"Bid\","
                        + "\"price\":\"2500\",\"quantity\":\"0.01\",\"fee\":\"0.01\",\"feeSymbol\":\"USDC\","
                        + "\"isMaker\":false,\"systemOrderType\":null,\"timestamp\":\""
                        + Instant.ofEpochMilli(Kit.NOW_MS + i).toString().replace("Z", "") + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }
}
