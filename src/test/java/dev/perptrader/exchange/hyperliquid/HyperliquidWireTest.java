package dev.perptrader.exchange.hyperliquid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wire's numbers, prices, cloids and actions, against api/hyperliquid.md §2.7 and §3. */
final class HyperliquidWireTest {
    private static final String K1 = "0x0123456789012345678901234567890123456789012345678901234567890123";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.0147, 0.0147",
        "1670.1, 1670.1",
        "100, 100",
        "100.0, 100",
        "2000.0, 2000",
        "0.00076, 0.00076",
        "0.00000001, 0.00000001",
        "87654321.12345678, 87654321.12345678",
        "987654321.0, 987654321",
        "0.30000000, 0.3",
        "0.0, 0",
        "-0.0, 0",
        "1E+3, 1000"
    })
    void numbersAsTheWireWritesThem(String in, String wire) {
        assertThat(HyperliquidWire.number(new BigDecimal(in))).isEqualTo(wire);
    }

    @Test
    void moreThanEightDecimalsIsRefused() {
        assertThatThrownBy(() -> HyperliquidWire.number(new BigDecimal("0.123456789")))
                .hasMessage("a Hyperliquid number has at most 8 decimals, not 0.123456789");
    }

    @ParameterizedTest(name = "mid {0} buy={1} szDecimals {2} -> {3}")
    @CsvSource({
        "2000.15, true, 4, 2100.2",
        "2000.15, false, 4, 1900.1",
        "105123.4, true, 5, 110380",
        "105123.4, false, 5, 99867",
        "35.678, false, 2, 33.894",
        "0.123456, true, 0, 0.12963",
        "0.00012345, true, 0, 0.00013"
    })
    void theSdksFivePercentSlippagePrices(String mid, boolean buy, int szDecimals, String wire) {
        BigDecimal px = HyperliquidWire.slippagePrice(new BigDecimal(mid), buy, new BigDecimal("0.05"), szDecimals);
        assertThat(HyperliquidWire.number(px)).isEqualTo(wire);
    }

    @ParameterizedTest(name = "{0} szDecimals {1} -> {2}")
    @CsvSource({"1234.56, 1, 1234.6", "0.00123456, 0, 0.001235", "0.0012345, 1, 0.00123", "123456, 0, 123460"})
    void pricesKeepFiveFiguresAndTheDecimalsTheMarketAllows(String px, int szDecimals, String wire) {
        assertThat(HyperliquidWire.number(HyperliquidWire.price(new BigDecimal(px), szDecimals)))
                .isEqualTo(wire);
    }

    @ParameterizedTest(name = "{0} buy={1} szDecimals {2} -> {3}")
    @CsvSource({
        "3001.25, true, 4, 3001.2",
        "3001.25, false, 4, 3001.3",
        "3001.27, true, 4, 3001.2",
        "3001.21, false, 4, 3001.3",
        "3001.2, false, 4, 3001.2",
        "60012.7, true, 5, 60012",
        "60012.1, false, 5, 60013",
        "105123, true, 5, 105120",
        "105123, false, 5, 105130",
        "0.0012345, true, 1, 0.00123",
        "0.0012341, false, 1, 0.00124",
        "0.0000004, true, 0, 0"
    })
    void aRestingPriceIsRoundedAwayFromTheBook(String px, boolean buy, int szDecimals, String wire) {
        assertThat(HyperliquidWire.number(HyperliquidWire.passivePrice(new BigDecimal(px), buy, szDecimals)))
                .isEqualTo(wire);
    }

    @Test
    void aSizeFinerThanTheMarketsDecimalsIsRefusedNotRounded() {
        assertThat(HyperliquidWire.size(new BigDecimal("1.0010"), 3)).isEqualTo("1.001");
        assertThatThrownBy(() -> HyperliquidWire.size(new BigDecimal("1.0001"), 3))
                .hasMessage("size 1.0001 has more than the market's 3 decimals");
    }

    @Test
    void aClientIdAlwaysGivesTheSameCloidOf16Bytes() {
        String cloid = HyperliquidWire.cloid("hl-000042");
        assertThat(cloid).matches("0x[0-9a-f]{32}").isEqualTo(HyperliquidWire.cloid("hl-000042"));
        assertThat(cloid.substring(2)).isEqualTo(HexFormat.of().formatHex(Keccak.hash("hl-000042".getBytes()), 0, 16));
        assertThat(HyperliquidWire.cloid("hl-000043")).isNotEqualTo(cloid);
    }

    @Test
    void theBotsActionsHashAsTheVectorsOfTheSameShape() throws Exception {
        // D3's reduce-only IOC sell, built by the bot's own builder, signs to D3's signature
        HyperliquidSigner signer = HyperliquidSigner.ofPrivateKey(K1);
        var order = HyperliquidWire.order(3, false, new BigDecimal("95.1230"), "0.05", true, "Ioc", null);
        HyperliquidSigner.Signed d3 = signer.signL1(order, 1700000000001L, null, null, HyperliquidNetwork.MAINNET);
        assertThat("0x" + HexFormat.of().formatHex(d3.connectionId()))
                .isEqualTo("0x6be399377d4f9eb8c311cb21fb130ef76bf07fe880552d21271d0ddab012d018");
        var leverage = HyperliquidWire.updateLeverage(0, true, 10);
        assertThat("0x"
                        + HexFormat.of()
                                .formatHex(
                                        signer.signL1(leverage, 1700000000000L, null, null, HyperliquidNetwork.MAINNET)
                                                .connectionId()))
                .isEqualTo("0xe69c035a0297dd24d9b288c3e8509ae251baf7bf43a43b895327a2cab098389e");
        var cancel = HyperliquidWire.cancelByCloid(7, "0x00000000000000000000000000000001");
        assertThat(new ObjectMapper().writeValueAsString(cancel))
                .isEqualTo(
                        "{\"type\":\"cancelByCloid\",\"cancels\":[{\"asset\":7,\"cloid\":\"0x00000000000000000000000000000001\"}]}");
        var body = HyperliquidWire.exchangeBody(order, 5, d3.signature(), null, null);
        assertThat(new ObjectMapper().writeValueAsString(body))
                .startsWith(
                        "{\"action\":{\"type\":\"order\",\"orders\":[{\"a\":3,\"b\":false,\"p\":\"95.123\",\"s\":\"0.05\","
                                + "\"r\":true,\"t\":{\"limit\":{\"tif\":\"Ioc\"}}}],\"grouping\":\"na\"},\"nonce\":5,\"signature\":{\"r\":\"0x")
                .endsWith(",\"v\":27},\"vaultAddress\":null,\"expiresAfter\":null}");
    }

    @Test
    void theNetworkOfABaseUrl() {
        assertThat(HyperliquidNetwork.ofBaseUrl("https://api.hyperliquid.xyz")).isEqualTo(HyperliquidNetwork.MAINNET);
        assertThat(HyperliquidNetwork.ofBaseUrl("https://api.hyperliquid-testnet.xyz"))
                .isEqualTo(HyperliquidNetwork.TESTNET);
        assertThat(HyperliquidNetwork.ofBaseUrl("http://127.0.0.1:8089")).isEqualTo(HyperliquidNetwork.MAINNET);
    }
}
