package dev.perptrader.bench;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Ephemeral credentials for one bench run, made at start and kept in memory only: a Backpack
 * ED25519 key pair (the API secret is the base64 seed, the API key its public key) and a Hibachi
 * API key, account id, HMAC secret (44 characters, an exchange-managed account) and secp256k1
 * key pair (0x + 64 hex, a trustless account). Never printed: {@link #toString()} masks them.
 */
final class BenchKeys {
    /** secp256k1, the curve of Hibachi's trustless accounts. */
    static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");

    private final String backpackKey;
    private final String backpackSecret;
    private final byte[] backpackPublic;
    private final String hibachiKey;
    private final String hibachiSecret;
    private final String hibachiPrivateKey;
    private final byte[] hibachiPublic;
    private final long hibachiAccount;

    private BenchKeys(
            String backpackKey,
            String backpackSecret,
            byte[] backpackPublic,
            String hibachiKey,
            String hibachiSecret,
            String hibachiPrivateKey,
            byte[] hibachiPublic,
            long hibachiAccount) {
        this.backpackKey = backpackKey;
        this.backpackSecret = backpackSecret;
        this.backpackPublic = backpackPublic;
        this.hibachiKey = hibachiKey;
        this.hibachiSecret = hibachiSecret;
        this.hibachiPrivateKey = hibachiPrivateKey;
        this.hibachiPublic = hibachiPublic;
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
        BigInteger d = secp256k1Scalar(random);
        byte[] ecPublic = new FixedPointCombMultiplier()
                .multiply(SECP256K1.getG(), d)
                .normalize()
                .getEncoded(false);
        long account = 10_000 + random.nextInt(90_000);
        return new BenchKeys(
                b64.encodeToString(pub),
                b64.encodeToString(seed),
                pub,
                Base64.getUrlEncoder().withoutPadding().encodeToString(apiKey),
                b64.encodeToString(secret),
                String.format("0x%064x", d),
                ecPublic,
                account);
    }

    /** A uniformly random private key in [1, n). */
    static BigInteger secp256k1Scalar(SecureRandom random) {
        BigInteger d;
        do {
            d = new BigInteger(256, random);
        } while (d.signum() == 0 || d.compareTo(SECP256K1.getN()) >= 0);
        return d;
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

    /** Hibachi's trustless-account private key: 0x and 64 hex digits. */
    String hibachiPrivateKey() {
        return hibachiPrivateKey;
    }

    /** The public key of {@link #hibachiPrivateKey()}: 65 bytes, uncompressed (04 ‖ x ‖ y). */
    byte[] hibachiPublicKey() {
        return hibachiPublic.clone();
    }

    long hibachiAccount() {
        return hibachiAccount;
    }

    @Override
    public String toString() {
        return "BenchKeys[****]";
    }
}
