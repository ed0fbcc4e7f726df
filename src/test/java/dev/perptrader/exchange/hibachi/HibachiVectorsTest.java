package dev.perptrader.exchange.hibachi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.domain.OrderSide;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The five worked examples of the API doc §2.4, payload and both signatures, bit for bit. */
final class HibachiVectorsTest {
    static final String HMAC_SECRET = "dGVzdC1vbmx5LWhtYWMta2V5LWZvci12ZWN0b3JzISE=";
    static final String PRIVATE_KEY = "0x1111111111111111111111111111111111111111111111111111111111111111";

    private static final BigDecimal FEE = new BigDecimal("0.00045");

    enum Vector {
        V1_MARKET_BID_BTC(
                HibachiPayloads.marketOrder(1714701600000000L, 2, new BigDecimal("0.001"), 10, OrderSide.BUY, FEE),
                "0006178313c38800" + "00000002" + "0000000000989680" + "00000001" + "000000000000afc8",
                "3abe22d488bc41ee2b7df45d1380ad0f722091e337933c4a248812b28581a586",
                "4370334d0286d0948187ba2e5da0085839a4d163e4781754f3cad9ebd16625ad"
                        + "3b71361b44d3d5cbcab64fba30cf52714d4f41ae636404f0eff6b6eaa068825e00"),
        V2_LIMIT_ASK_BTC(
                HibachiPayloads.limitOrder(
                        1714701600000001L,
                        2,
                        new BigDecimal("0.001"),
                        10,
                        OrderSide.SELL,
                        new BigDecimal("65000.5"),
                        6,
                        FEE),
                "0006178313c38801" + "00000002" + "0000000000989680" + "00000000" + "00000006800346dc"
                        + "000000000000afc8",
                "b8d8c1bdcc008be2636e57558a6c43e0196afaa11216c33de4cc94d93569d4ee",
                "d8aea9929d9cb74625d6e36f8d0b494214c335e509a55a456b4c5e40d92cb93c"
                        + "6bf6ccd79a426b47d5a80b4a56e24b29ff64f729b8952203a02d7087a134b1c901"),
        V3_LIMIT_BID_ETH(
                HibachiPayloads.limitOrder(
                        1714701600000000L,
                        1,
                        new BigDecimal("0.01"),
                        9,
                        OrderSide.BUY,
                        new BigDecimal("2345.01"),
                        6,
                        FEE),
                "0006178313c38800" + "00000001" + "0000000000989680" + "00000001" + "000000025852934a"
                        + "000000000000afc8",
                "c3ab025e2d08cf1048cdade2190780ba34b535c41d0f9494b6e11e95a1f1c66b",
                "8118e2138dff59fb75340f23a9f14397ad4f67d09889a46309388a61a329714d"
                        + "7eca1834fe587266d34c595921a7e5ceb24c046656f49298a00c589e5bfb4eb100"),
        V4_CANCEL_ORDER(
                HibachiPayloads.cancelOrder(578721673790138368L),
                "0808084bce14a800",
                "d9b37ec7aee0d1bc481b7af7b5f2365280d0c935ad73b5b9ea0ccbaf4f5e967b",
                "6e1b4d5adfeec6b198779bcd0f470dad23d5b0630917e01b5e7df0b72524973a"
                        + "5a732b27100da2ed65871b8df6ff813ce15b1be815e8f88963ef5647553e959f01"),
        V5_CANCEL_ALL(
                HibachiPayloads.cancelAll(1714701600000002L),
                "0006178313c38802",
                "8440495ebed4bb82a9920b61329b2691d4a4f2667471e2221a1e974c462c12fe",
                "cee5f0a613db4683e632ae545c23bcea99809c03a2cf322c2ce00ca4f56011aa"
                        + "5d835a881dfaf713773a8aa977270a81e635238307499aca9e1782d9ed475bce00");

        final byte[] payload;
        final String payloadHex;
        final String hmac;
        final String ecdsa;

        Vector(byte[] payload, String payloadHex, String hmac, String ecdsa) {
            this.payload = payload;
            this.payloadHex = payloadHex;
            this.hmac = hmac;
            this.ecdsa = ecdsa;
        }
    }

    @ParameterizedTest
    @EnumSource(Vector.class)
    void payloadMatchesTheDocumentedBytes(Vector v) {
        assertThat(Hex.toHexString(v.payload)).isEqualTo(v.payloadHex);
    }

    @ParameterizedTest
    @EnumSource(Vector.class)
    void hmacSignatureMatchesTheVector(Vector v) {
        assertThat(HibachiSigner.Hmac.of(HMAC_SECRET).sign(v.payload)).isEqualTo(v.hmac);
    }

    @ParameterizedTest
    @EnumSource(Vector.class)
    void ecdsaSignatureMatchesTheVector(Vector v) {
        assertThat(HibachiSigner.Ecdsa.fromHex(PRIVATE_KEY).sign(v.payload)).isEqualTo(v.ecdsa);
    }

    @Test
    void marketPayloadIs32BytesAndLimitPayloadIs40() {
        assertThat(Vector.V1_MARKET_BID_BTC.payload).hasSize(32);
        assertThat(Vector.V2_LIMIT_ASK_BTC.payload).hasSize(40);
        assertThat(Vector.V3_LIMIT_BID_ETH.payload).hasSize(40);
    }

    @Test
    void sha256OfTheFirstPayloadMatchesTheDoc() {
        assertThat(Hex.toHexString(HibachiSigner.Ecdsa.sha256(Vector.V1_MARKET_BID_BTC.payload)))
                .isEqualTo("ff816244daaa8ded6e21ef733ade409639d7d448b67248acc11dc1a729eedc8a");
    }

    @Test
    void publicKeyDerivedFromThePrivateKeyMatchesTheDoc() {
        assertThat(HibachiSigner.Ecdsa.fromHex(PRIVATE_KEY).publicKeyHex())
                .isEqualTo("4f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa"
                        + "385b6b1b8ead809ca67454d9683fcf2ba03456d6fe2c4abe2b07f0fbdbb2f1c1");
    }

    @Test
    void scalingChecksFromThirdPartyByteTests() {
        assertThat(HibachiPayloads.quantityUnits(new BigDecimal("0.001"), 10))
                .isEqualTo(BigInteger.valueOf(10_000_000));
        assertThat(HibachiPayloads.feeUnits(new BigDecimal("0.001"))).isEqualTo(BigInteger.valueOf(100_000));
        assertThat(HibachiPayloads.feeUnits(new BigDecimal("0.00045"))).isEqualTo(BigInteger.valueOf(45_000));
        assertThat(HibachiPayloads.priceUnits(BigDecimal.ONE, 6, 6)).isEqualTo(BigInteger.ONE.shiftLeft(32));
        assertThat(HibachiPayloads.priceUnits(BigDecimal.ONE, 9, 6))
                .isEqualTo(BigInteger.ONE.shiftLeft(32).multiply(BigInteger.valueOf(1000)));
    }

    @Test
    void priceIsTruncatedTowardZero() {
        // 0.1 × 2^32 / 10^4 = 42949.67296
        assertThat(HibachiPayloads.priceUnits(new BigDecimal("0.1"), 6, 10)).isEqualTo(BigInteger.valueOf(42949));
        // 65000.5 × 2^32 × 10^-4 = 27917502172.3648
        assertThat(HibachiPayloads.priceUnits(new BigDecimal("65000.5"), 6, 10))
                .isEqualTo(new BigInteger("27917502172"));
    }

    @Test
    void quantityWithTooManyDecimalsIsRefusedNotTruncated() {
        assertThatThrownBy(() -> HibachiPayloads.quantityUnits(new BigDecimal("0.00000000001"), 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 10 decimals");
        // trailing zeros beyond the contract's decimals are not extra precision
        assertThat(HibachiPayloads.quantityUnits(new BigDecimal("0.0010000000000"), 10))
                .isEqualTo(BigInteger.valueOf(10_000_000));
    }

    @Test
    void sideIsAskZeroBidOne() {
        assertThat(HibachiPayloads.sideCode(OrderSide.SELL)).isZero();
        assertThat(HibachiPayloads.sideCode(OrderSide.BUY)).isEqualTo(1);
        assertThat(HibachiPayloads.sideName(OrderSide.SELL)).isEqualTo("ASK");
        assertThat(HibachiPayloads.sideName(OrderSide.BUY)).isEqualTo("BID");
    }

    @Test
    void valuesOutOfRangeAreRefused() {
        assertThatThrownBy(() -> HibachiPayloads.cancelAll(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HibachiPayloads.marketOrder(1, 1L << 32, BigDecimal.ONE, 0, OrderSide.BUY, FEE))
                .hasMessageContaining("contractId");
        assertThatThrownBy(() -> HibachiPayloads.marketOrder(1, 1, new BigDecimal("1e20"), 0, OrderSide.BUY, FEE))
                .hasMessageContaining("quantity");
    }
}
