package dev.perptrader.exchange.backpack;

import dev.perptrader.config.ConfigError;
import dev.perptrader.config.Secret;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * A validated Backpack key pair: the 32-byte ED25519 seed (the API secret) and the public key
 * derived from it, which must equal the configured API key. Nothing here ever prints a key.
 */
final class BackpackCredentials implements RequestSigner {
    private static final String KEY = "exchanges.backpack.api_key";
    private static final String SECRET = "exchanges.backpack.api_secret";

    private final byte[] seed;
    private final String apiKey;

    private BackpackCredentials(byte[] seed, String apiKey) {
        this.seed = seed;
        this.apiKey = apiKey;
    }

    /**
     * Checks the configured pair. Throws {@link ConfigError} naming the key and the rule; the
     * message never contains either value (nor a decoder message, which could quote the input).
     */
    static BackpackCredentials of(Secret apiKey, Secret apiSecret) {
        if (apiSecret == null || !apiSecret.isPresent()) {
            throw new ConfigError(
                    SECRET + " is required for live trading" + " (base64 of the 32-byte ED25519 private key seed)");
        }
        if (apiKey == null || !apiKey.isPresent()) {
            throw new ConfigError(KEY + " is required for live trading (base64 of the 32-byte ED25519 public key)");
        }
        byte[] seed = decode(apiSecret.reveal(), SECRET, "the 32-byte ED25519 private key seed");
        if (seed.length != BackpackSigner.KEY_BYTES) {
            int n = seed.length;
            Arrays.fill(seed, (byte) 0);
            throw new ConfigError(SECRET + " must decode to exactly 32 bytes (an ED25519 seed), got " + n + " bytes"
                    + (n == 64 ? "; it looks like seed and public key together: configure only the 32-byte seed" : ""));
        }
        byte[] configured = decode(apiKey.reveal(), KEY, "the 32-byte ED25519 public key");
        String derived = BackpackSigner.publicKey(seed);
        if (!MessageDigest.isEqual(configured, Base64.getDecoder().decode(derived))) {
            Arrays.fill(seed, (byte) 0);
            throw new ConfigError(KEY + " must be the public key of " + SECRET
                    + " (the key derived from the secret does not match): check that both come from the same key pair");
        }
        return new BackpackCredentials(seed, derived);
    }

    private static byte[] decode(String text, String key, String what) {
        try {
            return Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigError(key + " must be standard base64 of " + what);
        }
    }

    /** The X-API-Key value (base64 public key; not a secret, but still not printed). */
    @Override
    public String apiKey() {
        return apiKey;
    }

    /** The X-Signature value for a signing string. */
    @Override
    public String sign(String signingString) {
        return BackpackSigner.sign(seed, signingString);
    }

    @Override
    public String toString() {
        return "BackpackCredentials[apiKey=****, apiSecret=****]";
    }
}
