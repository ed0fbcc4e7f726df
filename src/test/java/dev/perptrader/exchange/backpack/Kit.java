package dev.perptrader.exchange.backpack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import dev.perptrader.config.Secret;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.Sleeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import okhttp3.HttpUrl;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shared test values: the doc's synthetic key pair, a fixed clock, fixtures, an exchange on WireMock. */
final class Kit {
    /** The api doc's synthetic seed: 32 bytes of 0x01. */
    static final String SEED = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

    static final String PUBLIC_KEY = "iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=";
    /** The timestamp of the doc's test vectors (2025-06-24T19:23:41.519Z). */
    static final long NOW_MS = 1750793021519L;

    static final Clock FIXED = Clock.fixed(Instant.ofEpochMilli(NOW_MS), ZoneOffset.UTC);
    /** Default tuning with pacing out of the way (PacerTest covers pacing). */
    static final Tuning TUNING = Tuning.DEFAULT.withPacing(1000, 1000);

    private Kit() {}

    /** The ExchangeException {@code call} throws (fails the test if it throws nothing else). */
    static ExchangeException failure(ThrowingCallable call) {
        Throwable t = Assertions.catchThrowable(call);
        Assertions.assertThat(t).as("thrown").isInstanceOf(ExchangeException.class);
        return (ExchangeException) t;
    }

    static BackpackCredentials credentials() {
        return BackpackCredentials.of(Secret.of(PUBLIC_KEY), Secret.of(SEED));
    }

    static BackpackExchange exchange(WireMockRuntimeInfo wm, Sleeper sleeper) {
        return exchange(wm, FIXED, sleeper, TUNING);
    }

    static BackpackExchange exchange(WireMockRuntimeInfo wm, Clock clock, Sleeper sleeper, Tuning tuning) {
        return new BackpackExchange(
                BackpackHttp.httpClient(tuning),
                HttpUrl.get(wm.getHttpBaseUrl()),
                credentials(),
                clock,
                sleeper,
                tuning);
    }

    static BackpackExchange paper(WireMockRuntimeInfo wm, Sleeper sleeper) {
        return new BackpackExchange(
                BackpackHttp.httpClient(TUNING), HttpUrl.get(wm.getHttpBaseUrl()), null, FIXED, sleeper, TUNING);
    }

    static String fixture(String name) {
        try (InputStream in = Kit.class.getResourceAsStream("/backpack/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET /api/v1/time answers {@code venueMs} as text/plain, like the venue. */
    static void stubTime(long venueMs) {
        stubFor(get(urlPathEqualTo("/api/v1/time"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/plain")
                        .withBody(Long.toString(venueMs))));
    }

    static void stubGet(String path, String fixture) {
        stubFor(get(urlPathEqualTo(path)).willReturn(okJson(fixture(fixture))));
    }
}
