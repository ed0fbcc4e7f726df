package dev.perptrader.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the local Hibachi checks a signed write (api doc §2): the signature is the lowercase hex
 * HMAC-SHA256, keyed with the secret's UTF-8 bytes, of the binary payload the venue rebuilds from
 * the body. A market order: nonce(8) ‖ contractId(4) ‖ quantity × 10^decimals(8) ‖ side (ASK 0,
 * BID 1)(4) ‖ maxFeesPercent × 10^8(8), big-endian; a cancel: the order id or nonce as 8 bytes.
 * Built here from the documented layout, independently of the client's own encoder.
 */
final class HibachiAuth {
    private final byte[] secret;

    HibachiAuth(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The payload of a MARKET order as the body states it; empty when a field cannot be encoded
     * (a quantity finer than the contract's decimals, a missing field).
     */
    static Optional<byte[]> orderPayload(JsonNode body, BenchMarkets.Market market) {
        try {
            long nonce = Long.parseLong(body.path("nonce").asText());
            BigInteger qty = new BigDecimal(body.path("quantity").asText())
                    .movePointRight(market.decimals())
                    .toBigIntegerExact();
            String side = body.path("side").asText();
            int sideCode = side.equals("BID") ? 1 : side.equals("ASK") ? 0 : -1;
            BigInteger fees = new BigDecimal(body.path("maxFeesPercent").asText())
                    .movePointRight(8)
                    .setScale(0, RoundingMode.DOWN)
                    .toBigIntegerExact();
            if (sideCode < 0
                    || nonce < 0
                    || qty.signum() <= 0
                    || qty.bitLength() > 63
                    || fees.signum() < 0
                    || fees.bitLength() > 63) {
                return Optional.empty();
            }
            return Optional.of(ByteBuffer.allocate(32)
                    .putLong(nonce)
                    .putInt((int) market.contractId())
                    .putLong(qty.longValue())
                    .putInt(sideCode)
                    .putLong(fees.longValue())
                    .array());
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** The payload of a cancel: {@code id} (an order id or a nonce) as 8 bytes. */
    static byte[] cancelPayload(long id) {
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    /** Whether {@code signatureHex} is our HMAC of {@code payload}. */
    boolean verifies(byte[] payload, String signatureHex) {
        if (signatureHex == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] expected = HexFormat.of().formatHex(mac.doFinal(payload)).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, signatureHex.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
