package dev.perptrader.crash;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Backpack and Hibachi as WireMock servers in a JVM of their own, so that the venues' positions
 * and order histories outlive every bot process the crash test kills. Usage:
 * {@code CrashVenues READY_FILE ORDER_LATENCY_MS ACCEPT_WINDOW_MS}: order replies come ORDER_LATENCY_MS after
 * the order was executed, and an order that arrives more than ACCEPT_WINDOW_MS after it was
 * signed is refused unexecuted (as the real venues do after their windows: Backpack's X-Window,
 * Hibachi's 15 s nonce window). Once both serve, writes
 * {@code backpack=URL} and {@code hibachi=URL} lines to READY_FILE (atomically); stops when its
 * standard input ends, which is when the test closes it or the test's JVM dies.
 */
public final class CrashVenues {
    private CrashVenues() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: CrashVenues READY_FILE ORDER_LATENCY_MS ACCEPT_WINDOW_MS");
        }
        Path ready = Path.of(args[0]);
        int latencyMs = Integer.parseInt(args[1]);
        long acceptMs = Long.parseLong(args[2]);
        WireMockServer backpack = start(new BackpackApi(latencyMs, acceptMs), BackpackApi.NAME);
        WireMockServer hibachi = start(new HibachiApi(latencyMs, acceptMs), HibachiApi.NAME);
        try {
            Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
            Files.writeString(
                    tmp,
                    "backpack=" + backpack.baseUrl() + "\nhibachi=" + hibachi.baseUrl() + "\n",
                    StandardCharsets.UTF_8);
            Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("crash venues up: backpack " + backpack.baseUrl() + ", hibachi " + hibachi.baseUrl()
                    + ", order latency " + latencyMs + " ms, orders accepted within " + acceptMs + " ms of signing");
            System.in.transferTo(OutputStream.nullOutputStream());
        } finally {
            backpack.stop();
            hibachi.stop();
        }
        System.out.println("crash venues stopped: standard input closed");
    }

    private static WireMockServer start(ResponseDefinitionTransformerV2 api, String name) {
        WireMockServer server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .disableRequestJournal()
                .containerThreads(24)
                .extensions(api));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(name)));
        return server;
    }
}
