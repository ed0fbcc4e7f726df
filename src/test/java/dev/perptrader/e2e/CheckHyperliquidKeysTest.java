package dev.perptrader.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.perptrader.cli.Main;
import dev.perptrader.exchange.backpack.BackpackTestAccess;
import dev.perptrader.exchange.hyperliquid.HyperliquidTestAccess;
import dev.perptrader.testutil.StubServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check --mode live} on Backpack and Hyperliquid with an API wallet's key: the account is
 * read for the configured address, and the key is proven by a signed {@code cancelByCloid} of a
 * cloid never used, which the stub answers only after recovering the signer. A key the venue does
 * not know is exit 1 with a line naming Hyperliquid; nothing is ever ordered.
 */
final class CheckHyperliquidKeysTest {
    private final Extension signerCheck = HyperliquidTestAccess.signerCheck();

    @RegisterExtension
    final WireMockExtension backpackServer = StubServer.on();

    @RegisterExtension
    final WireMockExtension hyperliquidServer = StubServer.on(signerCheck);

    @TempDir
    Path dir;

    private HyperliquidVenue hyperliquid;

    @BeforeEach
    void start() {
        new BackpackVenue(backpackServer.getRuntimeInfo()).install(Instant.now());
        hyperliquid = new HyperliquidVenue(hyperliquidServer.getRuntimeInfo(), false);
        hyperliquid.install();
        var wm = hyperliquidServer.getRuntimeInfo().getWireMock();
        wm.register(post(urlPathEqualTo("/info"))
                .withRequestBody(matchingJsonPath("$.type", equalTo("userRole")))
                .willReturn(
                        okJson("{\"role\":\"agent\",\"data\":{\"user\":\"" + HyperliquidTestAccess.ACCOUNT + "\"}}")));
        wm.register(post(urlPathEqualTo("/exchange"))
                .withRequestBody(matchingJsonPath("$.action.type", equalTo("cancelByCloid")))
                .willReturn(okJson("{\"status\":\"ok\",\"response\":{\"type\":\"cancel\",\"data\":{\"statuses\":"
                                + "[{\"error\":\"Order was never placed, already canceled, or filled. asset=0\"}]}}}")
                        .withTransformers(HyperliquidTestAccess.CHECKED)));
    }

    private record Run(int code, String out) {}

    private Run check(String hyperliquidKey) throws Exception {
        Path conf = dir.resolve("live.conf");
        Files.writeString(conf, """
                trading.markets = [BTC]
                trading.venues = [backpack, hyperliquid]
                exchanges {
                  backpack { api_key = "%s", api_secret = "%s", base_url = "%s" }
                  hyperliquid { base_url = "%s", network = "mainnet", account_address = "%s", private_key = "%s" }
                }
                """.formatted(
                        BackpackTestAccess.PUBLIC_KEY,
                        BackpackTestAccess.SECRET,
                        backpackServer.getRuntimeInfo().getHttpBaseUrl(),
                        hyperliquidServer.getRuntimeInfo().getHttpBaseUrl(),
                        HyperliquidTestAccess.ACCOUNT,
                        hyperliquidKey));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            int code = Main.execute("check", "--mode", "live", "--config", conf.toString());
            return new Run(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void anApprovedApiWalletIsProvenAndNothingIsOrdered() throws Exception {
        Run r = check(HyperliquidTestAccess.AGENT_KEY);

        assertThat(r.out())
                .contains("hyperliquid: signing key OK: a signed cancelByCloid of a cloid never used")
                .contains("signing as API wallet " + HyperliquidTestAccess.AGENT + " for account "
                        + HyperliquidTestAccess.ACCOUNT)
                .contains("backpack:    signing key OK")
                .contains("markets both venues list: BTC")
                .doesNotContain(HyperliquidTestAccess.AGENT_KEY.substring(2));
        assertThat(r.code()).isZero();
        assertThat(hyperliquid.orders()).isEmpty();
        assertThat(HyperliquidTestAccess.recovered(signerCheck)).containsExactly(HyperliquidTestAccess.AGENT);
    }

    @Test
    void aKeyTheVenueDoesNotKnowIsRefusedAndExitsOne() throws Exception {
        Run r = check(HyperliquidTestAccess.STRANGER_KEY);

        assertThat(r.out())
                .contains("hyperliquid: signing key REFUSED")
                .contains("does not exist")
                .doesNotContain(HyperliquidTestAccess.STRANGER_KEY.substring(2));
        assertThat(r.code()).isEqualTo(1);
        assertThat(hyperliquid.orders()).isEmpty();
    }
}
