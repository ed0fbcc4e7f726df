package dev.perptrader.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.perptrader.exchange.sim.PriceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar recording the public endpoints of two venue stand-ins (WireMock in this JVM) every
 * second: SIGTERM stops it with exit code 0 after the sample in progress, and the file holds
 * whole lines only.
 */
final class RecordStopIT {
    private static final Path JAR = Path.of("target", "perp-trader.jar").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void sigtermStopsARecordingWithExitZeroAndAWholeFile() throws Exception {
        assertThat(JAR).as("built by the package phase").exists();
        WireMockServer venues =
                new WireMockServer(WireMockConfiguration.options().dynamicPort());
        venues.start();
        try {
            stub(venues);
            Path conf = Files.writeString(
                    dir.resolve("record.conf"),
                    "trading.markets = [BTC]\n"
                            + "exchanges.backpack.base_url = \"" + venues.baseUrl() + "\"\n"
                            + "exchanges.hibachi.data_url = \"" + venues.baseUrl() + "\"\n");
            Path out = dir.resolve("prices.csv");
            Path log = dir.resolve("record.log");
            Process recorder = start(
                    log,
                    "record",
                    "--mode",
                    "paper",
                    "--interval-seconds",
                    "1",
                    "--out",
                    out.toString(),
                    "--config",
                    conf.toString());
            try {
                untilLines(out, 5, log); // the header and two samples of two venues
                recorder.destroy(); // SIGTERM
                assertThat(recorder.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
                String output = Files.readString(log);
                assertThat(recorder.exitValue()).as(output).isZero();
                assertThat(output).contains("stop requested", "recorded ");
            } finally {
                recorder.destroyForcibly();
            }
            String content = Files.readString(out);
            assertThat(content).endsWith("\n");
            assertThat(PriceFile.read(out).rows()).isEqualTo(content.lines().count() - 1);
        } finally {
            venues.stop();
        }
    }

    private static void stub(WireMockServer venues) throws IOException {
        venues.stubFor(get(urlPathEqualTo("/api/v1/markets")).willReturn(okJson(fixture("/backpack/markets.json"))));
        venues.stubFor(
                get(urlPathEqualTo("/api/v1/markPrices")).willReturn(okJson(fixture("/backpack/markPrices.json"))));
        venues.stubFor(
                get(urlPathEqualTo("/exchange/utc-timestamp")).willReturn(okJson("{\"timestampMs\":1714701600000}")));
        venues.stubFor(get(urlPathEqualTo("/market/exchange-info"))
                .willReturn(okJson(fixture("/hibachi/exchange-info.json"))));
        venues.stubFor(
                get(urlPathEqualTo("/market/data/prices")).willReturn(okJson(fixture("/hibachi/prices-btc.json"))));
    }

    private Process start(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("APP__"));
        return pb.start();
    }

    /** Polls the file until it has {@code n} lines; a generous deadline for a loaded machine. */
    private static void untilLines(Path file, int n, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readAllLines(file).size() >= n) {
                return;
            }
            Thread.sleep(50);
        }
        fail("fewer than " + n + " lines in " + file + " within 2 minutes:\n" + Files.readString(log));
    }

    private static String fixture(String resource) throws IOException {
        try (InputStream in = RecordStopIT.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
