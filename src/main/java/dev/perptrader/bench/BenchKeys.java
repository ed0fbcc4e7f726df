package dev.perptrader.bench;

import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Ephemeral credentials for one bench run, made at start and kept in memory only: a Backpack
 * ED25519 key pair (the API secret is the base64 seed, the API key its public key) and a Hibachi
 * API key, HMAC secret (44 characters) and account id. Never printed: {@link #toString()} masks
 * them.
 */
final class BenchKeys {
    private final String backpackKey;
    private final String backpackSecret;
    private final byte[] backpackPublic;
    private final String hibachiKey;
    private final String hibachiSecret;
    private final long hibachiAccount;

    private BenchKeys(
            String backpackKey,
            String backpackSecret,
            byte[] backpackPublic,
            String hibachiKey,
            String hibachiSecret,
            long hibachiAccount) {
        this.backpackKey = backpackKey;
        this.backpackSecret = backpackSecret;
        this.backpackPublic = backpackPublic;
        this.hibachiKey = hibachiKey;
        this.hibachiSecret = hibachiSecret;
        this.hibachiAccount = hibachiAccount;
    }

    /** Fresh random keys. */
    static BenchKeys generate() {
        SecureRandom random = new SecureRandom();
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        byte[] pub =
                new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
        Base64.Encoder b64 = Base64.getEncoder();
        byte[] apiKey = new byte[24];
        random.nextBytes(apiKey);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        long account = 10_000 + random.nextInt(90_000);
        return new BenchKeys(
                b64.encodeToString(pub),
                b64.encodeToString(seed),
                pub,
                Base64.getUrlEncoder().withoutPadding().encodeToString(apiKey),
                b64.encodeToString(secret),
                account);
    }

    /** Backpack's X-API-Key: base64 of the public key. */
    String backpackKey() {
        return backpackKey;
    }

    /** Backpack's API secret: base64 of the 32-byte seed. */
    String backpackSecret() {
        return backpackSecret;
    }

    byte[] backpackPublicKey() {
        return backpackPublic.clone();
    }

    /** Hibachi's API key, sent as the Authorization header. */
    String hibachiKey() {
        return hibachiKey;
    }

    /** Hibachi's 44-character HMAC secret, used as its UTF-8 bytes. */
    String hibachiSecret() {
        return hibachiSecret;
    }

    long hibachiAccount() {
        return hibachiAccount;
    }

    @Override
    public String toString() {
        return "BenchKeys[****]";
    }
}
