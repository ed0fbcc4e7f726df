package dev.perptrader.exchange.hyperliquid;

import dev.perptrader.config.ConfigError;
import dev.perptrader.config.Secret;
import java.util.Locale;

/**
 * The Hyperliquid account and the key that signs for it (api/hyperliquid.md §1a): the account's
 * own key, or an API wallet ("agent") key the account approved, which the README recommends: it
 * can trade but never withdraw. Positions and fills are always read for the account address,
 * never the agent's (an agent holds nothing of its own). Nothing here prints the key.
 */
public final class HyperliquidCredentials {
    private static final String ADDRESS = "exchanges.hyperliquid.account_address";
    private static final String KEY = "exchanges.hyperliquid.private_key";

    private final String account;
    private final HyperliquidSigner signer;

    private HyperliquidCredentials(String account, HyperliquidSigner signer) {
        this.account = account;
        this.signer = signer;
    }

    /**
     * Checks the configured pair. Throws {@link ConfigError} naming the key and the rule; the
     * message never contains the private key.
     */
    public static HyperliquidCredentials of(String accountAddress, Secret privateKey) {
        if (privateKey == null || !privateKey.isPresent()) {
            throw new ConfigError(KEY + " is required for live trading (0x and 64 hex digits: an API wallet's key,"
                    + " or the account's own)");
        }
        String address = accountAddress == null ? "" : accountAddress.strip().toLowerCase(Locale.ROOT);
        if (!address.matches("0x[0-9a-f]{40}")) {
            throw new ConfigError(ADDRESS + " must be the account's address: 0x and 40 hex digits");
        }
        HyperliquidSigner signer;
        try {
            signer = HyperliquidSigner.ofPrivateKey(privateKey.reveal());
        } catch (IllegalArgumentException e) {
            throw new ConfigError(KEY + ": " + e.getMessage());
        }
        return new HyperliquidCredentials(address, signer);
    }

    /** The account traded and read: lower case, with 0x. */
    public String account() {
        return account;
    }

    /** Signs the account's actions. */
    public HyperliquidSigner signer() {
        return signer;
    }

    /** Whether the key is an API wallet's rather than the account's own. */
    public boolean agent() {
        return !signer.address().equals(account);
    }

    /** What start-up says of the key (addresses are public). */
    public String describe() {
        return agent()
                ? "signing as API wallet " + signer.address() + " for account " + account
                : "signing with the account key of " + account;
    }

    @Override
    public String toString() {
        return "HyperliquidCredentials[account=" + account + ", privateKey=****]";
    }
}
