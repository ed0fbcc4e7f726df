package dev.perptrader.exchange.hibachi;

import static com.github.tomakehurst.wiremock.client.WireMock.findAll;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.config.AppConfig;
import dev.perptrader.config.Secret;
import dev.perptrader.exchange.Sleeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.OkHttpClient;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;

/** Fixtures, a fixed clock, exchanges pointed at WireMock, and the stub side's signature check. */
final class HibachiTestKit {
    /** 2024-05-03T02:00:00Z: its microseconds are the doc's vector nonce 1714701600000000. */
    static final Instant NOW = Instant.parse("2024-05-03T02:00:00Z");

    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final long FIRST_NONCE = 1714701600000000L;

    static final String API_KEY = "test-api-key-do-not-log-0123456789";
    static final String HMAC_SECRET = HibachiVectorsTest.HMAC_SECRET;
    static final String PRIVATE_KEY = HibachiVectorsTest.PRIVATE_KEY;
    static final long ACCOUNT_ID = 1234;

    private static final ObjectMapper JSON = new ObjectMapper();

    private HibachiTestKit() {}

    static String fixture(String name) {
        try (InputStream in = HibachiTestKit.class.getResourceAsStream("/hibachi/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AppConfig.ExchangeCredentials hmacCredentials(String url) {
        return new AppConfig.ExchangeCredentials(
                Map.of("account_id", Long.toString(ACCOUNT_ID), "api_url", url, "data_url", url),
                Map.of("api_key", Secret.of(API_KEY), "api_secret", Secret.of(HMAC_SECRET)),
                Duration.ofSeconds(15),
                Duration.ofMinutes(5));
    }

    static AppConfig.ExchangeCredentials ecdsaCredentials(String url) {
        return new AppConfig.ExchangeCredentials(
                Map.of("account_id", Long.toString(ACCOUNT_ID), "api_url", url, "data_url", url),
                Map.of("api_key", Secret.of(API_KEY), "private_key", Secret.of(PRIVATE_KEY)),
                Duration.ofSeconds(15),
                Duration.ofMinutes(5));
    }

    /** An HMAC-signing exchange on one WireMock server that serves both hosts' paths. */
    static HibachiExchange hmacExchange(WireMockRuntimeInfo wm, Sleeper sleeper) {
        return exchange(wm, hmacCredentials(wm.getHttpBaseUrl()), sleeper, HibachiExchange.tradingClient());
    }

    static HibachiExchange exchange(
            WireMockRuntimeInfo wm, AppConfig.ExchangeCredentials creds, Sleeper sleeper, OkHttpClient client) {
        return exchange(wm, creds, CLOCK, sleeper, client);
    }

    static HibachiExchange exchange(
            WireMockRuntimeInfo wm,
            AppConfig.ExchangeCredentials creds,
            Clock clock,
            Sleeper sleeper,
            OkHttpClient client) {
        return exchange(wm, creds, clock, sleeper, client, HibachiExchange.Settings.DEFAULT);
    }

    static HibachiExchange exchange(
            WireMockRuntimeInfo wm,
            AppConfig.ExchangeCredentials creds,
            Clock clock,
            Sleeper sleeper,
            OkHttpClient client,
            HibachiExchange.Settings settings) {
        return new HibachiExchange(
                client,
                wm.getHttpBaseUrl(),
                wm.getHttpBaseUrl(),
                clock,
                sleeper,
                Optional.of(HibachiExchange.Credentials.fromConfig(creds)),
                settings);
    }

    /** An exchange whose api and data hosts are both {@code url} (e.g. a closed port). */
    static HibachiExchange exchangeAt(String url, AppConfig.ExchangeCredentials creds) {
        return new HibachiExchange(
                HibachiExchange.tradingClient(),
                url,
                url,
                CLOCK,
                FakeSleeper.unpaced(),
                Optional.of(HibachiExchange.Credentials.fromConfig(creds)));
    }

    static OkHttpClient shortTimeoutClient() {
        return new OkHttpClient.Builder()
                .retryOnConnectionFailure(false)
                .callTimeout(200, TimeUnit.MILLISECONDS)
                .build();
    }

    /** exchange-info (NORMAL) and a venue clock equal to ours. */
    static void stubMarketBasics() {
        stubFor(get(urlPathEqualTo("/market/exchange-info")).willReturn(okJson(fixture("exchange-info.json"))));
        stubFor(get(urlPathEqualTo("/exchange/utc-timestamp")).willReturn(okJson(fixture("utc-timestamp.json"))));
    }

    static List<LoggedRequest> orderPosts() {
        return findAll(postRequestedFor(urlPathEqualTo("/trade/order")));
    }

    // ------------------------------------------------------------ the stub side's check

    /**
     * Rebuilds the 32-byte market-order payload from a received JSON body, on its own: contract
     * id and decimals from the exchange-info fixture, nonce(8) ‖ contractId(4) ‖ quantity(8) ‖
     * side(4) ‖ maxFeesPercent(8). Throws if the body's decimals do not scale to integers.
     */
    static byte[] payloadFromBody(JsonNode body) {
        JsonNode contract = null;
        for (JsonNode c : json(fixture("exchange-info.json")).get("futureContracts")) {
            if (c.get("symbol").asText().equals(body.get("symbol").asText())) {
                contract = c;
            }
        }
        if (contract == null) {
            throw new IllegalArgumentException("unknown symbol in body: " + body.get("symbol"));
        }
        if (!body.get("nonce").isIntegralNumber() || !body.get("accountId").isIntegralNumber()) {
            throw new IllegalArgumentException("nonce and accountId must be JSON numbers");
        }
        BigInteger qty = new BigDecimal(body.get("quantity").asText())
                .movePointRight(contract.get("underlyingDecimals").asInt())
                .toBigIntegerExact();
        BigInteger fee = new BigDecimal(body.get("maxFeesPercent").asText())
                .movePointRight(8)
                .toBigIntegerExact();
        int side = switch (body.get("side").asText()) {
            case "BID" -> 1;
            case "ASK" -> 0;
            default -> throw new IllegalArgumentException("side " + body.get("side"));
        };
        if (body.has("price")) {
            throw new IllegalArgumentException("a market order carries no price");
        }
        return ByteBuffer.allocate(32)
                .putLong(body.get("nonce").asLong())
                .putInt(contract.get("id").asInt())
                .putLong(qty.longValueExact())
                .putInt(side)
                .putLong(fee.longValueExact())
                .array();
    }

    /**
     * Rebuilds the 40-byte LIMIT payload from a received JSON body, on its own (api doc §2.3):
     * nonce(8) ‖ contractId(4) ‖ quantity(8) ‖ side(4) ‖ price(8) ‖ maxFeesPercent(8), the price
     * as price × 2^32 × 10^(settlementDecimals − underlyingDecimals) truncated toward zero.
     * Throws unless the body is a LIMIT with a price.
     */
    static byte[] limitPayloadFromBody(JsonNode body) {
        if (!"LIMIT".equals(body.path("orderType").asText())
                || !body.path("price").isTextual()) {
            throw new IllegalArgumentException("not a LIMIT order with a price: " + body);
        }
        JsonNode contract = null;
        for (JsonNode c : json(fixture("exchange-info.json")).get("futureContracts")) {
            if (c.get("symbol").asText().equals(body.get("symbol").asText())) {
                contract = c;
            }
        }
        if (contract == null
                || !body.get("nonce").isIntegralNumber()
                || !body.get("accountId").isIntegralNumber()) {
            throw new IllegalArgumentException("unknown symbol, or nonce/accountId not JSON numbers: " + body);
        }
        int underlying = contract.get("underlyingDecimals").asInt();
        int settlement = contract.get("settlementDecimals").asInt();
        BigInteger qty = new BigDecimal(body.get("quantity").asText())
                .movePointRight(underlying)
                .toBigIntegerExact();
        BigInteger price = new BigDecimal(body.get("price").asText())
                .multiply(new BigDecimal(BigInteger.TWO.pow(32)))
                .movePointRight(settlement - underlying)
                .setScale(0, RoundingMode.DOWN)
                .toBigIntegerExact();
        BigInteger fee = new BigDecimal(body.get("maxFeesPercent").asText())
                .movePointRight(8)
                .toBigIntegerExact();
        int side = switch (body.get("side").asText()) {
            case "BID" -> 1;
            case "ASK" -> 0;
            default -> throw new IllegalArgumentException("side " + body.get("side"));
        };
        return ByteBuffer.allocate(40)
                .putLong(body.get("nonce").asLong())
                .putInt(contract.get("id").asInt())
                .putLong(qty.longValueExact())
                .putInt(side)
                .putLong(price.longValueExact())
                .putLong(fee.longValueExact())
                .array();
    }

    /** Whether a LIMIT body's signature is the HMAC-SHA256 of its 40-byte payload. */
    static boolean hmacVerifiesLimit(JsonNode body, String secret) {
        try {
            return hmacVerifies(
                    limitPayloadFromBody(body), body.path("signature").asText(), secret);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false;
        }
    }

    /** Whether a LIMIT body's 65-byte signature verifies against {@code privateKeyHex}'s public key. */
    static boolean ecdsaVerifiesLimit(JsonNode body, String privateKeyHex) {
        try {
            return ecdsaVerifies(
                    limitPayloadFromBody(body), body.path("signature").asText(), privateKeyHex);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false;
        }
    }

    /**
     * Rebuilds the 8-byte payload of a cancel by nonce from a received body, on its own: the
     * body must be {@code {"accountId":<number>,"nonce":"<digits>","signature":…}} (the nonce as a
     * string, as the SDK sends it; no orderId) and the payload is the nonce as u64.
     */
    static byte[] cancelPayloadFromBody(JsonNode body) {
        if (!body.path("accountId").isIntegralNumber()
                || !body.path("nonce").isTextual()
                || body.has("orderId")
                || !body.path("nonce").asText().matches("[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("not a cancel by nonce: " + body);
        }
        return ByteBuffer.allocate(8)
                .putLong(Long.parseLong(body.get("nonce").asText()))
                .array();
    }

    /** Whether the body's signature is the HMAC-SHA256 (key = secret's UTF-8 bytes) of its payload. */
    static boolean hmacVerifies(JsonNode body, String secret) {
        try {
            return hmacVerifies(payloadFromBody(body), body.get("signature").asText(), secret);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false;
        }
    }

    /** Whether a cancel-by-nonce body's signature is the HMAC-SHA256 of its 8-byte payload. */
    static boolean hmacVerifiesCancel(JsonNode body, String secret) {
        try {
            return hmacVerifies(
                    cancelPayloadFromBody(body), body.path("signature").asText(), secret);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean hmacVerifies(byte[] payload, String signature, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Hex.toHexString(mac.doFinal(payload)).equals(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a cancel-by-nonce body's 65-byte signature verifies against {@code privateKeyHex}'s public key. */
    static boolean ecdsaVerifiesCancel(JsonNode body, String privateKeyHex) {
        try {
            return ecdsaVerifies(
                    cancelPayloadFromBody(body), body.path("signature").asText(), privateKeyHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether the body's 65-byte r ‖ s ‖ v signature verifies against the public key of
     * {@code privateKeyHex} over SHA-256(payload), with low S and v the recovery id.
     */
    static boolean ecdsaVerifies(JsonNode body, String privateKeyHex) {
        try {
            return ecdsaVerifies(payloadFromBody(body), body.get("signature").asText(), privateKeyHex);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false;
        }
    }

    private static boolean ecdsaVerifies(byte[] payload, String signature, String privateKeyHex) {
        X9ECParameters curve = CustomNamedCurves.getByName("secp256k1");
        ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
        ECPoint pub = curve.getG()
                .multiply(new BigInteger(privateKeyHex.substring(2), 16))
                .normalize();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(payload);
            byte[] sig = Hex.decode(signature);
            if (sig.length != 65) {
                return false;
            }
            BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
            int v = sig[64];
            ECDSASigner verifier = new ECDSASigner();
            verifier.init(false, new ECPublicKeyParameters(pub, domain));
            boolean lowS = s.compareTo(curve.getN().shiftRight(1)) <= 0;
            boolean recovers = (v == 0 || v == 1) && pub.equals(HibachiSigner.Ecdsa.recover(hash, r, s, v));
            return verifier.verifySignature(hash, r, s) && lowS && recovers;
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
