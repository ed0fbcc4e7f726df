package dev.perptrader.exchange.backpack;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Backpack request signing (api doc §2): the signing string and its ED25519 signature. Pure
 * functions; a fresh {@link Ed25519Signer} per call, so concurrent requests never share state.
 */
final class BackpackSigner {
    /** Length of an ED25519 seed (the API secret) and of a public key (the API key), in bytes. */
    static final int KEY_BYTES = 32;

    private BackpackSigner() {}

    /**
     * {@code instruction=<name>&<k=v sorted by key>&timestamp=<ts>&window=<w>}. Values must be
     * exactly what goes on the wire: strings raw (decimals already as plain strings), booleans
     * lowercase, integers as digits. A {@code null} value or a {@link java.math.BigDecimal} is a
     * programming error: omit the parameter, or send the decimal as the string you sign.
     */
    static String signingString(String instruction, Map<String, ?> params, long timestampMs, long windowMs) {
        if (instruction == null || instruction.isBlank()) {
            throw new IllegalArgumentException("instruction is blank");
        }
        StringBuilder s = new StringBuilder("instruction=").append(instruction);
        new TreeMap<String, Object>(params)
                .forEach((k, v) -> s.append('&').append(k).append('=').append(text(k, v)));
        return s.append("&timestamp=")
                .append(timestampMs)
                .append("&window=")
                .append(windowMs)
                .toString();
    }

    /** The wire text of one parameter value, as signed and as put in a query string. */
    static String text(String key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("null value for '" + key + "': omit the parameter instead");
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (value instanceof Long || value instanceof Integer || value instanceof BigInteger) {
            return value.toString();
        }
        throw new IllegalArgumentException("unsupported value for '" + key + "' ("
                + value.getClass().getSimpleName() + "): decimals go as plain strings");
    }

    /** Base64 of the 64-byte ED25519 signature of {@code message} (UTF-8) under {@code seed}. */
    static String sign(byte[] seed, String message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey(seed));
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        signer.update(bytes, 0, bytes.length);
        return Base64.getEncoder().encodeToString(signer.generateSignature());
    }

    /** Base64 of the public key belonging to {@code seed}: the value of {@code X-API-Key}. */
    static String publicKey(byte[] seed) {
        return Base64.getEncoder()
                .encodeToString(privateKey(seed).generatePublicKey().getEncoded());
    }

    private static Ed25519PrivateKeyParameters privateKey(byte[] seed) {
        if (seed == null || seed.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "seed length != " + KEY_BYTES + ": " + (seed == null ? "null" : seed.length));
        }
        return new Ed25519PrivateKeyParameters(seed, 0);
    }
}
