package dev.perptrader.exchange.backpack;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * This package's test kit for tests in other packages (the end-to-end tests): a keyed client on
 * WireMock and the stub-side signature check, both from {@link Kit} and {@link SignedRequests}.
 */
public final class BackpackTestAccess {
    /** The {@code X-API-Key} the client sends: the api doc's synthetic public key. */
    public static final String PUBLIC_KEY = Kit.PUBLIC_KEY;
    /** The test seed (API secret) the exchange signs with. */
    public static final String SECRET = Kit.SEED;

    private BackpackTestAccess() {}

    /**
     * A client with the doc's key pair on {@code wm}, reading {@code clock}; retry and pacing
     * waits are recorded, never slept, and pacing is out of the way.
     */
    public static BackpackExchange exchange(WireMockRuntimeInfo wm, Clock clock) {
        return Kit.exchange(wm, clock, new RecordingSleeper(), Kit.TUNING);
    }

    /**
     * As {@link #exchange(WireMockRuntimeInfo, Clock)}, with every HTTP call (connect, write, wait
     * and read together) bounded by {@code callTimeout}: a reply slower than that is a timeout.
     */
    public static BackpackExchange exchange(WireMockRuntimeInfo wm, Clock clock, Duration callTimeout) {
        return Kit.exchange(wm, clock, new RecordingSleeper(), Kit.TUNING.withCallTimeout(callTimeout));
    }

    /**
     * Asserts that every request to a signed endpoint among {@code events} carries the key, a
     * timestamp, a window of at most 60 s and an X-Signature that verifies with {@link #PUBLIC_KEY} over the
     * signing string rebuilt from what the stub received, and that no public request is signed.
     * Returns how many were verified.
     */
    public static int assertAllSignedRequestsVerify(List<ServeEvent> events) {
        return SignedRequests.assertAllVerify(events);
    }

    /** A fixture from {@code src/test/resources/backpack/}. */
    public static String fixture(String name) {
        return Kit.fixture(name);
    }
}
