package dev.perptrader.exchange.hyperliquid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Signs Hyperliquid L1 actions (order, cancelByCloid, updateLeverage and every other action of
 * api/hyperliquid.md §2.1) with one secp256k1 key: the account's own key or, as the README
 * recommends, an API wallet ("agent") key approved by it. One generic recipe for every action:
 * the action's MessagePack bytes (its map keys in the order given, which must be the server's),
 * the nonce and the vault, hashed with Keccak into the connection id; the phantom agent
 * {source, connectionId} hashed as EIP-712 typed data on domain "Exchange", chainId 1337; and
 * a deterministic (RFC 6979) ECDSA signature with low s and v = 27 or 28.
 *
 * <p>The key never leaves this object: {@link #toString} shows the signer's address only.
 */
public final class HyperliquidSigner {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final BigInteger N = CURVE.getN();
    private static final BigInteger HALF_N = N.shiftRight(1);
    private static final HexFormat HEX = HexFormat.of();

    /** keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"). */
    static final byte[] DOMAIN_TYPE_HASH =
            keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /** keccak("Agent(string source,bytes32 connectionId)"). */
    static final byte[] AGENT_TYPE_HASH = keccak("Agent(string source,bytes32 connectionId)");
    /** The EIP-712 domain of L1 actions: "Exchange", version "1", chainId 1337, the zero contract. */
    static final byte[] EXCHANGE_DOMAIN = Keccak.hash(
            DOMAIN_TYPE_HASH, keccak("Exchange"), keccak("1"), uint256(BigInteger.valueOf(1337)), new byte[32]);

    private final BigInteger key;
    private final String address;

    private HyperliquidSigner(BigInteger key) {
        this.key = key;
        this.address = addressOf(CURVE.getG().multiply(key).normalize());
    }

    /**
     * The signer of a 32-byte private key in hex ("0x" optional). A malformed key is refused
     * with a message that does not repeat it.
     */
    public static HyperliquidSigner ofPrivateKey(String hex) {
        String h = hex == null ? "" : hex.strip();
        if (h.startsWith("0x") || h.startsWith("0X")) {
            h = h.substring(2);
        }
        if (h.length() != 64) {
            throw new IllegalArgumentException(
                    "a Hyperliquid private key is 64 hex digits (32 bytes, \"0x\" optional); the one given has "
                            + h.length() + " characters");
        }
        if (!h.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException(
                    "a Hyperliquid private key is 64 hex digits (32 bytes, \"0x\" optional); the one given has a"
                            + " character that is not a hex digit");
        }
        BigInteger d = new BigInteger(h, 16);
        if (d.signum() == 0 || d.compareTo(N) >= 0) {
            throw new IllegalArgumentException("the Hyperliquid private key is not a valid secp256k1 key");
        }
        return new HyperliquidSigner(d);
    }

    /** The signer's address, lower case with "0x": what the venue recovers from each signature. */
    public String address() {
        return address;
    }

    /** An ECDSA signature as the venue takes it. */
    public record Signature(BigInteger r, BigInteger s, int v) {
        /** The body's {@code signature} object: r and s as 0x-hex of 64 digits, v as a number. */
        public Map<String, Object> wire() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("r", "0x" + String.format("%064x", r));
            out.put("s", "0x" + String.format("%064x", s));
            out.put("v", v);
            return out;
        }
    }

    /** An L1 action signed, with the bytes on the way (for tests and for debugging a refusal). */
    public record Signed(byte[] msgpack, byte[] connectionId, byte[] digest, Signature signature) {}

    /**
     * Signs {@code action} (its maps ordered as the server orders them) for {@code network}:
     * {@code vaultAddress} is null unless trading for a vault or sub-account, {@code expiresAfter}
     * null unless the action carries one (both then go in the body too).
     */
    public Signed signL1(
            Map<String, ?> action, long nonce, String vaultAddress, Long expiresAfter, HyperliquidNetwork network) {
        byte[] packed = msgpack(action);
        byte[] cid = connectionId(packed, nonce, vaultAddress, expiresAfter);
        byte[] digest = agentDigest(cid, network);
        return new Signed(packed, cid, digest, signDigest(digest));
    }

    /**
     * The Keccak hash of the action's bytes, the nonce (8 bytes, big-endian), 0x00 or 0x01 and
     * the vault's 20 bytes, and, when given, 0x00 and expiresAfter (8 bytes).
     */
    static byte[] connectionId(byte[] packedAction, long nonce, String vaultAddress, Long expiresAfter) {
        ByteBuffer b = ByteBuffer.allocate(packedAction.length + 8 + 21 + 9);
        b.put(packedAction).putLong(nonce);
        if (vaultAddress == null) {
            b.put((byte) 0);
        } else {
            b.put((byte) 1).put(addressBytes(vaultAddress));
        }
        if (expiresAfter != null) {
            b.put((byte) 0).putLong(expiresAfter);
        }
        byte[] data = new byte[b.position()];
        b.flip().get(data);
        return Keccak.hash(data);
    }

    /** The EIP-712 digest of the phantom agent {source, connectionId} on the Exchange domain. */
    static byte[] agentDigest(byte[] connectionId, HyperliquidNetwork network) {
        byte[] struct = Keccak.hash(AGENT_TYPE_HASH, keccak(network.agentSource()), connectionId);
        return Keccak.hash(new byte[] {0x19, 0x01}, EXCHANGE_DOMAIN, struct);
    }

    /**
     * Signs a 32-byte digest: k from RFC 6979 (HMAC-SHA256), as the SDKs do, so a digest always
     * gets the same signature; s made low; v = 27 + the parity of R's y (flipped with s).
     */
    public Signature signDigest(byte[] digest) {
        if (digest.length != 32) {
            throw new IllegalArgumentException("a digest is 32 bytes, not " + digest.length);
        }
        BigInteger e = new BigInteger(1, digest);
        HMacDSAKCalculator k = new HMacDSAKCalculator(new SHA256Digest());
        k.init(N, key, digest);
        while (true) {
            BigInteger kk = k.nextK();
            ECPoint big = CURVE.getG().multiply(kk).normalize();
            BigInteger rx = big.getAffineXCoord().toBigInteger();
            BigInteger r = rx.mod(N);
            if (r.signum() == 0 || rx.compareTo(N) >= 0) {
                continue; // R's x beyond n cannot be told by v = 27/28: take the next k
            }
            BigInteger s = kk.modInverse(N).multiply(e.add(key.multiply(r))).mod(N);
            if (s.signum() == 0) {
                continue;
            }
            int parity = big.getAffineYCoord().toBigInteger().testBit(0) ? 1 : 0;
            if (s.compareTo(HALF_N) > 0) {
                s = N.subtract(s);
                parity ^= 1;
            }
            return new Signature(r, s, 27 + parity);
        }
    }

    /**
     * MessagePack of an action: maps in their own key order, lists, strings (str8 from 32
     * bytes), booleans, integers in their smallest form (a BigInteger for uint64 beyond a long),
     * null as nil. Anything else (a double, a BigDecimal) is refused: no number in an action is
     * a float, prices and sizes are strings.
     */
    static byte[] msgpack(Object value) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            pack(p, value);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pack(MessageBufferPacker p, Object v) throws IOException {
        if (v == null) {
            p.packNil();
        } else if (v instanceof String s) {
            p.packString(s);
        } else if (v instanceof Boolean b) {
            p.packBoolean(b);
        } else if (v instanceof Integer || v instanceof Long) {
            p.packLong(((Number) v).longValue());
        } else if (v instanceof BigInteger i) {
            p.packBigInteger(i);
        } else if (v instanceof Map<?, ?> m) {
            p.packMapHeader(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                p.packString((String) e.getKey());
                pack(p, e.getValue());
            }
        } else if (v instanceof List<?> l) {
            p.packArrayHeader(l.size());
            for (Object o : l) {
                pack(p, o);
            }
        } else {
            throw new IllegalArgumentException("an action holds maps, lists, strings, booleans and integers, not "
                    + v.getClass().getSimpleName());
        }
    }

    private static String addressOf(ECPoint publicKey) {
        byte[] uncompressed = publicKey.getEncoded(false);
        byte[] hash = Keccak.hash(java.util.Arrays.copyOfRange(uncompressed, 1, uncompressed.length));
        return "0x" + HEX.formatHex(hash, 12, 32);
    }

    private static byte[] addressBytes(String address) {
        String h = address.toLowerCase(Locale.ROOT);
        if (!h.matches("0x[0-9a-f]{40}")) {
            throw new IllegalArgumentException("not an address (0x and 40 hex digits): " + address);
        }
        return HEX.parseHex(h.substring(2));
    }

    private static byte[] keccak(String utf8) {
        return Keccak.hash(utf8.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] uint256(BigInteger v) {
        byte[] out = new byte[32];
        byte[] raw = v.toByteArray();
        System.arraycopy(raw, 0, out, 32 - raw.length, raw.length);
        return out;
    }

    @Override
    public String toString() {
        return "HyperliquidSigner[" + address + "]";
    }
}
