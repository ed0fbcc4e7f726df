package dev.perptrader.exchange.hyperliquid;

import java.util.Locale;

/**
 * Mainnet or testnet: a signature made for one is refused by the other. An L1 action's phantom
 * agent carries the network as its {@code source} ("a" or "b"); the EIP-712 chainId (1337) is the
 * same on both (api/hyperliquid.md §2.3).
 */
public enum HyperliquidNetwork {
    MAINNET("a"),
    TESTNET("b");

    private final String agentSource;

    HyperliquidNetwork(String agentSource) {
        this.agentSource = agentSource;
    }

    /** The phantom agent's {@code source}. */
    public String agentSource() {
        return agentSource;
    }

    /**
     * The network a base URL names, as the SDKs decide it: testnet when the host says
     * "testnet", mainnet otherwise. A local test venue's URL says neither, which is why
     * {@code exchanges.hyperliquid.network} can be set (api/hyperliquid.md §1a).
     */
    public static HyperliquidNetwork ofBaseUrl(String baseUrl) {
        return baseUrl.toLowerCase(Locale.ROOT).contains("testnet") ? TESTNET : MAINNET;
    }
}
