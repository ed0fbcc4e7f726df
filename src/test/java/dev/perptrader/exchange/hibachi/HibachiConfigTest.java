package dev.perptrader.exchange.hibachi;

import static dev.perptrader.exchange.hibachi.HibachiTestKit.API_KEY;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.CLOCK;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.HMAC_SECRET;
import static dev.perptrader.exchange.hibachi.HibachiTestKit.PRIVATE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigError;
import dev.perptrader.config.Secret;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Key shapes pick the signer; bad ones stop the program with one line that names the key, not the value. */
final class HibachiConfigTest {
    private static final String URL = "https://api.hibachi.xyz";
    private static final String DATA = "https://data-api.hibachi.xyz";

    private static AppConfig.ExchangeCredentials creds(
            String apiKey, String apiSecret, String privateKey, String accountId) {
        return new AppConfig.ExchangeCredentials(
                Map.of("account_id", accountId, "api_url", URL, "data_url", DATA),
                Map.of(
                        "api_key",
                        Secret.of(apiKey),
                        "api_secret",
                        Secret.of(apiSecret),
                        "private_key",
                        Secret.of(privateKey)),
                Duration.ofSeconds(15),
                Duration.ofMinutes(5));
    }

    @Test
    void aPrivateKeyOfZeroXAnd64HexSelectsEcdsa() {
        HibachiSigner signer = HibachiSigner.fromConfig(Secret.empty(), Secret.of(PRIVATE_KEY));
        assertThat(signer).isInstanceOf(HibachiSigner.Ecdsa.class);
        assertThat(HibachiSigner.fromConfig(Secret.of(HMAC_SECRET), Secret.of(PRIVATE_KEY)))
                .isInstanceOf(HibachiSigner.Ecdsa.class);
    }

    @Test
    void a44CharacterSecretSelectsHmac() {
        assertThat(HibachiSigner.fromConfig(Secret.of(HMAC_SECRET), Secret.empty()))
                .isInstanceOf(HibachiSigner.Hmac.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1111111111111111111111111111111111111111111111111111111111111111", // no 0x
                "0x111111111111111111111111111111111111111111111111111111111111111", // 63 hex
                "0x11111111111111111111111111111111111111111111111111111111111111111", // 65 hex
                "0xZZ11111111111111111111111111111111111111111111111111111111111111", // not hex
            })
    void aMalformedPrivateKeyIsAConfigErrorNamingTheKeyNotTheValue(String key) {
        assertThatThrownBy(() -> HibachiSigner.fromConfig(Secret.of(HMAC_SECRET), Secret.of(key)))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("exchanges.hibachi.private_key")
                .hasMessageContaining("0x followed by 64 hex")
                .hasMessageNotContaining(key)
                .hasMessageNotContaining(HMAC_SECRET);
    }

    @Test
    void aPrivateKeyOutsideTheCurveOrderIsAConfigError() {
        String zero = "0x" + "0".repeat(64);
        String order = "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
        for (String key : new String[] {zero, order}) {
            assertThatThrownBy(() -> HibachiSigner.fromConfig(Secret.empty(), Secret.of(key)))
                    .isInstanceOf(ConfigError.class)
                    .hasMessageContaining("exchanges.hibachi.private_key")
                    .hasMessageNotContaining(key);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"short-secret", "dGVzdC1vbmx5LWhtYWMta2V5LWZvci12ZWN0b3JzISE=X"})
    void aSecretOfAnotherLengthIsAConfigErrorNamingTheKeyNotTheValue(String secret) {
        assertThatThrownBy(() -> HibachiSigner.fromConfig(Secret.of(secret), Secret.empty()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("exchanges.hibachi.api_secret")
                .hasMessageContaining("44 characters")
                .hasMessageNotContaining(secret);
    }

    @Test
    void noSigningKeyAtAllIsAConfigErrorNamingBothKeys() {
        assertThatThrownBy(() -> HibachiSigner.fromConfig(Secret.empty(), Secret.empty()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("exchanges.hibachi.api_secret")
                .hasMessageContaining("exchanges.hibachi.private_key");
    }

    @Test
    void liveNeedsAnApiKey() {
        assertThatThrownBy(() -> HibachiExchange.live(creds("", HMAC_SECRET, "", "1234"), CLOCK))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("exchanges.hibachi.api_key")
                .hasMessageNotContaining(HMAC_SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-5", "0", "12.5"})
    void liveNeedsANumericAccountId(String accountId) {
        assertThatThrownBy(() -> HibachiExchange.live(creds(API_KEY, HMAC_SECRET, "", accountId), CLOCK))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("exchanges.hibachi.account_id")
                .hasMessageNotContaining(API_KEY)
                .hasMessageNotContaining(HMAC_SECRET);
    }

    @Test
    void liveNeedsAUsableUrl() {
        AppConfig.ExchangeCredentials bad = new AppConfig.ExchangeCredentials(
                Map.of("account_id", "1234", "api_url", "not a url", "data_url", DATA),
                Map.of("api_key", Secret.of(API_KEY), "api_secret", Secret.of(HMAC_SECRET)),
                Duration.ofSeconds(15),
                Duration.ofMinutes(5));
        assertThatThrownBy(() -> HibachiExchange.live(bad, CLOCK))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("exchanges.hibachi.api_url");
    }

    @Test
    void validCredentialsBuildALiveClientThatPrintsNoSecret() {
        HibachiExchange hmac = HibachiExchange.live(creds(API_KEY, HMAC_SECRET, "", " 1234 "), CLOCK);
        HibachiExchange ecdsa = HibachiExchange.live(creds(API_KEY, "", PRIVATE_KEY, "1234"), CLOCK);

        for (HibachiExchange ex : new HibachiExchange[] {hmac, ecdsa}) {
            assertThat(ex.toString())
                    .contains("1234")
                    .doesNotContain(API_KEY)
                    .doesNotContain(HMAC_SECRET)
                    .doesNotContain(PRIVATE_KEY.substring(2));
        }
        assertThat(hmac.toString()).contains("Hmac");
        assertThat(ecdsa.toString()).contains("Ecdsa");
    }

    @Test
    void configErrorsAreOneLine() {
        assertThatThrownBy(() -> HibachiSigner.fromConfig(Secret.empty(), Secret.empty()))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
