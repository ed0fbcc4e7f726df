package dev.perptrader.exchange.hyperliquid;

import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import dev.perptrader.config.Secret;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.http.HttpSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * This package's test kit for tests in other packages (the end-to-end tests): a client signing as
 * an API wallet for the test account, on WireMock, and the venue's check of every signature.
 */
public final class HyperliquidTestAccess {
    /** The account traded: the address of {@link HyperliquidExchangeTest#ACCOUNT_KEY}. */
    public static final String ACCOUNT = HyperliquidExchangeTest.ACCOUNT;
    /** The API wallet that signs for it. */
    public static final String AGENT = HyperliquidExchangeTest.AGENT;
    /** The API wallet's key (a test key, never a real one). */
    public static final String AGENT_KEY = HyperliquidExchangeTest.AGENT_KEY;
    /** A key the venue does not know. */
    public static final String STRANGER_KEY = HyperliquidExchangeTest.STRANGER_KEY;
    /** The name to put on an /exchange stub whose reply depends on the recovered signer. */
    public static final String CHECKED = SignerCheck.NAME;

    /** Tests' HTTP settings: short timeouts, no pacing to speak of, 3 tries per read. */
    static final HttpSettings TEST_HTTP = new HttpSettings(
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            Duration.ofSeconds(3),
            1000,
            1000,
            3,
            Duration.ofMillis(300),
            Duration.ofSeconds(3),
            Duration.ofSeconds(10));

    private HyperliquidTestAccess() {}

    /** The venue's signature check, knowing the agent as the account's (mainnet); register it on the server. */
    public static Extension signerCheck() {
        SignerCheck check = new SignerCheck();
        check.knows(AGENT, ACCOUNT);
        return check;
    }

    /** The signers {@code check} recovered so far, in arrival order. */
    public static List<String> recovered(Extension check) {
        return ((SignerCheck) check).recovered();
    }

    /** The address that signed an /exchange body (mainnet). */
    public static String signerOf(byte[] body) {
        return SignerCheck.signerOf(body, "a");
    }

    /** The cloid of one of our client ids. */
    public static String cloid(String clientId) {
        return HyperliquidWire.cloid(clientId);
    }

    /** A client on {@code wm} signing as the agent on mainnet; retries and pacing never sleep. */
    public static HyperliquidExchange exchange(WireMockRuntimeInfo wm, Clock clock) {
        return exchange(wm, clock, Duration.ofSeconds(3));
    }

    /** As {@link #exchange(WireMockRuntimeInfo, Clock)}, every HTTP call bounded by {@code callTimeout}. */
    public static HyperliquidExchange exchange(WireMockRuntimeInfo wm, Clock clock, Duration callTimeout) {
        HyperliquidExchange.Settings settings =
                HyperliquidExchange.Settings.DEFAULT.withHttp(TEST_HTTP.withCallTimeout(callTimeout));
        return new HyperliquidExchange(
                Venue.parse(HyperliquidDriver.NAME),
                settings.http().newClient(),
                wm.getHttpBaseUrl(),
                HyperliquidNetwork.MAINNET,
                Optional.of(HyperliquidCredentials.of(ACCOUNT, Secret.of(HyperliquidExchangeTest.AGENT_KEY))),
                clock,
                duration -> {},
                settings);
    }
}
