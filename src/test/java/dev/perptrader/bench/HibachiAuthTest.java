package dev.perptrader.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.config.Secret;
import dev.perptrader.exchange.hibachi.HibachiSigner;
import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The local Hibachi's signature checks, against the vectors of the api doc (§2.4, computed with
 * libsecp256k1 and @noble/curves) and signatures the real client's signer makes.
 */
final class HibachiAuthTest {
    private static final HexFormat HEX = HexFormat.of();
    /** V1: MARKET BID 0.001 BTC, nonce 1714701600000000, maxFeesPercent 0.00045. */
    private static final byte[] V1 =
            HEX.parseHex("0006178313c38800" + "00000002" + "0000000000989680" + "00000001" + "000000000000afc8");

    private static final String V1_ECDSA = "4370334d0286d0948187ba2e5da0085839a4d163e4781754f3cad9ebd16625ad"
            + "3b71361b44d3d5cbcab64fba30cf52714d4f41ae636404f0eff6b6eaa068825e00";
    private static final String V1_HMAC = "3abe22d488bc41ee2b7df45d1380ad0f722091e337933c4a248812b28581a586";
    /** V4: cancel orderId 578721673790138368 (its recovery id is 1). */
    private static final byte[] V4 = HEX.parseHex("0808084bce14a800");

    private static final String V4_ECDSA = "6e1b4d5adfeec6b198779bcd0f470dad23d5b0630917e01b5e7df0b72524973a"
            + "5a732b27100da2ed65871b8df6ff813ce15b1be815e8f88963ef5647553e959f01";
    /** The public key of 0x11…11, uncompressed. */
    private static final byte[] PUBLIC = HEX.parseHex("04"
            + "4f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa"
            + "385b6b1b8ead809ca67454d9683fcf2ba03456d6fe2c4abe2b07f0fbdbb2f1c1");

    private static final HibachiAuth ECDSA = HibachiAuth.ecdsa(PUBLIC);
    private static final HibachiAuth HMAC = HibachiAuth.hmac("dGVzdC1vbmx5LWhtYWMta2V5LWZvci12ZWN0b3JzISE=");

    @Test
    void theDocumentedSignaturesAreAccepted() {
        assertThat(ECDSA.verifies(V1, V1_ECDSA)).isTrue();
        assertThat(ECDSA.verifies(V4, V4_ECDSA)).isTrue();
        assertThat(ECDSA.verifies(V1, V1_ECDSA.toUpperCase())).isTrue();
        assertThat(HMAC.verifies(V1, V1_HMAC)).isTrue();
    }

    @Test
    void anEcdsaSignatureOfAnotherPayloadOrWithAFlippedBitIsRefused() {
        assertThat(ECDSA.verifies(V4, V1_ECDSA)).as("another payload").isFalse();
        byte[] changed = V1.clone();
        changed[31] ^= 1;
        assertThat(ECDSA.verifies(changed, V1_ECDSA)).as("a changed payload").isFalse();
        for (int bit : new int[] {0, 255, 256, 511}) {
            byte[] sig = HEX.parseHex(V1_ECDSA);
            sig[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(ECDSA.verifies(V1, HEX.formatHex(sig)))
                    .as("bit %d flipped", bit)
                    .isFalse();
        }
    }

    @Test
    void anEcdsaSignatureWithTheWrongRecoveryIdOrAHighSIsRefused() {
        byte[] sig = HEX.parseHex(V1_ECDSA);
        sig[64] = 1;
        assertThat(ECDSA.verifies(V1, HEX.formatHex(sig)))
                .as("v = 1 for a v = 0 signature")
                .isFalse();
        sig[64] = 27;
        assertThat(ECDSA.verifies(V1, HEX.formatHex(sig))).as("v = 27").isFalse();

        // (r, n − s) with the other recovery id is the same signature with a high S
        BigInteger n = BenchKeys.SECP256K1.getN();
        BigInteger s = new BigInteger(1, HEX.parseHex(V1_ECDSA.substring(64, 128)));
        String highS = V1_ECDSA.substring(0, 64) + String.format("%064x", n.subtract(s)) + "01";
        assertThat(ECDSA.verifies(V1, highS)).as("high S").isFalse();
    }

    @Test
    void anEcdsaSignatureOfTheWrongShapeIsRefused() {
        assertThat(ECDSA.verifies(V1, null)).isFalse();
        assertThat(ECDSA.verifies(V1, "")).isFalse();
        assertThat(ECDSA.verifies(V1, V1_ECDSA.substring(0, 128))).as("no v").isFalse();
        assertThat(ECDSA.verifies(V1, "zz" + V1_ECDSA.substring(2)))
                .as("not hex")
                .isFalse();
        assertThat(ECDSA.verifies(V1, "00".repeat(65))).as("r = s = 0").isFalse();
    }

    @Test
    void eachAccountRefusesTheOtherKindOfSignature() {
        assertThat(ECDSA.verifies(V1, V1_HMAC)).isFalse();
        assertThat(HMAC.verifies(V1, V1_ECDSA)).isFalse();
    }

    @Test
    void theRealClientsSignerIsAcceptedUnderItsOwnKeyAndRefusedUnderAnother() {
        BenchKeys keys = BenchKeys.generate();
        HibachiSigner signer = HibachiSigner.fromConfig(Secret.empty(), Secret.of(keys.hibachiPrivateKey()));
        HibachiAuth own = HibachiAuth.of(keys, BenchOptions.HibachiSigning.ECDSA);
        HibachiAuth other = HibachiAuth.of(BenchKeys.generate(), BenchOptions.HibachiSigning.ECDSA);
        for (byte[] payload : new byte[][] {V1, V4, HibachiAuth.cancelPayload(42)}) {
            String sig = signer.sign(payload);
            assertThat(own.verifies(payload, sig)).isTrue();
            assertThat(other.verifies(payload, sig)).isFalse();
        }
        HibachiSigner hmac = HibachiSigner.fromConfig(Secret.of(keys.hibachiSecret()), Secret.empty());
        assertThat(HibachiAuth.of(keys, BenchOptions.HibachiSigning.HMAC).verifies(V1, hmac.sign(V1)))
                .isTrue();
        assertThat(own.verifies(V1, hmac.sign(V1))).isFalse();
    }
}
