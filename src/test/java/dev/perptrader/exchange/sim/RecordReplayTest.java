package dev.perptrader.exchange.sim;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static dev.perptrader.exchange.sim.SimOrders.sell;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.PerpExchange.Quote;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code record} against the venues' public endpoints (WireMock, bodies as documented in
 * backpack.md 3.1/3.2 and hibachi.md 3.1/3.2), three samples a minute apart on a virtual clock,
 * then the file replayed: the sim venues quote exactly what was recorded and charge its funding.
 */
@WireMockTest
final class RecordReplayTest {
    private static final Instant T0 = Instant.parse("2024-06-01T00:00:00Z");
    private static final List<String> ASSETS = List.of("BTC", "ETH", "SOL");
    /** Per sample: Backpack BTC, ETH, SOL marks and rates, then Hibachi's. */
    private static final String[][] BACKPACK = {
        {"67012.3", "0.0000125", "3512.45", "-0.0000037", "171.234", "-0.0019226427158784468464417899"},
        {"67020.1", "0.0000126", "3511.90", "-0.0000040", "171.301", "0.0000100"},
        {"66998.7", "0.0000131", "3513.00", "0.0000002", "171.199", "0.0000098"}
    };

    private static final String[][] HIBACHI = {
        {"67015.214", "0.000013", "3512.881", "0.000004", "171.2505", "-0.000021"},
        {"67019.02", "0.000014", "3512.1", "0.000004", "171.3", "-0.000020"},
        {"67001.555", "0.000012", "3512.77", "0.000005", "171.222", "-0.000019"}
    };

    @TempDir
    Path dir;

    @Test
    void whatTheVenuesShowedIsRecordedAndReplayedExactly(WireMockRuntimeInfo wm) throws Exception {
        stubVenues();
        VirtualClock recordClock = new VirtualClock(T0);
        List<PerpExchange> venues = List.of(
                BackpackExchange.publicOnly(wm.getHttpBaseUrl(), recordClock),
                HibachiExchange.publicOnly(wm.getHttpBaseUrl(), recordClock));
        PriceRecorder recorder = new PriceRecorder(venues, ASSETS, recordClock);
        Path file = dir.resolve("prices.csv");

        PriceRecorder.Result result;
        try (PriceFile.Appender out = PriceFile.append(file)) {
            result = recorder.run(out, Duration.ofSeconds(60), 3, recorder.virtual(recordClock));
        }

        assertThat(result.samples()).isEqualTo(3);
        assertThat(result.rows()).isEqualTo(18);
        assertThat(result.failedReads()).isZero();
        assertThat(recordClock.instant()).as("no waiting past the last sample").isEqualTo(T0.plusSeconds(120));
        verify(3, getRequestedFor(urlPathEqualTo("/api/v1/markPrices")));
        verify(
                3,
                getRequestedFor(urlPathEqualTo("/market/data/prices")).withQueryParam("symbol", equalTo("BTC/USDT-P")));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(19);
        assertThat(lines.get(0)).isEqualTo(PriceFile.HEADER);
        assertThat(lines.get(1)).isEqualTo("2024-06-01T00:00:00Z,backpack,BTC,BTC_USDC_PERP,67012.3,0.0000125,1");
        assertThat(lines.get(6)).isEqualTo("2024-06-01T00:00:00Z,hibachi,SOL,SOL/USDT-P,171.2505,-0.000021,8");
        assertThat(lines.get(18)).isEqualTo("2024-06-01T00:02:00Z,hibachi,SOL,SOL/USDT-P,171.222,-0.000019,8");

        PriceReplay replay = PriceFile.read(file);
        MutableClock clock = new MutableClock(T0);
        try (SimWorld world =
                SimWorld.openReplay(new SimParams(dir).build(), dir.resolve("replay.db"), replay, clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            for (int sample = 0; sample < 3; sample++) {
                clock.set(T0.plusSeconds(60L * sample));
                assertQuotes(bp, List.of("BTC_USDC_PERP", "ETH_USDC_PERP", "SOL_USDC_PERP"), BACKPACK[sample]);
                assertQuotes(hb, List.of("BTC/USDT-P", "ETH/USDT-P", "SOL/USDT-P"), HIBACHI[sample]);
            }
            assertThat(bp.fundingInterval(BP_BTC)).isEqualTo(Duration.ofHours(1));
            assertThat(hb.fundingInterval(HB_BTC)).isEqualTo(Duration.ofHours(8));

            // a hedge at the last sample; its lines hold until 08:00, where both venues settle
            bp.placeMarketOrder(buy(bp, BP_BTC, "0.01"));
            hb.placeMarketOrder(sell(hb, HB_BTC, "0.01"));
            Instant opened = clock.instant();
            clock.set(Instant.parse("2024-06-01T08:00:00Z"));

            BigDecimal bpPayment = dec("0.01").multiply(dec("66998.7")).multiply(dec("0.0000131"));
            BigDecimal hbPayment = dec("0.01").multiply(dec("67001.555")).multiply(dec("0.000012"));
            assertThat(bp.fundingBetween(BP_BTC, opened, clock.instant()))
                    .as("eight hourly payments by the long")
                    .isEqualByComparingTo(
                            bpPayment.multiply(BigDecimal.valueOf(8)).negate());
            assertThat(hb.fundingBetween(HB_BTC, opened, clock.instant()))
                    .as("one payment to the short")
                    .isEqualByComparingTo(hbPayment);
        }
    }

    private static void assertQuotes(SimVenue venue, List<String> symbols, String[] expected) {
        Map<String, Quote> quotes = venue.quotes(symbols);
        for (int i = 0; i < symbols.size(); i++) {
            Quote q = quotes.get(symbols.get(i));
            assertThat(q.markPrice().toPlainString()).as(symbols.get(i)).isEqualTo(expected[2 * i]);
            assertThat(q.fundingRate().toPlainString()).as(symbols.get(i)).isEqualTo(expected[2 * i + 1]);
        }
    }

    /** The markets from the recorded fixtures; each sample's prices one scenario step further. */
    private static void stubVenues() throws IOException {
        stubFor(get(urlPathEqualTo("/api/v1/markets")).willReturn(okJson(fixture("/backpack/markets.json"))));
        stubFor(get(urlPathEqualTo("/exchange/utc-timestamp"))
                .willReturn(okJson("{\"timestampMs\":" + T0.toEpochMilli() + "}")));
        stubFor(get(urlPathEqualTo("/market/exchange-info"))
                .willReturn(okJson(fixture("/hibachi/exchange-info.json"))));
        String[] bpSymbols = {"BTC_USDC_PERP", "ETH_USDC_PERP", "SOL_USDC_PERP"};
        String[] hbSymbols = {"BTC/USDT-P", "ETH/USDT-P", "SOL/USDT-P"};
        for (int sample = 0; sample < 3; sample++) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 3; i++) {
                body.append(String.format(
                        "{\"symbol\":\"%s\",\"markPrice\":\"%s\",\"indexPrice\":\"%s\",\"fundingRate\":\"%s\","
                                + "\"nextFundingTimestamp\":1717203600000},",
                        bpSymbols[i], BACKPACK[sample][2 * i], BACKPACK[sample][2 * i], BACKPACK[sample][2 * i + 1]));
            }
            body.append("{\"symbol\":\"kPEPE_USDC_PERP\",\"markPrice\":\"0.010123\",\"indexPrice\":\"0.0101236\","
                    + "\"fundingRate\":\"0.0001\",\"nextFundingTimestamp\":1717203600000}]");
            step("backpack", sample, get(urlPathEqualTo("/api/v1/markPrices")), body.toString());
            for (int i = 0; i < 3; i++) {
                String mark = HIBACHI[sample][2 * i];
                String prices = String.format(
                        "{\"askPrice\":\"%s\",\"bidPrice\":\"%s\",\"markPrice\":\"%s\",\"spotPrice\":\"%s\","
                                + "\"tradePrice\":\"%s\",\"symbol\":\"%s\",\"fundingRateEstimation\":"
                                + "{\"estimatedFundingRate\":\"%s\",\"nextFundingTimestamp\":1717228800}}",
                        mark, mark, mark, mark, mark, hbSymbols[i], HIBACHI[sample][2 * i + 1]);
                step(
                        "hibachi " + hbSymbols[i],
                        sample,
                        get(urlPathEqualTo("/market/data/prices")).withQueryParam("symbol", equalTo(hbSymbols[i])),
                        prices);
            }
        }
    }

    /** One answer per call, in order: sample n answers in scenario state n. */
    private static void step(
            String scenario, int sample, com.github.tomakehurst.wiremock.client.MappingBuilder call, String body) {
        stubFor(call.inScenario(scenario)
                .whenScenarioStateIs(sample == 0 ? Scenario.STARTED : "sample " + sample)
                .willReturn(okJson(body))
                .willSetStateTo("sample " + (sample + 1)));
    }

    private static String fixture(String resource) throws IOException {
        try (InputStream in = RecordReplayTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
