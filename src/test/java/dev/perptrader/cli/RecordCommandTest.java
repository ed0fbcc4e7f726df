package dev.perptrader.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.sim.PriceFile;
import dev.perptrader.exchange.sim.PriceReplay;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code perp-trader record} as a user runs it. */
@WireMockTest
final class RecordCommandTest {
    /** The command that made docs/sample-prices.csv, as the README gives it. */
    private static final List<String> SAMPLE_ARGS = List.of(
            "record",
            "--mode",
            "sim",
            "--start",
            "2024-01-01T00:00:00Z",
            "--interval-seconds",
            "3600",
            "--samples",
            "48");

    @TempDir
    Path dir;

    @Test
    void theShippedSampleIsWhatRecordMakesFromTheSimVenues() throws IOException {
        Path out = dir.resolve("sample.csv");

        CliResult r = record(SAMPLE_ARGS, "--out", out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip())
                .isEqualTo("recorded 48 samples, 288 lines, to " + out
                        + " (2024-01-01T00:00:00Z to 2024-01-02T23:00:00Z)");
        assertThat(Files.readString(out))
                .as("docs/sample-prices.csv is out of date: regenerate it with 'java -jar target/perp-trader.jar "
                        + String.join(" ", SAMPLE_ARGS) + " --out docs/sample-prices.csv' (a fresh file)")
                .isEqualTo(Files.readString(Path.of("docs", "sample-prices.csv")));
        PriceReplay replay = PriceFile.read(out);
        assertThat(replay.start()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(replay.assets(HibachiExchange.VENUE)).containsExactly("BTC", "ETH", "SOL");
    }

    @Test
    void simModeTakesADayOfSamplesByDefaultAndAppendsOnlyForward() throws IOException {
        Path out = dir.resolve("p.csv");

        CliResult first = record(
                List.of("record", "--mode", "sim", "--start", "2024-01-01T00:00:00Z", "--interval-seconds", "7200"),
                "--out",
                out.toString());
        CliResult more = record(
                List.of("record", "--mode", "sim", "--start", "2024-01-02T00:00:00Z", "--samples", "2"),
                "--out",
                out.toString());
        CliResult back = record(
                List.of("record", "--mode", "sim", "--start", "2024-01-01T12:00:00Z", "--samples", "1"),
                "--out",
                out.toString());

        assertThat(first.code()).isZero();
        assertThat(first.out()).startsWith("recorded 12 samples, 72 lines");
        assertThat(more.code()).isZero();
        assertThat(more.out()).contains("(2024-01-02T00:00:00Z to 2024-01-02T00:01:00Z)");
        assertOneLineError(
                back,
                "perp-trader: " + out + " ends at 2024-01-02T00:01:00Z: a recording from 2024-01-01T12:00:00Z"
                        + " would go back in time (record to another file, or start later)");
        assertThat(PriceFile.read(out).rows()).isEqualTo(84);
    }

    @Test
    void paperModeRecordsThePublicEndpointsWithoutKeys(WireMockRuntimeInfo wm) throws IOException {
        stubFor(get(urlPathEqualTo("/api/v1/markets")).willReturn(okJson(fixture("/backpack/markets.json"))));
        stubFor(get(urlPathEqualTo("/api/v1/markPrices")).willReturn(okJson(fixture("/backpack/markPrices.json"))));
        stubFor(get(urlPathEqualTo("/exchange/utc-timestamp")).willReturn(okJson("{\"timestampMs\":1714701600000}")));
        stubFor(get(urlPathEqualTo("/market/exchange-info"))
                .willReturn(okJson(fixture("/hibachi/exchange-info.json"))));
        stubFor(get(urlPathEqualTo("/market/data/prices")).willReturn(okJson(fixture("/hibachi/prices-btc.json"))));
        Path out = dir.resolve("paper.csv");

        CliResult r = record(
                List.of("record", "--mode", "paper", "--samples", "1", "--config", config(wm, "BTC")),
                "--out",
                out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).endsWith(",backpack,BTC,BTC_USDC_PERP,104321.5,0.0000125,1");
        assertThat(lines.get(2)).endsWith(",hibachi,BTC,BTC/USDT-P,64000.25,0.000013,8");
    }

    @Test
    void paperModeWhereNoVenueAnswersExitsOne(WireMockRuntimeInfo wm) throws IOException {
        stubFor(get(urlPathEqualTo("/api/v1/markets")).willReturn(serverError()));
        stubFor(get(urlPathEqualTo("/market/exchange-info")).willReturn(serverError()));
        stubFor(get(urlPathEqualTo("/exchange/utc-timestamp")).willReturn(serverError()));
        Path out = dir.resolve("down.csv");

        CliResult r = record(
                List.of("record", "--mode", "paper", "--samples", "1", "--config", config(wm, "BTC")),
                "--out",
                out.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("recorded 1 sample, 0 lines", "2 reads failed, see the log");
    }

    @Test
    void badRequestsAreOneLineAndExitTwo() throws IOException {
        Path notPrices = Files.writeString(dir.resolve("other.csv"), "id,name\n1,x\n");
        assertOneLineError(
                run("record", "--mode", "sim", "--interval-seconds", "0"),
                "--interval-seconds must be 1 to 86400, got 0");
        assertOneLineError(
                run("record", "--mode", "sim", "--interval-seconds", "86401"),
                "--interval-seconds must be 1 to 86400, got 86401");
        assertOneLineError(run("record", "--mode", "sim", "--samples", "0"), "--samples must be at least 1, got 0");
        assertOneLineError(
                run(
                        "record",
                        "--mode",
                        "sim",
                        "--start",
                        "yesterday",
                        "--out",
                        dir.resolve("a.csv").toString()),
                "--start: not a UTC time like 2024-01-01T00:00:00Z: 'yesterday'");
        assertOneLineError(
                run("record", "--mode", "paper", "--start", "2024-01-01T00:00:00Z"),
                "--start applies to --mode sim only");
        assertOneLineError(run("record", "--mode", "sim", "--out", dir.toString()), "--out " + dir + " is a directory");
        assertOneLineError(
                run("record", "--mode", "sim", "--samples", "1", "--out", notPrices.toString()),
                notPrices + " line 1: not a price file (its header is 'id,name'");
        assertOneLineError(run("record", "--mode", "moon"), "mode: unknown mode 'moon'");
        assertThat(dir.resolve("a.csv"))
                .as("a refused recording leaves no file")
                .doesNotExist();
    }

    @Test
    void helpNamesTheOptions() {
        CliResult r = run("record", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--mode", "--out", "--interval-seconds", "--samples", "--start");
    }

    private CliResult record(List<String> args, String... more) {
        String[] all = new String[args.size() + more.length + 2];
        for (int i = 0; i < args.size(); i++) {
            all[i] = args.get(i);
        }
        System.arraycopy(more, 0, all, args.size(), more.length);
        if (args.contains("--config")) {
            return CliResult.run(java.util.Arrays.copyOf(all, args.size() + more.length));
        }
        all[all.length - 2] = "--config";
        all[all.length - 1] = emptyConfig();
        return CliResult.run(all);
    }

    private CliResult run(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--config";
        all[args.length + 1] = emptyConfig();
        return CliResult.run(all);
    }

    /** An explicit empty config file: the built-in defaults, whatever lies in the working directory. */
    private String emptyConfig() {
        try {
            return Files.writeString(dir.resolve("empty.conf"), "").toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String config(WireMockRuntimeInfo wm, String markets) throws IOException {
        String url = wm.getHttpBaseUrl();
        return Files.writeString(
                        dir.resolve("paper.conf"),
                        "trading.markets = [" + markets + "]\n"
                                + "exchanges.backpack.base_url = \"" + url + "\"\n"
                                + "exchanges.hibachi.data_url = \"" + url + "\"\n")
                .toString();
    }

    private static void assertOneLineError(CliResult r, String contains) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains(contains).doesNotContain("Exception");
    }

    private static String fixture(String resource) throws IOException {
        try (InputStream in = RecordCommandTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
