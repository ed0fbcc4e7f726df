package dev.perptrader.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * How the local Hibachi checks a signed write (api doc §2), for either kind of account:
 * <ul>
 *   <li>exchange-managed ({@link #hmac}): the signature is the lowercase hex HMAC-SHA256, keyed
 *       with the secret's UTF-8 bytes, of the payload;
 *   <li>trustless ({@link #ecdsa}): the signature is 65 bytes in hex, {@code r ‖ s ‖ v}, an ECDSA
 *       secp256k1 signature of SHA-256(payload) that verifies under the account's public key,
 *       with a low S (as the SDK signs; a high S is refused, so a client that does not normalise
 *       is caught) and v the recovery id (0 or 1) that recovers that same key.
 * </ul>
 * The payload is rebuilt from the body. A market order: nonce(8) ‖ contractId(4) ‖ quantity ×
 * 10^decimals(8) ‖ side (ASK 0, BID 1)(4) ‖ maxFeesPercent × 10^8(8), big-endian; a cancel: the
 * order id or nonce as 8 bytes. Built here from the documented layout, independently of the
 * client's own encoder and signer. Thread-safe: every check builds its own Mac or verifier.
 */
final class HibachiAuth {
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(
            BenchKeys.SECP256K1.getCurve(),
            BenchKeys.SECP256K1.getG(),
            BenchKeys.SECP256K1.getN(),
            BenchKeys.SECP256K1.getH());
    private static final BigInteger HALF_N = DOMAIN.getN().shiftRight(1);
    private static final int ECDSA_SIGNATURE_BYTES = 65;

    private final byte[] secret;
    private final ECPoint publicKey;

    private HibachiAuth(byte[] secret, ECPoint publicKey) {
        this.secret = secret;
        this.publicKey = publicKey;
    }

    /** An exchange-managed account's check: HMAC-SHA256 under {@code secret}'s UTF-8 bytes. */
    static HibachiAuth hmac(String secret) {
        return new HibachiAuth(secret.getBytes(StandardCharsets.UTF_8), null);
    }

    /** A trustless account's check: ECDSA secp256k1 under {@code publicKey} (SEC 1 encoded). */
    static HibachiAuth ecdsa(byte[] publicKey) {
        ECPoint q = DOMAIN.getCurve().decodePoint(publicKey).normalize();
        return new HibachiAuth(null, q);
    }

    /** The check of the bench's Hibachi account when it signs as {@code signing} says. */
    static HibachiAuth of(BenchKeys keys, BenchOptions.HibachiSigning signing) {
        return switch (signing) {
            case HMAC -> hmac(keys.hibachiSecret());
            case ECDSA -> ecdsa(keys.hibachiPublicKey());
        };
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

    /** Whether {@code signatureHex} is this account's signature of {@code payload}. */
    boolean verifies(byte[] payload, String signatureHex) {
        if (signatureHex == null) {
            return false;
        }
        return publicKey == null ? verifiesHmac(payload, signatureHex) : verifiesEcdsa(payload, signatureHex);
    }

    private boolean verifiesHmac(byte[] payload, String signatureHex) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] expected = HexFormat.of().formatHex(mac.doFinal(payload)).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, signatureHex.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private boolean verifiesEcdsa(byte[] payload, String signatureHex) {
        if (signatureHex.length() != 2 * ECDSA_SIGNATURE_BYTES) {
            return false;
        }
        byte[] sig;
        try {
            sig = HexFormat.of().parseHex(signatureHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        BigInteger r = new BigInteger(1, sig, 0, 32);
        BigInteger s = new BigInteger(1, sig, 32, 32);
        int v = sig[64] & 0xff;
        if (r.signum() == 0 || r.compareTo(DOMAIN.getN()) >= 0 || s.signum() == 0 || s.compareTo(HALF_N) > 0) {
            return false;
        }
        if (v > 1) {
            return false;
        }
        byte[] hash = sha256(payload);
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(publicKey, DOMAIN));
        if (!verifier.verifySignature(hash, r, s)) {
            return false;
        }
        return recover(hash, r, s, v).map(publicKey::equals).orElse(false);
    }

    /**
     * The public key that signed {@code hash} as (r, s), from the point R whose x is r and whose
     * y has the parity {@code recoveryId}: Q = r⁻¹(sR − eG) (SEC 1 §4.1.6, only x = r). Empty
     * when no such R is on the curve.
     */
    static Optional<ECPoint> recover(byte[] hash, BigInteger r, BigInteger s, int recoveryId) {
        BigInteger n = DOMAIN.getN();
        byte[] encoded = new byte[33];
        encoded[0] = (byte) (recoveryId == 1 ? 0x03 : 0x02);
        byte[] x = r.toByteArray();
        int from = Math.max(0, x.length - 32);
        System.arraycopy(x, from, encoded, 33 - (x.length - from), x.length - from);
        ECPoint bigR;
        try {
            bigR = DOMAIN.getCurve().decodePoint(encoded);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        BigInteger rInverse = r.modInverse(n);
        BigInteger e = new BigInteger(1, hash).mod(n);
        BigInteger u1 = n.subtract(e).multiply(rInverse).mod(n);
        BigInteger u2 = s.multiply(rInverse).mod(n);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(DOMAIN.getG(), u1, bigR, u2).normalize();
        return q.isInfinity() ? Optional.empty() : Optional.of(q);
    }

    private static byte[] sha256(byte[] payload) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(payload);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
