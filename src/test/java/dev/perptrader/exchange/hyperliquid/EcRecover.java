package dev.perptrader.exchange.hyperliquid;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The venue's side of a signature, written apart from the signer: the address that signed a
 * digest, recovered from (r, s, v) as Ethereum's ecrecover does, Q = r⁻¹(sR − eG) with R the
 * curve point whose x is r and whose y has v's parity. Stubs compare it with the configured
 * address. Shares only Keccak with the code under test.
 */
final class EcRecover {
    private static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");

    private EcRecover() {}

    /** The lower-case 0x address that signed {@code digest}; throws if (r, s, v) is no signature. */
    static String signer(byte[] digest, BigInteger r, BigInteger s, int v) {
        BigInteger n = SECP256K1.getN();
        if (v != 27 && v != 28) {
            throw new IllegalArgumentException("v must be 27 or 28, not " + v);
        }
        if (r.signum() <= 0 || r.compareTo(n) >= 0 || s.signum() <= 0 || s.compareTo(n.shiftRight(1)) > 0) {
            throw new IllegalArgumentException("r or s out of range (or s not low)");
        }
        ECCurve curve = SECP256K1.getCurve();
        byte[] compressed = new byte[33];
        compressed[0] = (byte) (v == 27 ? 0x02 : 0x03);
        byte[] x = r.toByteArray();
        int len = Math.min(x.length, 32);
        System.arraycopy(x, x.length - len, compressed, 33 - len, len);
        ECPoint big = curve.decodePoint(compressed); // throws when r is no point's x
        BigInteger rInverse = r.modInverse(n);
        BigInteger e = new BigInteger(1, digest);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(
                        SECP256K1.getG(),
                        e.negate().mod(n).multiply(rInverse).mod(n),
                        big,
                        s.multiply(rInverse).mod(n))
                .normalize();
        if (q.isInfinity()) {
            throw new IllegalArgumentException("no key recovers from this signature");
        }
        byte[] pub = q.getEncoded(false);
        byte[] hash = Keccak.hash(Arrays.copyOfRange(pub, 1, pub.length));
        return "0x" + HexFormat.of().formatHex(hash, 12, 32);
    }
}
