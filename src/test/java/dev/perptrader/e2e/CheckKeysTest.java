package dev.perptrader.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.perptrader.cli.Main;
import dev.perptrader.exchange.backpack.BackpackTestAccess;
import dev.perptrader.exchange.hibachi.HibachiTestAccess;
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
 * {@code check --mode live} proves each signing key with a signed request that cannot trade,
 * against WireMock venues that verify every signature: both keys right is exit 0, a key the venue
 * refuses is exit 1 with a line naming the venue, and nothing is ever ordered.
 */
final class CheckKeysTest {
    @RegisterExtension
    final WireMockExtension backpackServer = StubServer.on();

    @RegisterExtension
    final WireMockExtension hibachiServer = StubServer.on();

    @TempDir
    Path dir;

    private BackpackVenue backpack;
    private HibachiVenue hibachi;

    @BeforeEach
    void start() {
        backpack = new BackpackVenue(backpackServer.getRuntimeInfo());
        hibachi = new HibachiVenue(hibachiServer.getRuntimeInfo());
        backpack.install(Instant.now());
        hibachi.install(Instant.now());
    }

    private record Run(int code, String out) {}

    private Run check(String hibachiSecret) throws Exception {
        Path conf = dir.resolve("live.conf");
        Files.writeString(conf, """
                trading.markets = [BTC]
                exchanges {
                  backpack { api_key = "%s", api_secret = "%s", base_url = "%s" }
                  hibachi { api_key = "%s", api_secret = "%s", account_id = "%d", api_url = "%s", data_url = "%s" }
                }
                """.formatted(
                        BackpackTestAccess.PUBLIC_KEY,
                        BackpackTestAccess.SECRET,
                        backpackServer.getRuntimeInfo().getHttpBaseUrl(),
                        HibachiTestAccess.API_KEY,
                        hibachiSecret,
                        HibachiTestAccess.ACCOUNT_ID,
                        hibachiServer.getRuntimeInfo().getHttpBaseUrl(),
                        hibachiServer.getRuntimeInfo().getHttpBaseUrl()));
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
    void bothKeysProvenIsExitZeroAndNothingIsOrdered() throws Exception {
        Run r = check(HibachiTestAccess.HMAC_SECRET);
        assertThat(r.out()).contains("backpack: signing key OK", "hibachi:  signing key OK");
        assertThat(r.code()).isZero();
        assertThat(backpack.orders()).isEmpty();
        assertThat(hibachi.orders()).isEmpty();
        assertThat(hibachi.cancels())
                .as("the key proof's cancels by an unused nonce")
                .isNotEmpty();
    }

    @Test
    void aVenueThatDoesNotCheckTheSignatureFirstCannotProveTheKeyAndSaysSo() throws Exception {
        // this venue answers "not found" to any cancel, even one signed with a random key
        hibachiServer
                .getRuntimeInfo()
                .getWireMock()
                .register(
                        delete(urlPathEqualTo("/trade/order"))
                                .atPriority(0)
                                .willReturn(
                                        aResponse()
                                                .withStatus(404)
                                                .withHeader("Content-Type", "application/json")
                                                .withBody(
                                                        "{\"errorCode\":3,\"message\":\"Not found: order nonce\",\"status\":\"failed\"}")));
        Run r = check(HibachiTestAccess.HMAC_SECRET);
        assertThat(r.out()).contains("backpack: signing key OK", "hibachi:  signing key NOT PROVEN");
        assertThat(r.out()).doesNotContain("hibachi:  signing key OK");
        assertThat(r.code()).isZero();
    }

    @Test
    void aKeyTheVenueRefusesIsExitOneNamingTheVenue() throws Exception {
        Run r = check("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        assertThat(r.out()).contains("backpack: signing key OK", "hibachi:  signing key REFUSED");
        assertThat(r.code()).isEqualTo(1);
        assertThat(hibachi.orders()).isEmpty();
    }
}
