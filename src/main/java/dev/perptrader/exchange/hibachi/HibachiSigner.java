package dev.perptrader.exchange.hibachi;

import dev.perptrader.config.ConfigError;
import dev.perptrader.config.Secret;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.encoders.Hex;

/**
 * Signs Hibachi's binary payloads (API doc §2.2): {@link Hmac} or {@link Ecdsa}. Pure functions of
 * (payload, key): every call builds its own {@code Mac} or ECDSA signer, so one signer is safe to
 * share between threads. Neither implementation shows its key in {@code toString()}. Not sealed,
 * so that tests can wrap a signer to see when orders are signed.
 */
public interface HibachiSigner {

    /** The config key of the ECDSA private key (trustless accounts). */
    String PRIVATE_KEY = "exchanges.hibachi.private_key";
    /** The config key of the HMAC secret (exchange-managed accounts). */
    String API_SECRET = "exchanges.hibachi.api_secret";

    /** The signature of {@code payload} as lowercase hex, as sent in the {@code signature} field. */
    String sign(byte[] payload);

    /**
     * A signer of the same kind under a fresh random key that no account has: its signatures have
     * the right shape and are wrong. The key proof's control (see {@code HibachiExchange.proveKeys}).
     */
    static HibachiSigner stranger(HibachiSigner like) {
        SecureRandom random = new SecureRandom();
        if (like instanceof Ecdsa) {
            BigInteger d;
            do {
                d = new BigInteger(256, random);
            } while (d.signum() == 0 || d.compareTo(Ecdsa.CURVE.getN()) >= 0);
            return new Ecdsa(d);
        }
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return Hmac.of(Base64.getEncoder().encodeToString(seed));
    }

    /**
     * Chooses the signer from the key's shape: {@code private_key} = {@code 0x} + 64 hex → ECDSA;
     * otherwise {@code api_secret} of 44 characters → HMAC. A private key that is set must be
     * valid. Throws a one-line {@link ConfigError} naming the key and the rule, never the value.
     */
    static HibachiSigner fromConfig(Secret apiSecret, Secret privateKey) {
        if (privateKey != null && privateKey.isPresent()) {
            return Ecdsa.fromHex(privateKey.reveal());
        }
        if (apiSecret != null && apiSecret.isPresent()) {
            return Hmac.of(apiSecret.reveal());
        }
        throw new ConfigError(API_SECRET + " or " + PRIVATE_KEY + " is required for live trading on hibachi: "
                + API_SECRET + " is the 44-character secret of an exchange-managed account, "
                + PRIVATE_KEY + " is 0x followed by 64 hex characters for a trustless account");
    }

    /** HMAC-SHA256 keyed with the secret's UTF-8 bytes as they are (not base64-decoded). */
    final class Hmac implements HibachiSigner {
        static final int SECRET_LENGTH = 44;

        private final byte[] key;

        private Hmac(byte[] key) {
            this.key = key;
        }

        /** Throws {@link ConfigError} unless {@code secret} has 44 characters. */
        static Hmac of(String secret) {
            if (secret.length() != SECRET_LENGTH) {
                throw new ConfigError(API_SECRET + " must be exactly " + SECRET_LENGTH
                        + " characters (the secret of an exchange-managed account), got "
                        + secret.length() + " characters");
            }
            return new Hmac(secret.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String sign(byte[] payload) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return Hex.toHexString(mac.doFinal(payload));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        }

        @Override
        public String toString() {
            return "HibachiSigner.Hmac(****)";
        }
    }

    /**
     * ECDSA on secp256k1 over SHA-256(payload): RFC 6979 nonces, low-S, and the 65-byte
     * {@code r ‖ s ‖ v} form with v the recovery id 0 or 1.
     */
    final class Ecdsa implements HibachiSigner {
        private static final Pattern SHAPE = Pattern.compile("0x[0-9a-fA-F]{64}");
        private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
        private static final ECDomainParameters DOMAIN =
                new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
        private static final BigInteger HALF_N = CURVE.getN().shiftRight(1);

        private final ECPrivateKeyParameters key;
        private final ECPoint publicPoint;

        private Ecdsa(BigInteger d) {
            this.key = new ECPrivateKeyParameters(d, DOMAIN);
            this.publicPoint =
                    new FixedPointCombMultiplier().multiply(DOMAIN.getG(), d).normalize();
        }

        /** Throws {@link ConfigError} unless {@code hex} is 0x + 64 hex digits in [1, n). */
        static Ecdsa fromHex(String hex) {
            if (!SHAPE.matcher(hex).matches()) {
                throw new ConfigError(PRIVATE_KEY + " must be 0x followed by 64 hex characters"
                        + " (the trustless account's API private key)");
            }
            BigInteger d = new BigInteger(hex.substring(2), 16);
            if (d.signum() == 0 || d.compareTo(CURVE.getN()) >= 0) {
                throw new ConfigError(PRIVATE_KEY + " is not a valid secp256k1 private key"
                        + " (it must be between 1 and the curve order)");
            }
            return new Ecdsa(d);
        }

        /** The uncompressed public key without the 04 prefix, as 128 hex characters. */
        String publicKeyHex() {
            byte[] encoded = publicPoint.getEncoded(false);
            return Hex.toHexString(encoded, 1, encoded.length - 1);
        }

        @Override
        public String sign(byte[] payload) {
            byte[] hash = sha256(payload);
            ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
            signer.init(true, key);
            BigInteger[] rs = signer.generateSignature(hash);
            BigInteger r = rs[0];
            BigInteger s = rs[1];
            if (s.compareTo(HALF_N) > 0) {
                s = CURVE.getN().subtract(s);
            }
            int v = recoveryId(hash, r, s);
            byte[] out = new byte[65];
            copy32(r, out, 0);
            copy32(s, out, 32);
            out[64] = (byte) v;
            return Hex.toHexString(out);
        }

        private int recoveryId(byte[] hash, BigInteger r, BigInteger s) {
            for (int recId = 0; recId < 2; recId++) {
                ECPoint q = recover(hash, r, s, recId);
                if (q != null && q.equals(publicPoint)) {
                    return recId;
                }
            }
            throw new IllegalStateException("no recovery id reproduces the public key");
        }

        /** SEC 1 §4.1.6 public key recovery for x = r (recId 0 or 1); null if R is not on the curve. */
        static ECPoint recover(byte[] hash, BigInteger r, BigInteger s, int recId) {
            BigInteger n = CURVE.getN();
            byte[] compressed = new byte[33];
            compressed[0] = (byte) (0x02 | (recId & 1));
            copy32(r, compressed, 1);
            ECPoint bigR;
            try {
                bigR = CURVE.getCurve().decodePoint(compressed);
            } catch (IllegalArgumentException notOnCurve) {
                return null;
            }
            BigInteger e = new BigInteger(1, hash);
            BigInteger rInv = r.modInverse(n);
            ECPoint sR = bigR.multiply(s);
            ECPoint eG = DOMAIN.getG().multiply(e.mod(n));
            return sR.subtract(eG).multiply(rInv).normalize();
        }

        private static void copy32(BigInteger v, byte[] out, int offset) {
            byte[] raw = v.toByteArray();
            int skip = raw.length > 32 ? raw.length - 32 : 0;
            int len = raw.length - skip;
            System.arraycopy(raw, skip, out, offset + 32 - len, len);
        }

        static byte[] sha256(byte[] payload) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(payload);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 unavailable", e);
            }
        }

        @Override
        public String toString() {
            return "HibachiSigner.Ecdsa(****)";
        }
    }
}
