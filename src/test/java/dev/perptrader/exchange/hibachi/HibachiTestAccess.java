package dev.perptrader.exchange.hibachi;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import java.time.Clock;
import java.time.Duration;

/**
 * This package's test kit for tests in other packages (the end-to-end tests): an HMAC-signing
 * client on WireMock and the stub side's check of an order body, both from {@link HibachiTestKit}.
 */
public final class HibachiTestAccess {
    /** The API key the client sends raw as {@code Authorization}. */
    public static final String API_KEY = HibachiTestKit.API_KEY;
    /** The HMAC secret the exchange signs with. */
    public static final String HMAC_SECRET = HibachiTestKit.HMAC_SECRET;

    public static final long ACCOUNT_ID = HibachiTestKit.ACCOUNT_ID;

    private HibachiTestAccess() {}

    /**
     * An HMAC-signing client of account {@link #ACCOUNT_ID} whose api and data hosts are both
     * {@code wm}, reading {@code clock}; pacing and status polls never sleep.
     */
    public static HibachiExchange hmacExchange(WireMockRuntimeInfo wm, Clock clock) {
        return HibachiTestKit.exchange(
                wm,
                HibachiTestKit.hmacCredentials(wm.getHttpBaseUrl()),
                clock,
                FakeSleeper.unpaced(),
                HibachiExchange.tradingClient());
    }

    /**
     * As {@link #hmacExchange(WireMockRuntimeInfo, Clock)}, on the trading client's settings with
     * every HTTP call bounded by {@code callTimeout}: a reply slower than that is a timeout.
     */
    public static HibachiExchange hmacExchange(WireMockRuntimeInfo wm, Clock clock, Duration callTimeout) {
        return HibachiTestKit.exchange(
                wm,
                HibachiTestKit.hmacCredentials(wm.getHttpBaseUrl()),
                clock,
                FakeSleeper.unpaced(),
                HibachiExchange.tradingClient()
                        .newBuilder()
                        .callTimeout(callTimeout)
                        .build());
    }

    /**
     * Whether an order body as the stub received it is signed correctly: the 32-byte payload is
     * rebuilt from the JSON alone and its HMAC-SHA256 under the test secret compared with
     * {@code signature}.
     */
    public static boolean hmacVerifies(String orderBody) {
        return HibachiTestKit.hmacVerifies(HibachiTestKit.json(orderBody), HibachiTestKit.HMAC_SECRET);
    }

    /**
     * Whether a LIMIT order body as the stub received it is signed correctly: the 40-byte payload
     * (with the price) is rebuilt from the JSON alone and its HMAC-SHA256 under the test secret
     * compared with {@code signature}.
     */
    public static boolean hmacVerifiesLimit(String orderBody) {
        return HibachiTestKit.hmacVerifiesLimit(HibachiTestKit.json(orderBody), HibachiTestKit.HMAC_SECRET);
    }

    /**
     * Whether a cancel-by-nonce body as the stub received it ({@code {"accountId":N,"nonce":"…",
     * "signature":…}}) is signed correctly: the nonce as 8 bytes, HMAC-SHA256 under the test secret.
     */
    public static boolean hmacVerifiesCancel(String cancelBody) {
        return HibachiTestKit.hmacVerifiesCancel(HibachiTestKit.json(cancelBody), HibachiTestKit.HMAC_SECRET);
    }

    /** A fixture from {@code src/test/resources/hibachi/}. */
    public static String fixture(String name) {
        return HibachiTestKit.fixture(name);
    }
}
