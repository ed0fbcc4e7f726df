package dev.perptrader.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.Secret;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.Side;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.KeyProof;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local venues answer the real Backpack and Hibachi clients as the venues would, signatures checked. */
final class LocalVenuesTest {
    @TempDir
    Path dir;

    private LocalVenues venues;
    private AppConfig config;

    @BeforeEach
    void start() {
        venues = LocalVenues.start(
                BenchMarkets.of(5, 7),
                BenchKeys.generate(),
                BenchOptions.HibachiSigning.HMAC,
                Duration.ofMillis(1),
                Duration.ofMillis(1),
                0,
                7);
        config = BenchConfig.build(dir, venues, 10);
    }

    @AfterEach
    void stop() {
        venues.close();
    }

    private PerpExchange backpack() {
        return BackpackExchange.live(config.exchanges().get(BackpackExchange.VENUE), Clock.systemUTC());
    }

    private PerpExchange hibachi() {
        return HibachiExchange.live(config.exchanges().get(HibachiExchange.VENUE), Clock.systemUTC());
    }

    @Test
    void backpackClientReadsMarketsMarksAndAccountAndTradesThroughTheLocalVenue() {
        PerpExchange ex = backpack();
        Map<String, MarketRules> markets = ex.markets();
        assertThat(markets).containsKeys("BTC", "ETH", "SOL", "A01", "A05");
        MarketRules btc = markets.get("BTC");
        assertThat(btc.symbol()).isEqualTo("BTC_USDC_PERP");
        assertThat(btc.open()).isTrue();
        BigDecimal mark = ex.marks(List.of(btc.symbol())).get(btc.symbol());
        assertThat(mark).isBetween(new BigDecimal("59000"), new BigDecimal("61000"));
        assertThat(ex.account().equity()).isEqualByComparingTo(LocalVenues.STARTING_BALANCE);

        BigDecimal qty = btc.floorQty(new BigDecimal("0.005"));
        String clientId = ex.newClientId();
        ex.ensureLeverage(btc.symbol(), new BigDecimal("2.5"));
        Fill fill = ex.placeMarketOrder(new OrderRequest(btc.symbol(), OrderSide.BUY, qty, false, clientId));
        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.filledQty()).isEqualByComparingTo(qty);
        assertThat(fill.fee()).isPositive();

        AccountState account = ex.account();
        assertThat(account.signedPosition(btc.symbol())).isEqualByComparingTo(qty);
        assertThat(account.position(btc.symbol()).orElseThrow().side()).isEqualTo(Side.LONG);
        Optional<Fill> found = ex.lookupOrder(btc.symbol(), clientId);
        assertThat(found).isPresent();
        assertThat(found.get().filledQty()).isEqualByComparingTo(qty);
        assertThat(found.get().venueOrderId()).isEqualTo(fill.venueOrderId());
        assertThat(ex.lookupOrder(btc.symbol(), "12345")).isEmpty();

        Fill closed = ex.placeMarketOrder(new OrderRequest(btc.symbol(), OrderSide.SELL, qty, true, ex.newClientId()));
        assertThat(closed.state()).isEqualTo(OrderState.FILLED);
        assertThat(ex.account().signedPosition(btc.symbol())).isZero();
        assertThat(ex.proveKeys().verdict()).isEqualTo(KeyProof.Verdict.PROVEN);
    }

    @Test
    void hibachiClientReadsMarketsMarksAndAccountAndTradesThroughTheLocalVenue() {
        PerpExchange ex = hibachi();
        Map<String, MarketRules> markets = ex.markets();
        assertThat(markets).containsKeys("BTC", "ETH", "SOL", "A01", "A05");
        MarketRules eth = markets.get("ETH");
        assertThat(eth.symbol()).isEqualTo("ETH/USDT-P");
        BigDecimal mark =
                ex.marks(List.of(eth.symbol(), markets.get("A01").symbol())).get(eth.symbol());
        assertThat(mark).isBetween(new BigDecimal("2900"), new BigDecimal("3100"));
        assertThat(ex.quotes(List.of(eth.symbol())).get(eth.symbol()).markPrice())
                .isPositive();
        assertThat(ex.account().equity()).isEqualByComparingTo(LocalVenues.STARTING_BALANCE);

        BigDecimal qty = eth.floorQty(new BigDecimal("0.1"));
        String nonce = ex.newClientId();
        Fill fill = ex.placeMarketOrder(new OrderRequest(eth.symbol(), OrderSide.SELL, qty, false, nonce));
        assertThat(fill.state()).isEqualTo(OrderState.FILLED);
        assertThat(fill.filledQty()).isEqualByComparingTo(qty);
        assertThat(fill.avgPrice()).isPositive();
        assertThat(fill.fee()).isPositive();

        AccountState account = ex.account();
        assertThat(account.signedPosition(eth.symbol())).isEqualByComparingTo(qty.negate());
        Optional<Fill> found = ex.lookupOrder(eth.symbol(), nonce);
        assertThat(found).isPresent();
        assertThat(found.get().venueOrderId()).isEqualTo(fill.venueOrderId());
        assertThat(ex.lookupOrder(eth.symbol(), "1700000000000000")).isEmpty();
        assertThat(ex.proveKeys().verdict()).isEqualTo(KeyProof.Verdict.PROVEN);
    }

    @Test
    void aRefusedOrderExecutesNothingAndReduceOnlyIsNeverRefused() {
        PerpExchange ex = hibachi();
        MarketRules sol = ex.markets().get("SOL");
        BigDecimal qty = sol.floorQty(BigDecimal.ONE);
        venues.rejections(HibachiExchange.VENUE).rejectNext(1);
        assertThatThrownBy(() -> ex.placeMarketOrder(
                        new OrderRequest(sol.symbol(), OrderSide.BUY, qty, false, ex.newClientId())))
                .isInstanceOfSatisfying(
                        ExchangeException.class,
                        e -> assertThat(e.error()).isEqualTo(ExchangeError.INSUFFICIENT_MARGIN));
        assertThat(venues.book(HibachiExchange.VENUE).executions()).isEmpty();

        venues.rejections(HibachiExchange.VENUE).rejectNext(1);
        Fill nothing = ex.placeMarketOrder(new OrderRequest(sol.symbol(), OrderSide.SELL, qty, true, ex.newClientId()));
        assertThat(nothing.state()).isEqualTo(OrderState.REJECTED);
        assertThat(nothing.filledQty()).isZero();
    }

    @Test
    void aRejectionRateRefusesThatShareOfOpeningOrdersButNeverAReduceOnlyOne() {
        Rejections all = new Rejections(1, 3);
        assertThat(all.refuse(false)).isTrue();
        assertThat(all.refuse(true)).isFalse();
        Rejections none = new Rejections(0, 3);
        none.rejectNext(2);
        assertThat(none.refuse(true)).isFalse();
        assertThat(none.refuse(false)).isTrue();
        assertThat(none.refuse(false)).isTrue();
        assertThat(none.refuse(false)).isFalse();
    }

    @Test
    void aBadSignatureIsRefusedByBothVenues() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String key = venues.keys().backpackKey();
        HttpRequest forged = HttpRequest.newBuilder(
                        URI.create(venues.url(BackpackExchange.VENUE) + "/api/v1/capital/collateral"))
                .header("X-API-Key", key)
                .header("X-Timestamp", Long.toString(System.currentTimeMillis()))
                .header("X-Window", "5000")
                .header("X-Signature", Base64.getEncoder().encodeToString(new byte[64]))
                .GET()
                .build();
        HttpResponse<String> refused = http.send(forged, HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("INVALID_CLIENT_REQUEST", "Invalid signature");

        AppConfig.ExchangeCredentials good = config.exchanges().get(HibachiExchange.VENUE);
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        AppConfig.ExchangeCredentials wrongSecret = new AppConfig.ExchangeCredentials(
                Map.of(
                        "account_id",
                        good.text("account_id"),
                        "api_url",
                        good.text("api_url"),
                        "data_url",
                        good.text("data_url")),
                Map.of(
                        "api_key",
                        good.secret("api_key"),
                        "api_secret",
                        Secret.of(Base64.getEncoder().encodeToString(other))),
                good.lateExecution(),
                good.clockCheckEvery());
        HibachiExchange ex = HibachiExchange.live(wrongSecret, Clock.systemUTC());
        MarketRules a01 = ex.markets().get("A01");
        assertThatThrownBy(() -> ex.placeMarketOrder(new OrderRequest(
                        a01.symbol(),
                        OrderSide.BUY,
                        a01.floorQty(new BigDecimal("1000")).max(a01.stepSize()),
                        false,
                        ex.newClientId())))
                .isInstanceOfSatisfying(
                        ExchangeException.class, e -> assertThat(e.error()).isEqualTo(ExchangeError.AUTH_FAILED));
        assertThat(ex.proveKeys().verdict()).isEqualTo(KeyProof.Verdict.WRONG);
        assertThat(venues.book(HibachiExchange.VENUE).executions()).isEmpty();
    }

    @Test
    void anEcdsaAccountTradesWithItsKeyAndIsRefusedAnotherKeyOrAnHmacSignature() {
        BenchKeys keys = BenchKeys.generate();
        try (LocalVenues ecdsa = LocalVenues.start(
                BenchMarkets.of(2, 7), keys, BenchOptions.HibachiSigning.ECDSA, Duration.ZERO, Duration.ZERO, 0, 7)) {
            AppConfig.ExchangeCredentials good = BenchConfig.build(dir.resolve("ecdsa"), ecdsa, 10)
                    .exchanges()
                    .get(HibachiExchange.VENUE);
            assertThat(good.secret("private_key").reveal()).isEqualTo(keys.hibachiPrivateKey());
            assertThat(good.secret("api_secret").isPresent()).isFalse();
            HibachiExchange ex = HibachiExchange.live(good, Clock.systemUTC());
            MarketRules eth = ex.markets().get("ETH");
            BigDecimal qty = eth.floorQty(new BigDecimal("0.1"));
            Fill fill =
                    ex.placeMarketOrder(new OrderRequest(eth.symbol(), OrderSide.BUY, qty, false, ex.newClientId()));
            assertThat(fill.state()).isEqualTo(OrderState.FILLED);
            assertThat(ex.account().signedPosition(eth.symbol())).isEqualByComparingTo(qty);
            assertThat(ex.proveKeys().verdict()).isEqualTo(KeyProof.Verdict.PROVEN);

            String otherKey = BenchKeys.generate().hibachiPrivateKey();
            AppConfig.ExchangeCredentials wrongKey = credentials(good, Secret.empty(), Secret.of(otherKey));
            AppConfig.ExchangeCredentials hmac = credentials(good, Secret.of(keys.hibachiSecret()), Secret.empty());
            for (AppConfig.ExchangeCredentials refused : List.of(wrongKey, hmac)) {
                HibachiExchange bad = HibachiExchange.live(refused, Clock.systemUTC());
                assertThatThrownBy(() -> bad.placeMarketOrder(
                                new OrderRequest(eth.symbol(), OrderSide.BUY, qty, false, bad.newClientId())))
                        .isInstanceOfSatisfying(
                                ExchangeException.class,
                                e -> assertThat(e.error()).isEqualTo(ExchangeError.AUTH_FAILED));
                assertThat(bad.proveKeys().verdict()).isEqualTo(KeyProof.Verdict.WRONG);
            }
            assertThat(ecdsa.book(HibachiExchange.VENUE).executions()).hasSize(1);
        }
    }

    private static AppConfig.ExchangeCredentials credentials(
            AppConfig.ExchangeCredentials like, Secret apiSecret, Secret privateKey) {
        return new AppConfig.ExchangeCredentials(
                Map.of(
                        "account_id",
                        like.text("account_id"),
                        "api_url",
                        like.text("api_url"),
                        "data_url",
                        like.text("data_url")),
                Map.of("api_key", like.secret("api_key"), "api_secret", apiSecret, "private_key", privateKey),
                like.lateExecution(),
                like.clockCheckEvery());
    }

    @Test
    void everyRequestIsLoggedWithItsRoundTrip() {
        venues.setRtt(BackpackExchange.VENUE, Duration.ofMillis(40));
        PerpExchange ex = backpack();
        ex.markets();
        RequestLog.Entry markets = venues.log().entries().stream()
                .filter(e -> e.path().equals("/api/v1/markets"))
                .findFirst()
                .orElseThrow();
        assertThat(markets.venue()).isEqualTo(BackpackExchange.VENUE);
        assertThat(markets.status()).isEqualTo(200);
        assertThat(markets.repliedNanos() - markets.acceptedNanos()).isGreaterThanOrEqualTo(40_000_000L);
    }
}
