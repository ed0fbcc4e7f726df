package dev.perptrader.exchange.hyperliquid;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.config.Secret;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.Venue;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.KeyProof;
import dev.perptrader.exchange.LimitOrderRequest;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.Sleeper;
import dev.perptrader.exchange.TopOfBook;
import dev.perptrader.testutil.StubServer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Hyperliquid client against a stub whose every {@code /exchange} reply depends on the signer
 * it recovers from the signature ({@link SignerCheck}): markets, account, IOC orders filled or
 * unmatched, reduce-only closes, lookup by cloid after a lost reply, leverage, fills, funding,
 * errors, key proof, and the network in every signature.
 */
final class HyperliquidExchangeTest {
    /** The account traded (its own key signs in some tests). */
    static final String ACCOUNT_KEY = "0x0123456789012345678901234567890123456789012345678901234567890123";

    static final String ACCOUNT = HyperliquidSigner.ofPrivateKey(ACCOUNT_KEY).address();
    /** An API wallet approved for the account. */
    static final String AGENT_KEY = "0xe908f86dbb4d55ac876378565aafeabc187f6690f046459397b17d9b9a19688e";

    static final String AGENT = HyperliquidSigner.ofPrivateKey(AGENT_KEY).address();
    /** A key the venue never heard of. */
    static final String STRANGER_KEY = "0x1111111111111111111111111111111111111111111111111111111111111111";

    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String META = """
            [{"universe":[{"name":"BTC","szDecimals":5,"maxLeverage":50},
                          {"name":"ETH","szDecimals":4,"maxLeverage":50},
                          {"name":"SOL","szDecimals":2,"maxLeverage":20},
                          {"name":"OLD","szDecimals":1,"maxLeverage":3,"isDelisted":true}]},
             [{"funding":"0.0000125","markPx":"60012.0","midPx":"60011.5","openInterest":"1200.5","oraclePx":"60010.0"},
              {"funding":"-0.00000625","markPx":"3001.25","midPx":null,"openInterest":"20000","oraclePx":"3001.0"},
              {"funding":"0.00002","markPx":"150.123","midPx":"150.12","openInterest":"500000","oraclePx":"150.1"},
              {"funding":"0.0","markPx":"0.0","midPx":null,"openInterest":"0","oraclePx":"0.0"}]]""";

    static final String STATE = """
            {"assetPositions":[{"type":"oneWay","position":{"coin":"BTC","szi":"-0.01","entryPx":"60100.0",
               "leverage":{"type":"cross","value":3},"liquidationPx":"79000.0","marginUsed":"200.04",
               "positionValue":"600.12","returnOnEquity":"0.0146","unrealizedPnl":"0.88","maxLeverage":50}}],
             "marginSummary":{"accountValue":"1182.31","totalMarginUsed":"200.04","totalNtlPos":"600.12","totalRawUsd":"1782.4"},
             "crossMarginSummary":{"accountValue":"1182.31","totalMarginUsed":"200.04","totalNtlPos":"600.12","totalRawUsd":"1782.4"},
             "crossMaintenanceMarginUsed":"6.0012","withdrawable":"982.27","time":1777636800250}""";

    private static final BigDecimal QTY = new BigDecimal("0.01");

    private static final SignerCheck CHECK = new SignerCheck();

    @RegisterExtension
    static WireMockExtension wm = StubServer.on(CHECK);

    private final List<Duration> waits = new ArrayList<>();
    private final Sleeper sleeper = waits::add;
    private SignerCheck check;

    @BeforeEach
    void venue() {
        check = CHECK;
        check.reset();
        check.network(HyperliquidNetwork.MAINNET);
        check.refuseReusedNonces();
        check.knows(ACCOUNT, ACCOUNT);
        check.knows(AGENT, ACCOUNT);
        info("metaAndAssetCtxs", META);
        info("clearinghouseState", STATE);
    }

    static HyperliquidExchange client(String key, HyperliquidNetwork network) {
        HyperliquidExchange.Settings settings =
                HyperliquidExchange.Settings.DEFAULT.withHttp(HyperliquidTestAccess.TEST_HTTP);
        return new HyperliquidExchange(
                Venue.parse("hyperliquid"),
                settings.http().newClient(),
                wm.baseUrl(),
                network,
                key == null ? Optional.empty() : Optional.of(HyperliquidCredentials.of(ACCOUNT, Secret.of(key))),
                CLOCK,
                duration -> {},
                settings);
    }

    private HyperliquidExchange agent() {
        return client(AGENT_KEY, HyperliquidNetwork.MAINNET);
    }

    static void info(String type, String body) {
        wm.stubFor(post(urlPathEqualTo("/info"))
                .withRequestBody(matchingJsonPath("$.type", equalTo(type)))
                .willReturn(okJson(body)));
    }

    static void action(String type, String body) {
        wm.stubFor(post(urlPathEqualTo("/exchange"))
                .withRequestBody(matchingJsonPath("$.action.type", equalTo(type)))
                .willReturn(okJson(body).withTransformers(SignerCheck.NAME)));
    }

    private static JsonNode lastBody(String path) {
        List<LoggedRequest> all = wm.findAll(postRequestedFor(urlPathEqualTo(path)));
        try {
            return JSON.readTree(all.get(all.size() - 1).getBodyAsString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String filled(String totalSz, String avgPx, long oid) {
        return "{\"status\":\"ok\",\"response\":{\"type\":\"order\",\"data\":{\"statuses\":[{\"filled\":{\"totalSz\":\""
                + totalSz + "\",\"avgPx\":\"" + avgPx + "\",\"oid\":" + oid + "}}]}}}";
    }

    private static String orderError(String message) {
        return "{\"status\":\"ok\",\"response\":{\"type\":\"order\",\"data\":{\"statuses\":[{\"error\":\"" + message
                + "\"}]}}}";
    }

    private static String fills(long oid, String... pxSzFee) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < pxSzFee.length; i += 3) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"closedPnl\":\"0.0\",\"coin\":\"BTC\",\"crossed\":true,\"dir\":\"Open Long\",\"fee\":\"")
                    .append(pxSzFee[i + 2])
                    .append("\",\"feeToken\":\"USDC\",\"hash\":\"0xab\",\"oid\":")
                    .append(oid)
                    .append(",\"px\":\"")
                    .append(pxSzFee[i])
                    .append("\",\"side\":\"B\",\"startPosition\":\"0.0\",\"sz\":\"")
                    .append(pxSzFee[i + 1])
                    .append("\",\"time\":1777636800100,\"tid\":")
                    .append(i)
                    .append('}');
        }
        return b.append(']').toString();
    }

    // ---------------------------------------------------------------- reads

    @Test
    void marketsCarryTheTickTheMarkAllowsAndQuotesTheHourlyFunding() {
        PerpExchange ex = client(null, HyperliquidNetwork.MAINNET);

        Map<String, MarketRules> markets = ex.markets();
        assertThat(markets).containsOnlyKeys("BTC", "ETH", "SOL");
        assertThat(markets.get("BTC").tickSize()).isEqualByComparingTo("1");
        assertThat(markets.get("BTC").stepSize()).isEqualByComparingTo("0.00001");
        assertThat(markets.get("ETH").tickSize()).isEqualByComparingTo("0.1");
        assertThat(markets.get("SOL").tickSize()).isEqualByComparingTo("0.01");
        assertThat(markets.get("SOL").minNotional()).isEqualByComparingTo("10");
        assertThat(ex.quotes(List.of("BTC", "ETH", "NOPE")))
                .containsOnlyKeys("BTC", "ETH")
                .satisfies(q -> {
                    assertThat(q.get("BTC").markPrice()).isEqualByComparingTo("60012.0");
                    assertThat(q.get("ETH").fundingRate()).isEqualByComparingTo("-0.00000625");
                });
        assertThat(ex.fundingInterval("BTC")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theAccountIsReadForTheAccountAddressNeverTheAgentsAndMeasuresTheClock() {
        HyperliquidExchange ex = agent();

        AccountState a = ex.account();

        assertThat(lastBody("/info").path("user").asText()).isEqualTo(ACCOUNT);
        assertThat(a.equity()).isEqualByComparingTo("1182.31");
        assertThat(a.freeCollateral()).isEqualByComparingTo("982.27");
        assertThat(a.maintenanceMargin()).isEqualByComparingTo("6.0012");
        assertThat(a.positions()).singleElement().satisfies(p -> {
            assertThat(p.symbol()).isEqualTo("BTC");
            assertThat(p.side()).isEqualTo(Side.SHORT);
            assertThat(p.qty()).isEqualByComparingTo("0.01");
            assertThat(p.entryPrice()).isEqualByComparingTo("60100.0");
        });
        assertThat(ex.clockOffset()).contains(Duration.ofMillis(250));
    }

    @Test
    void aPublicClientReadsMarketsButRefusesAccountCalls() {
        HyperliquidExchange ex = client(null, HyperliquidNetwork.MAINNET);
        assertThat(ex.markets()).containsKey("BTC");
        ExchangeException e = catchThrowableOfType(ex::account, ExchangeException.class);
        assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
        assertThat(e.getMessage()).contains("paper mode");
        assertThat(ex.proveKeys().verdict()).isEqualTo(KeyProof.Verdict.CANNOT_PROVE);
    }

    @Test
    void thePublicOnlyFactoryReadsPublicDataAndNeverSigns() {
        HyperliquidExchange ex = HyperliquidExchange.publicOnly(Venue.parse("hyperliquid"), wm.baseUrl(), CLOCK);

        assertThat(ex.venue()).isEqualTo(Venue.parse("hyperliquid"));
        assertThat(ex.quotes(List.of("SOL"))).containsOnlyKeys("SOL");
        ExchangeException e = catchThrowableOfType(
                () -> ex.placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-paper")),
                ExchangeException.class);
        assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
        assertThat(e.getMessage()).contains("no private key");
        assertThat(ex.describeKeys()).contains("public data only");
        wm.verify(0, postRequestedFor(urlPathEqualTo("/exchange")));
        assertThat(ex.network()).isEqualTo(HyperliquidNetwork.MAINNET);
        assertThat(HyperliquidExchange.publicOnly(
                                Venue.parse("hyperliquid"), "https://api.hyperliquid-testnet.xyz", CLOCK)
                        .network())
                .isEqualTo(HyperliquidNetwork.TESTNET);
    }

    // ---------------------------------------------------------------- orders

    @Test
    void aMarketBuyIsAnIocAtTheBoundedPriceWithTheCloidAndItsFeeFromTheFills() {
        action("order", filled("0.01", "60020", 77747314));
        info("userFills", fills(77747314, "60019", "0.004", "0.108", "60020.5", "0.006", "0.162"));
        HyperliquidExchange ex = agent();
        List<Fill> firstSeen = new ArrayList<>();

        Fill fill = ex.placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-1"), firstSeen::add);

        JsonNode body = lastBody("/exchange");
        JsonNode order = body.path("action").path("orders").get(0);
        assertThat(order.path("a").asInt()).isZero();
        assertThat(order.path("b").asBoolean()).isTrue();
        assertThat(order.path("p").asText()).isEqualTo("60612"); // 60012 × 1.01, on 5 figures
        assertThat(order.path("s").asText()).isEqualTo("0.01");
        assertThat(order.path("r").asBoolean()).isFalse();
        assertThat(order.path("t").path("limit").path("tif").asText()).isEqualTo("Ioc");
        assertThat(order.path("c").asText()).isEqualTo(HyperliquidWire.cloid("cid-1"));
        assertThat(body.path("nonce").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(body.path("expiresAfter").asLong()).isEqualTo(NOW.toEpochMilli() + 10_000);
        assertThat(body.path("vaultAddress").isNull()).isTrue();
        assertThat(check.recovered()).containsExactly(AGENT);
        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.filledQty()).isEqualByComparingTo("0.01");
        assertThat(fill.avgPrice()).isEqualByComparingTo("60020");
        assertThat(fill.fee()).isEqualByComparingTo("0.270");
        assertThat(fill.venueOrderId()).isEqualTo("77747314");
        assertThat(firstSeen).singleElement().satisfies(f -> assertThat(f.fee()).isNull());
    }

    @Test
    void anIocThatFindsNothingToMatchExecutesNothing() {
        action("order", orderError("Order could not immediately match against any resting orders. asset=0"));

        Fill fill = agent().placeMarketOrder(new OrderRequest("BTC", OrderSide.SELL, QTY, false, "cid-2"));

        assertThat(fill.state()).isEqualTo(OrderState.REJECTED);
        assertThat(fill.filledQty()).isZero();
        assertThat(lastBody("/exchange")
                        .path("action")
                        .path("orders")
                        .get(0)
                        .path("p")
                        .asText())
                .isEqualTo("59412"); // 60012 × 0.99
    }

    @Test
    void aCloseIsReduceOnly() {
        action("order", filled("0.01", "60001", 5));
        info("userFills", fills(5, "60001", "0.01", "0.27"));

        Fill fill = agent().placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, true, "cid-close"));

        assertThat(lastBody("/exchange")
                        .path("action")
                        .path("orders")
                        .get(0)
                        .path("r")
                        .asBoolean())
                .isTrue();
        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
    }

    @Test
    void aPartialIocFillIsPartial() {
        action("order", filled("0.004", "60010", 6));
        info("userFills", fills(6, "60010", "0.004", "0.1"));

        Fill fill = agent().placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-p"));

        assertThat(fill.state()).isEqualTo(OrderState.PARTIAL);
        assertThat(fill.filledQty()).isEqualByComparingTo("0.004");
    }

    @Test
    void aSizeFinerThanTheMarketTakesIsRefusedBeforeAnythingIsSent() {
        ExchangeException e = catchThrowableOfType(
                () -> agent().placeMarketOrder(
                                new OrderRequest("SOL", OrderSide.BUY, new BigDecimal("0.005"), false, "cid-fine")),
                ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
        assertThat(e.getMessage()).contains("not sent");
        wm.verify(0, postRequestedFor(urlPathEqualTo("/exchange")));
    }

    @Test
    void aLostReplyIsAnUnknownOutcomeAndTheOrderIsFoundByItsCloid() {
        wm.stubFor(post(urlPathEqualTo("/exchange")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        HyperliquidExchange ex = agent();

        ExchangeException e = catchThrowableOfType(
                () -> ex.placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-lost")),
                ExchangeException.class);
        assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        wm.verify(1, postRequestedFor(urlPathEqualTo("/exchange")));

        wm.stubFor(post(urlPathEqualTo("/info"))
                .withRequestBody(matchingJsonPath("$.type", equalTo("orderStatus")))
                .withRequestBody(matchingJsonPath("$.oid", equalTo(HyperliquidWire.cloid("cid-lost"))))
                .willReturn(okJson("""
                        {"status":"order","order":{"order":{"coin":"BTC","side":"B","limitPx":"60612","sz":"0.0",
                         "oid":99,"timestamp":1777636800000,"origSz":"0.01","cloid":"%s"},
                         "status":"filled","statusTimestamp":1777636800100}}""".formatted(HyperliquidWire.cloid("cid-lost")))));
        info("userFills", fills(99, "60015", "0.01", "0.27"));

        Optional<Fill> found = ex.lookupOrder("BTC", "cid-lost");

        assertThat(found).get().satisfies(f -> {
            assertThat(f.state()).isEqualTo(OrderState.FILLED);
            assertThat(f.filledQty()).isEqualByComparingTo("0.01");
            assertThat(f.avgPrice()).isEqualByComparingTo("60015");
            assertThat(f.fee()).isEqualByComparingTo("0.27");
        });
        assertThat(lastBody("/info").path("user").asText()).isEqualTo(ACCOUNT);
    }

    @Test
    void anOrderTheVenueNeverTookIsNotFound() {
        info("orderStatus", "{\"status\":\"unknownOid\"}");
        assertThat(agent().lookupOrder("BTC", "cid-never")).isEmpty();
    }

    @Test
    void anOrderStillOpenIsAnUnknownOutcomeToAskAgain() {
        info("orderStatus", """
                {"status":"order","order":{"order":{"coin":"BTC","side":"A","limitPx":"59412","sz":"0.01",
                 "oid":7,"timestamp":1777636800000,"origSz":"0.01"},"status":"open","statusTimestamp":1}}""");
        ExchangeException e =
                catchThrowableOfType(() -> agent().lookupOrder("BTC", "cid-open"), ExchangeException.class);
        assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
    }

    // ---------------------------------------------------------------- leverage

    @Test
    void leverageIsRaisedByUpdateLeverageOnlyWhenThePositionHoldsLess() {
        action("updateLeverage", "{\"status\":\"ok\",\"response\":{\"type\":\"default\"}}");
        HyperliquidExchange ex = agent();

        ex.ensureLeverage("BTC", new BigDecimal("2.5")); // the BTC position is at 3x already
        wm.verify(0, postRequestedFor(urlPathEqualTo("/exchange")));

        ex.ensureLeverage("BTC", new BigDecimal("4.2"));
        JsonNode action = lastBody("/exchange").path("action");
        assertThat(action.path("type").asText()).isEqualTo("updateLeverage");
        assertThat(action.path("asset").asInt()).isZero();
        assertThat(action.path("isCross").asBoolean()).isTrue();
        assertThat(action.path("leverage").asInt()).isEqualTo(5);

        ExchangeException e =
                catchThrowableOfType(() -> ex.ensureLeverage("SOL", new BigDecimal("25")), ExchangeException.class);
        assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
        assertThat(e.getMessage()).contains("maximum 20");
        wm.verify(1, postRequestedFor(urlPathEqualTo("/exchange")));
    }

    // ---------------------------------------------------------------- fills and funding

    @Test
    void fillsSinceAreTheAccountsOnTheSymbolOldestFirstWithLiquidationsMarked() {
        info("userFillsByTime", """
                [{"coin":"BTC","side":"A","px":"60100","sz":"0.01","fee":"0.27","oid":11,"time":1777636900000,
                  "liquidation":{"liquidatedUser":"0x0","markPx":"60100","method":"market"}},
                 {"coin":"ETH","side":"B","px":"3000","sz":"0.1","fee":"0.13","oid":12,"time":1777636850000},
                 {"coin":"BTC","side":"B","px":"60000","sz":"0.01","fee":"0.27","oid":10,"time":1777636800000}]""");

        List<VenueFill> out = agent().fillsSince("BTC", NOW).orElseThrow();

        assertThat(out).extracting(VenueFill::venueOrderId).containsExactly("10", "11");
        assertThat(out.get(0).side()).isEqualTo(OrderSide.BUY);
        assertThat(out.get(1).liquidation()).isTrue();
        assertThat(lastBody("/info").path("startTime").asLong()).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void fundingIsTheSumOfTheSymbolsHourlyPaymentsInTheWindow() {
        info("userFunding", """
                [{"time":1777633200000,"hash":"0x1","delta":{"type":"funding","coin":"BTC","usdc":"-0.0075","szi":"0.01","fundingRate":"0.0000125"}},
                 {"time":1777636800000,"hash":"0x2","delta":{"type":"funding","coin":"BTC","usdc":"0.0031","szi":"-0.01","fundingRate":"0.000005"}},
                 {"time":1777636800000,"hash":"0x3","delta":{"type":"funding","coin":"ETH","usdc":"1.5","szi":"-1","fundingRate":"0.0005"}}]""");

        BigDecimal sum = agent().fundingBetween("BTC", NOW.minusSeconds(7200), NOW);

        assertThat(sum).isEqualByComparingTo("-0.0044");
    }

    // ---------------------------------------------------------------- errors

    @Test
    void aThrottledReadIsRetriedThenRateLimited() {
        wm.stubFor(post(urlPathEqualTo("/info"))
                .withRequestBody(matchingJsonPath("$.type", equalTo("clearinghouseState")))
                .willReturn(aResponse().withStatus(429).withBody("{\"error\":\"rate limited\"}")));

        ExchangeException e = catchThrowableOfType(() -> agent().account(), ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.RATE_LIMITED);
        wm.verify(
                3,
                postRequestedFor(urlPathEqualTo("/info"))
                        .withRequestBody(matchingJsonPath("$.type", equalTo("clearinghouseState"))));
    }

    @Test
    void aRefusedOrderSaysWhy() {
        action("order", orderError("Insufficient margin to place order. asset=0"));
        ExchangeException e = catchThrowableOfType(
                () -> agent().placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-m")),
                ExchangeException.class);
        assertThat(e.error()).isEqualTo(ExchangeError.INSUFFICIENT_MARGIN);
        assertThat(e.getMessage()).contains("Insufficient margin");
    }

    @Test
    void aNonceRefusedAsAWholeIsAClockRefusal() {
        action("order", "{\"status\":\"err\",\"response\":\"Invalid nonce: nonce too low 1 < 2\"}");
        ExchangeException e = catchThrowableOfType(
                () -> agent().placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-n")),
                ExchangeException.class);
        assertThat(e.error()).isEqualTo(ExchangeError.CLOCK_REJECTED);
    }

    @Test
    void anOkReplyWithoutItsShapeIsUnusableNeverACrash() {
        info("clearinghouseState", "{\"assetPositions\":[]}");
        ExchangeException read = catchThrowableOfType(() -> agent().account(), ExchangeException.class);
        assertThat(read.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(read.getMessage()).contains("unusable reply").contains("marginSummary");

        action("order", "{\"status\":\"ok\",\"response\":{\"type\":\"order\"}}");
        ExchangeException write = catchThrowableOfType(
                () -> agent().placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-s")),
                ExchangeException.class);
        assertThat(write.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        assertThat(write.getMessage()).contains("reconcile by client id");
    }

    @Test
    void anHtmlPageOnAReadIsRetriedAndReportedAsTheVenueDown() {
        wm.stubFor(post(urlPathEqualTo("/info"))
                .withRequestBody(matchingJsonPath("$.type", equalTo("metaAndAssetCtxs")))
                .willReturn(aResponse().withStatus(200).withBody("<html>maintenance</html>")));
        ExchangeException e = catchThrowableOfType(
                () -> client(null, HyperliquidNetwork.MAINNET).markets(), ExchangeException.class);
        assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(e.getMessage()).contains("HTML page");
    }

    @Test
    void anActionIsSentOnceWhateverGoesWrongAndTypedByWhatTheVenueMayHaveDone() {
        HyperliquidExchange ex = agent();
        wm.stubFor(post(urlPathEqualTo("/exchange"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")));
        ExchangeException throttled = catchThrowableOfType(
                () -> ex.placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-429")),
                ExchangeException.class);
        assertThat(throttled.error()).isEqualTo(ExchangeError.RATE_LIMITED);
        wm.verify(1, postRequestedFor(urlPathEqualTo("/exchange")));

        wm.stubFor(post(urlPathEqualTo("/exchange")).willReturn(aResponse().withStatus(502)));
        ExchangeException down = catchThrowableOfType(
                () -> ex.placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-502")),
                ExchangeException.class);
        assertThat(down.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        wm.verify(2, postRequestedFor(urlPathEqualTo("/exchange")));

        wm.stubFor(post(urlPathEqualTo("/exchange")).willReturn(okJson("{\"status\":\"ok\",\"respo")));
        ExchangeException garbled = catchThrowableOfType(
                () -> ex.placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-json")),
                ExchangeException.class);
        assertThat(garbled.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        assertThat(garbled.getMessage()).contains("malformed JSON");
        wm.verify(3, postRequestedFor(urlPathEqualTo("/exchange")));

        wm.stubFor(post(urlPathEqualTo("/exchange"))
                .willReturn(aResponse()
                        .withStatus(422)
                        .withBody("Failed to deserialize the JSON body into the target type: missing field `type`")));
        ExchangeException refused = catchThrowableOfType(
                () -> ex.placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-422")),
                ExchangeException.class);
        assertThat(refused.error()).isEqualTo(ExchangeError.REJECTED);
        assertThat(refused.getMessage()).contains("HTTP 422").contains("Failed to deserialize");
        wm.verify(4, postRequestedFor(urlPathEqualTo("/exchange")));
    }

    @Test
    void aReadThatFailsIsTriedAgainAndAnswersOnceTheVenueDoes() {
        wm.stubFor(post(urlPathEqualTo("/info"))
                .withRequestBody(matchingJsonPath("$.type", equalTo("clearinghouseState")))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        wm.stubFor(post(urlPathEqualTo("/info"))
                .withRequestBody(matchingJsonPath("$.type", equalTo("clearinghouseState")))
                .inScenario("flaky")
                .whenScenarioStateIs("up")
                .willReturn(okJson(STATE)));

        assertThat(agent().account().equity()).isEqualByComparingTo("1182.31");
        wm.verify(
                2,
                postRequestedFor(urlPathEqualTo("/info"))
                        .withRequestBody(matchingJsonPath("$.type", equalTo("clearinghouseState"))));
    }

    @Test
    void twoActionsInOneMillisecondCarryIncreasingNonces() {
        action("order", filled("0.01", "60020", 8));
        info("userFills", fills(8, "60020", "0.01", "0.27"));
        HyperliquidExchange ex = agent();

        ex.placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-n1"));
        JsonNode first = lastBody("/exchange");
        ex.placeMarketOrder(new OrderRequest("BTC", OrderSide.SELL, QTY, true, "cid-n2"));
        JsonNode second = lastBody("/exchange");

        assertThat(first.path("nonce").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(second.path("nonce").asLong()).isEqualTo(NOW.toEpochMilli() + 1);
        assertThat(second.path("expiresAfter").asLong()).isEqualTo(NOW.toEpochMilli() + 1 + 10_000);
        assertThat(check.recovered()).containsExactly(AGENT, AGENT);
        assertThat(ex.placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-n3"))
                        .state())
                .isEqualTo(OrderState.FILLED);
    }

    @Test
    void aNonceTheVenueHasSeenIsRefusedAsAClockProblemNotSentAgain() {
        action("order", filled("0.01", "60020", 8));
        info("userFills", fills(8, "60020", "0.01", "0.27"));
        agent().placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-d1"));

        // a second process signing as the same API wallet in the same millisecond
        ExchangeException e = catchThrowableOfType(
                () -> agent().placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-d2")),
                ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.CLOCK_REJECTED);
        assertThat(e.getMessage()).contains("duplicate nonce " + NOW.toEpochMilli());
        wm.verify(2, postRequestedFor(urlPathEqualTo("/exchange")));
    }

    @Test
    void perOrderRefusalsAreTypedByTheirMessage() {
        HyperliquidExchange ex = agent();
        action("order", orderError("Order must have minimum value of $10. asset=0"));
        ExchangeException small = catchThrowableOfType(
                () -> ex.placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, new BigDecimal("0.0001"), false, "m")),
                ExchangeException.class);
        assertThat(small.error()).isEqualTo(ExchangeError.BELOW_MINIMUM);

        action("order", orderError("Reduce only order would increase position. asset=0"));
        ExchangeException grow = catchThrowableOfType(
                () -> ex.placeMarketOrder(new OrderRequest("BTC", OrderSide.SELL, QTY, true, "r")),
                ExchangeException.class);
        assertThat(grow.error()).isEqualTo(ExchangeError.REJECTED);
        assertThat(grow.getMessage()).contains("Reduce only order would increase position");
        assertThat(check.recovered()).containsExactly(AGENT, AGENT);
    }

    @Test
    void aFillWhoseFillsAreNotShownYetIsReturnedWithFeeZero() {
        action("order", filled("0.01", "60020", 9));
        info("userFills", "[]");

        Fill fill = agent().placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-nofee"));

        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.avgPrice()).isEqualByComparingTo("60020");
        assertThat(fill.fee()).isZero();
    }

    @Test
    void aLookedUpFillTheFillsDoNotShowYetIsAskedAgainNotGuessed() {
        info("orderStatus", """
                {"status":"order","order":{"order":{"coin":"BTC","side":"B","limitPx":"60612","sz":"0.0",
                 "oid":12,"timestamp":1777636800000,"origSz":"0.01"},"status":"filled","statusTimestamp":1}}""");
        info("userFills", "[]");

        ExchangeException e =
                catchThrowableOfType(() -> agent().lookupOrder("BTC", "cid-late"), ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        assertThat(e.getMessage()).contains("filled 0.01");
    }

    @Test
    void anOrderStatusWithoutItsShapeIsTriedAgainThenTheVenueDown() {
        info("orderStatus", "{\"status\":\"order\",\"order\":{\"status\":\"filled\"}}");

        ExchangeException e =
                catchThrowableOfType(() -> agent().lookupOrder("BTC", "cid-odd"), ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(e.getMessage()).contains("orderStatus").contains("unusable reply");
    }

    @Test
    void aCancelOfAnOrderThatFilledReportsItFilled() {
        action("cancelByCloid", """
                {"status":"ok","response":{"type":"cancel","data":{"statuses":[
                  {"error":"Order was never placed, already canceled, or filled. asset=1"}]}}}""");
        info("orderStatus", """
                {"status":"order","order":{"order":{"coin":"ETH","side":"B","limitPx":"3000","sz":"0.0",
                 "oid":44,"timestamp":1777636800000,"origSz":"0.1"},"status":"filled","statusTimestamp":1}}""");
        info("userFills", """
                [{"coin":"ETH","side":"B","px":"3000","sz":"0.1","fee":"0.045","oid":44,"time":1777636800500}]""");

        RestingOrder after = agent().cancelOrder("ETH", "cid-gone").orElseThrow();

        assertThat(after.status()).isEqualTo(RestingOrder.Status.FILLED);
        assertThat(after.filledQty()).isEqualByComparingTo("0.1");
        assertThat(after.fee()).isEqualByComparingTo("0.045");
        assertThat(check.recovered()).containsExactly(AGENT);
    }

    @Test
    void fundingIsReadPageAfterPage() {
        StringBuilder page = new StringBuilder("[");
        long hour = 3_600_000L;
        long start = NOW.toEpochMilli() - 600 * hour;
        for (int i = 1; i <= HyperliquidExchange.FUNDING_PAGE; i++) {
            page.append(i == 1 ? "" : ",")
                    .append("{\"time\":")
                    .append(start + i * hour)
                    .append(",\"hash\":\"0x0\",\"delta\":{\"type\":\"funding\",\"coin\":\"BTC\",")
                    .append("\"usdc\":\"0.01\",\"szi\":\"-0.01\",\"fundingRate\":\"0.00001\"}}");
        }
        long last = start + HyperliquidExchange.FUNDING_PAGE * hour;
        wm.stubFor(post(urlPathEqualTo("/info"))
                .withRequestBody(matchingJsonPath("$.type", equalTo("userFunding")))
                .withRequestBody(matchingJsonPath("$.startTime", equalTo(Long.toString(start + 1))))
                .willReturn(okJson(page.append(']').toString())));
        wm.stubFor(post(urlPathEqualTo("/info"))
                .withRequestBody(matchingJsonPath("$.type", equalTo("userFunding")))
                .withRequestBody(matchingJsonPath("$.startTime", equalTo(Long.toString(last + 1))))
                .willReturn(okJson("[{\"time\":" + (last + hour)
                        + ",\"hash\":\"0x1\",\"delta\":{\"type\":\"funding\",\"coin\":\"BTC\","
                        + "\"usdc\":\"-2.5\",\"szi\":\"-0.01\",\"fundingRate\":\"0.00001\"}}]")));

        BigDecimal sum = agent().fundingBetween("BTC", Instant.ofEpochMilli(start), NOW);

        assertThat(sum).isEqualByComparingTo("2.5"); // 500 × 0.01 − 2.5
        wm.verify(
                2,
                postRequestedFor(urlPathEqualTo("/info"))
                        .withRequestBody(matchingJsonPath("$.type", equalTo("userFunding"))));
        assertThat(lastBody("/info").path("user").asText()).isEqualTo(ACCOUNT);
    }

    @Test
    void aFullPageOfFillsIsNotTakenForTheWholeHistory() {
        StringBuilder page = new StringBuilder("[");
        for (int i = 0; i < HyperliquidExchange.FILLS_PAGE; i++) {
            page.append(i == 0 ? "" : ",")
                    .append("{\"coin\":\"BTC\",\"side\":\"B\",\"px\":\"60000\",\"sz\":\"0.001\",")
                    .append("\"fee\":\"0.027\",\"oid\":")
                    .append(i)
                    .append(",\"time\":")
                    .append(NOW.toEpochMilli() + i)
                    .append('}');
        }
        info("userFillsByTime", page.append(']').toString());

        ExchangeException e = catchThrowableOfType(() -> agent().fillsSince("BTC", NOW), ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(e.getMessage()).contains("may be incomplete");
    }

    // ---------------------------------------------------------------- signers and networks

    @Test
    void anUnknownKeyIsRefusedAsTheVenueRefusesIt() {
        action("order", filled("0.01", "60020", 1));
        HyperliquidExchange stranger = client(STRANGER_KEY, HyperliquidNetwork.MAINNET);

        ExchangeException e = catchThrowableOfType(
                () -> stranger.placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-x")),
                ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.AUTH_FAILED);
        assertThat(e.getMessage()).contains("does not exist").doesNotContain(STRANGER_KEY.substring(2));
    }

    @Test
    void aSignatureForTheOtherNetworkRecoversAnotherSignerAndIsRefused() {
        action("order", filled("0.01", "60020", 1));
        info("userFills", fills(1, "60020", "0.01", "0.27"));

        ExchangeException e = catchThrowableOfType(
                () -> client(AGENT_KEY, HyperliquidNetwork.TESTNET)
                        .placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-t")),
                ExchangeException.class);
        assertThat(e.error()).isEqualTo(ExchangeError.AUTH_FAILED);
        assertThat(check.recovered()).singleElement().isNotEqualTo(AGENT);

        check.network(HyperliquidNetwork.TESTNET);
        Fill fill = client(AGENT_KEY, HyperliquidNetwork.TESTNET)
                .placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-t2"));
        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(check.recovered()).last().isEqualTo(AGENT);
    }

    @Test
    void theAccountsOwnKeySignsToo() {
        action("order", filled("0.01", "60020", 3));
        info("userFills", fills(3, "60020", "0.01", "0.27"));

        client(ACCOUNT_KEY, HyperliquidNetwork.MAINNET)
                .placeMarketOrder(new OrderRequest("BTC", OrderSide.BUY, QTY, false, "cid-own"));

        assertThat(check.recovered()).containsExactly(ACCOUNT);
    }

    @Test
    void theKeyProofTellsAKnownSignerFromAnUnknownOne() {
        action("cancelByCloid", """
                {"status":"ok","response":{"type":"cancel","data":{"statuses":[
                  {"error":"Order was never placed, already canceled, or filled. asset=0"}]}}}""");
        info("userRole", "{\"role\":\"agent\",\"data\":{\"user\":\"" + ACCOUNT + "\"}}");

        KeyProof good = agent().proveKeys();
        assertThat(good.verdict()).isEqualTo(KeyProof.Verdict.PROVEN);
        assertThat(good.detail()).contains(AGENT);
        assertThat(lastBody("/exchange").path("action").path("type").asText()).isEqualTo("cancelByCloid");

        KeyProof bad = client(STRANGER_KEY, HyperliquidNetwork.MAINNET).proveKeys();
        assertThat(bad.verdict()).isEqualTo(KeyProof.Verdict.WRONG);
        assertThat(bad.detail()).contains("does not exist").doesNotContain(STRANGER_KEY.substring(2));
    }

    @Test
    void aKeyProofSignedForTheOtherNetworkIsWrongAndSaysSo() {
        action("cancelByCloid", """
                {"status":"ok","response":{"type":"cancel","data":{"statuses":[
                  {"error":"Order was never placed, already canceled, or filled. asset=0"}]}}}""");
        info("userRole", "{\"role\":\"agent\",\"data\":{\"user\":\"" + ACCOUNT + "\"}}");

        KeyProof proof = client(AGENT_KEY, HyperliquidNetwork.TESTNET).proveKeys();

        assertThat(proof.verdict()).isEqualTo(KeyProof.Verdict.WRONG);
        assertThat(check.recovered()).singleElement().isNotEqualTo(AGENT);
        assertThat(proof.detail())
                .contains("recovered " + check.recovered().get(0))
                .contains("exchanges.hyperliquid.network");
    }

    @Test
    void anAgentTheVenueDoesNotKnowIsWrongBeforeAnythingIsSigned() {
        info("userRole", "{\"role\":\"missing\"}");

        KeyProof proof = agent().proveKeys();

        assertThat(proof.verdict()).isEqualTo(KeyProof.Verdict.WRONG);
        assertThat(proof.detail()).contains("not approved");
        wm.verify(0, postRequestedFor(urlPathEqualTo("/exchange")));
    }

    @Test
    void anUnknownSignerCannotSetLeverage() {
        action("updateLeverage", "{\"status\":\"ok\",\"response\":{\"type\":\"default\"}}");

        ExchangeException e = catchThrowableOfType(
                () -> client(STRANGER_KEY, HyperliquidNetwork.MAINNET).ensureLeverage("ETH", new BigDecimal("5")),
                ExchangeException.class);

        assertThat(e.error()).isEqualTo(ExchangeError.AUTH_FAILED);
        assertThat(lastBody("/exchange").path("action").path("type").asText()).isEqualTo("updateLeverage");
    }

    @Test
    void anAgentApprovedForAnotherAccountIsWrong() {
        info("userRole", "{\"role\":\"agent\",\"data\":{\"user\":\"0x000000000000000000000000000000000000beef\"}}");

        KeyProof proof = agent().proveKeys();

        assertThat(proof.verdict()).isEqualTo(KeyProof.Verdict.WRONG);
        assertThat(proof.detail()).contains("approved for 0x000000000000000000000000000000000000beef");
        wm.verify(0, postRequestedFor(urlPathEqualTo("/exchange")));
    }

    // ---------------------------------------------------------------- resting orders

    @Test
    void aPostOnlyOrderRestsAndIsCancelledByItsCloid() {
        action(
                "order",
                "{\"status\":\"ok\",\"response\":{\"type\":\"order\",\"data\":{\"statuses\":[{\"resting\":{\"oid\":42}}]}}}");
        HyperliquidExchange ex = agent();

        RestingOrder placed = ex.placeLimitOrder(new LimitOrderRequest(
                "ETH", OrderSide.SELL, new BigDecimal("0.1"), new BigDecimal("3002.5"), true, true, "cid-r"));

        JsonNode order = lastBody("/exchange").path("action").path("orders").get(0);
        assertThat(order.path("t").path("limit").path("tif").asText()).isEqualTo("Alo");
        assertThat(order.path("r").asBoolean()).isTrue();
        assertThat(order.path("p").asText()).isEqualTo("3002.5");
        assertThat(placed.status()).isEqualTo(RestingOrder.Status.OPEN);

        action(
                "cancelByCloid",
                "{\"status\":\"ok\",\"response\":{\"type\":\"cancel\",\"data\":{\"statuses\":[\"success\"]}}}");
        info("orderStatus", """
                {"status":"order","order":{"order":{"coin":"ETH","side":"A","limitPx":"3002.5","sz":"0.06",
                 "oid":42,"timestamp":1777636800000,"origSz":"0.1"},"status":"canceled","statusTimestamp":1}}""");
        info("userFills", """
                [{"coin":"ETH","side":"A","px":"3002.5","sz":"0.04","fee":"0.018","oid":42,"time":1777636800500}]""");

        RestingOrder after = ex.cancelOrder("ETH", "cid-r").orElseThrow();

        assertThat(lastBody("/exchange")
                        .path("action")
                        .path("cancels")
                        .get(0)
                        .path("cloid")
                        .asText())
                .isEqualTo(HyperliquidWire.cloid("cid-r"));
        assertThat(after.status()).isEqualTo(RestingOrder.Status.CANCELLED);
        assertThat(after.filledQty()).isEqualByComparingTo("0.04");
        assertThat(after.avgPrice()).isEqualByComparingTo("3002.5");
    }

    @Test
    void aRestingPriceBetweenTicksIsSentAwayFromTheBookAndReportedAsSent() {
        action(
                "order",
                "{\"status\":\"ok\",\"response\":{\"type\":\"order\",\"data\":{\"statuses\":[{\"resting\":{\"oid\":43}}]}}}");
        HyperliquidExchange ex = agent();

        RestingOrder bid = ex.placeLimitOrder(new LimitOrderRequest(
                "ETH", OrderSide.BUY, new BigDecimal("0.1"), new BigDecimal("3001.25"), true, false, "cid-b"));
        assertThat(lastBody("/exchange")
                        .path("action")
                        .path("orders")
                        .get(0)
                        .path("p")
                        .asText())
                .isEqualTo("3001.2");
        assertThat(bid.price()).isEqualByComparingTo("3001.2");

        RestingOrder ask = ex.placeLimitOrder(new LimitOrderRequest(
                "ETH", OrderSide.SELL, new BigDecimal("0.1"), new BigDecimal("3001.25"), true, false, "cid-a"));
        assertThat(lastBody("/exchange")
                        .path("action")
                        .path("orders")
                        .get(0)
                        .path("p")
                        .asText())
                .isEqualTo("3001.3");
        assertThat(ask.price()).isEqualByComparingTo("3001.3");
        assertThat(check.recovered()).containsExactly(AGENT, AGENT);

        ExchangeException e = catchThrowableOfType(
                () -> ex.placeLimitOrder(new LimitOrderRequest(
                        "BTC", OrderSide.BUY, new BigDecimal("0.001"), new BigDecimal("0.04"), true, false, "cid-0")),
                ExchangeException.class);
        assertThat(e.error()).isEqualTo(ExchangeError.REJECTED);
        assertThat(e.getMessage()).contains("not sent");
        wm.verify(2, postRequestedFor(urlPathEqualTo("/exchange")));
    }

    @Test
    void aPostOnlyOrderThatWouldTakeIsRefused() {
        action("order", orderError("Post only order would have immediately matched, bbo was 3001.1@3001.2. asset=1"));
        ExchangeException e = catchThrowableOfType(
                () -> agent().placeLimitOrder(new LimitOrderRequest(
                        "ETH", OrderSide.BUY, new BigDecimal("0.1"), new BigDecimal("3001.3"), true, false, "cid-w")),
                ExchangeException.class);
        assertThat(e.error()).isEqualTo(ExchangeError.WOULD_TAKE);
    }

    @Test
    void theTopOfTheBookAndTheFeeRatesAreRead() {
        info("l2Book", """
                {"coin":"ETH","time":1777636800000,"levels":[[{"px":"3001.1","sz":"2.5","n":3},{"px":"3001.0","sz":"1","n":1}],
                 [{"px":"3001.2","sz":"1.5","n":2}]]}""");
        info(
                "userFees",
                "{\"userCrossRate\":\"0.00045\",\"userAddRate\":\"0.00015\",\"activeReferralDiscount\":\"0.0\"}");
        HyperliquidExchange ex = agent();

        TopOfBook top = ex.topOfBook("ETH");
        assertThat(top.bid()).isEqualByComparingTo("3001.1");
        assertThat(top.ask()).isEqualByComparingTo("3001.2");
        assertThat(ex.feeRates().taker()).isEqualByComparingTo("0.00045");
        assertThat(ex.feeRates().maker()).isEqualByComparingTo("0.00015");
        assertThat(ex.postOnlyReduceOnly()).isTrue();
    }
}
