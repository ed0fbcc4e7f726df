package dev.perptrader.exchange.backpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigError;
import dev.perptrader.config.Secret;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up key validation: one-line ConfigErrors naming the key and the rule, never a secret. */
final class BackpackCredentialsTest {

    @Test
    void acceptsTheDocumentedPairAndSignsWithIt() {
        BackpackCredentials c = BackpackCredentials.of(Secret.of(Kit.PUBLIC_KEY), Secret.of(Kit.SEED));

        assertThat(c.apiKey()).isEqualTo(Kit.PUBLIC_KEY);
        assertThat(c.sign("instruction=collateralQuery&timestamp=1750793021519&window=5000"))
                .isEqualTo("0y0y1Tz55l1+ZrpPbuM+erUXbZME/GAdqv3plVwPss33JPO5QeBbxMOHO56xSZIhw+L1VofXcKPgLkkvddSUCw==");
        assertThat(c.toString())
                .doesNotContain(Kit.SEED)
                .doesNotContain(Kit.PUBLIC_KEY)
                .contains("****");
    }

    @Test
    void refusesASecretOfTheWrongLength() {
        String secret16 = b64(16, 7);

        ConfigError e = fails(Kit.PUBLIC_KEY, secret16);

        assertThat(e.getMessage())
                .contains("exchanges.backpack.api_secret")
                .contains("exactly 32 bytes")
                .contains("got 16 bytes")
                .doesNotContain(secret16);
    }

    @Test
    void refusesSeedAndPublicKeyPastedTogether() {
        byte[] both = new byte[64];
        Arrays.fill(both, 0, 32, (byte) 1);
        System.arraycopy(Base64.getDecoder().decode(Kit.PUBLIC_KEY), 0, both, 32, 32);
        String secret64 = Base64.getEncoder().encodeToString(both);

        ConfigError e = fails(Kit.PUBLIC_KEY, secret64);

        assertThat(e.getMessage())
                .contains("exchanges.backpack.api_secret")
                .contains("got 64 bytes")
                .contains("only the 32-byte seed")
                .doesNotContain(secret64)
                .doesNotContain(Kit.SEED);
    }

    @Test
    void refusesASecretThatIsNotBase64() {
        String secret = "this-is*not!base64@@secretvalue";

        ConfigError e = fails(Kit.PUBLIC_KEY, secret);

        assertThat(e.getMessage())
                .contains("exchanges.backpack.api_secret")
                .contains("base64")
                .doesNotContain(secret)
                .doesNotContain("secretvalue");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void refusesAnApiKeyThatIsNotThePublicKeyOfTheSecret() {
        String otherSeed = b64(32, 2);

        ConfigError e = fails(Kit.PUBLIC_KEY, otherSeed);

        assertThat(e.getMessage())
                .contains("exchanges.backpack.api_key")
                .contains("public key of")
                .contains("exchanges.backpack.api_secret")
                .doesNotContain(otherSeed)
                .doesNotContain(Kit.PUBLIC_KEY)
                .doesNotContain(BackpackSigner.publicKey(new byte[32]));
        assertThat(e.getMessage()).doesNotContain("\n");
    }

    @Test
    void refusesMissingKeys() {
        assertThat(fails(Kit.PUBLIC_KEY, "").getMessage()).contains("exchanges.backpack.api_secret is required");
        assertThat(fails("", Kit.SEED).getMessage()).contains("exchanges.backpack.api_key is required");
    }

    @Test
    void liveFactoryValidatesBeforeAnythingElse() {
        String otherSeed = b64(32, 3);
        var creds = new AppConfig.ExchangeCredentials(
                Map.of("base_url", "https://api.backpack.exchange"),
                Map.of("api_key", Secret.of(Kit.PUBLIC_KEY), "api_secret", Secret.of(otherSeed)),
                Duration.ofSeconds(5),
                Duration.ofMinutes(5));

        assertThatThrownBy(() -> BackpackExchange.live(creds, Kit.FIXED))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("exchanges.backpack.api_key")
                .hasMessageNotContaining(otherSeed);
    }

    @Test
    void liveFactoryRefusesABadBaseUrlAndBuildsWithGoodConfig() {
        var bad = new AppConfig.ExchangeCredentials(
                Map.of("base_url", "ftp://nope"),
                Map.of("api_key", Secret.of(Kit.PUBLIC_KEY), "api_secret", Secret.of(Kit.SEED)),
                Duration.ofSeconds(5),
                Duration.ofMinutes(5));
        assertThatThrownBy(() -> BackpackExchange.live(bad, Kit.FIXED))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("exchanges.backpack.base_url");

        var good = new AppConfig.ExchangeCredentials(
                Map.of("base_url", "https://api.backpack.exchange"),
                Map.of("api_key", Secret.of(Kit.PUBLIC_KEY), "api_secret", Secret.of(Kit.SEED)),
                Duration.ofSeconds(5),
                Duration.ofMinutes(5));
        BackpackExchange ex = BackpackExchange.live(good, Kit.FIXED);
        assertThat(ex.toString()).contains("keys=****").doesNotContain(Kit.SEED).doesNotContain(Kit.PUBLIC_KEY);
        assertThat(BackpackExchange.publicOnly("https://api.backpack.exchange", Kit.FIXED)
                        .toString())
                .contains("no keys");
    }

    private static ConfigError fails(String apiKey, String apiSecret) {
        Throwable t = catchThrowable(() -> BackpackCredentials.of(Secret.of(apiKey), Secret.of(apiSecret)));
        assertThat(t).as("thrown").isInstanceOf(ConfigError.class);
        return (ConfigError) t;
    }

    private static String b64(int bytes, int fill) {
        byte[] b = new byte[bytes];
        Arrays.fill(b, (byte) fill);
        return Base64.getEncoder().encodeToString(b);
    }
}
