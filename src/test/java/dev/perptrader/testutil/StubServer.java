package dev.perptrader.testutil;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** A WireMock server for one test, on a free port, with the given extensions (signature checks, holds). */
public final class StubServer {
    private StubServer() {}

    public static WireMockExtension on(Extension... extensions) {
        return WireMockExtension.newInstance()
                .options(wireMockConfig().dynamicPort().extensions(extensions))
                .build();
    }
}
