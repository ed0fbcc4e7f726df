package dev.perptrader.exchange.hyperliquid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.config.ConfigError;
import dev.perptrader.config.Secret;
import org.junit.jupiter.api.Test;

/** The account and its signing key: the account's own key or an agent's; never printed. */
final class HyperliquidCredentialsTest {
    private static final String K1 = "0x0123456789012345678901234567890123456789012345678901234567890123";
    private static final String K1_ADDRESS = "0x14791697260e4c9a71f18484c9f997b308e59325";
    private static final String ACCOUNT = "0x1719884EB866CB12B2287399B15F7DB5E7D775EA";

    @Test
    void anAgentKeySignsForTheAccountItWasApprovedFor() {
        HyperliquidCredentials c = HyperliquidCredentials.of(ACCOUNT, Secret.of(K1));
        assertThat(c.agent()).isTrue();
        assertThat(c.account()).isEqualTo("0x1719884eb866cb12b2287399b15f7db5e7d775ea");
        assertThat(c.signer().address()).isEqualTo(K1_ADDRESS);
        assertThat(c.describe())
                .isEqualTo("signing as API wallet " + K1_ADDRESS
                        + " for account 0x1719884eb866cb12b2287399b15f7db5e7d775ea");
    }

    @Test
    void theAccountsOwnKeyIsToldApart() {
        HyperliquidCredentials c =
                HyperliquidCredentials.of(K1_ADDRESS.toUpperCase().replace("0X", "0x"), Secret.of(K1));
        assertThat(c.agent()).isFalse();
        assertThat(c.describe()).isEqualTo("signing with the account key of " + K1_ADDRESS);
    }

    @Test
    void badSettingsAreNamedAndTheKeyIsNeverShown() {
        assertThatThrownBy(() -> HyperliquidCredentials.of(ACCOUNT, Secret.empty()))
                .isInstanceOf(ConfigError.class)
                .hasMessageStartingWith("exchanges.hyperliquid.private_key is required for live trading");
        assertThatThrownBy(() -> HyperliquidCredentials.of("0x1234", Secret.of(K1)))
                .isInstanceOf(ConfigError.class)
                .hasMessage(
                        "exchanges.hyperliquid.account_address must be the account's address: 0x and 40 hex digits");
        String typo = K1.substring(0, 65) + "g";
        assertThatThrownBy(() -> HyperliquidCredentials.of(ACCOUNT, Secret.of(typo)))
                .isInstanceOf(ConfigError.class)
                .hasMessage("exchanges.hyperliquid.private_key: a Hyperliquid private key is 64 hex digits (32 bytes,"
                        + " \"0x\" optional); the one given has a character that is not a hex digit")
                .message()
                .doesNotContain(K1.substring(2, 40));
        assertThat(HyperliquidCredentials.of(ACCOUNT, Secret.of(K1)).toString())
                .isEqualTo(
                        "HyperliquidCredentials[account=0x1719884eb866cb12b2287399b15f7db5e7d775ea, privateKey=****]");
    }
}
