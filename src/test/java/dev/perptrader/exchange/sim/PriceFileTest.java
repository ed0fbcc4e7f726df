package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.dec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The price file: what is written is read back exactly; a bad file is one line naming line and column. */
final class PriceFileTest {
    private static final String HEADER = "at_utc,venue,asset,symbol,mark_price,funding_rate,funding_interval_hours\n";
    private static final String GOOD_1 = "2024-01-01T00:00:00Z,backpack,BTC,BTC_USDC_PERP,60000.1,0.0000125,1\n";
    private static final String GOOD_2 = "2024-01-01T00:00:00Z,hibachi,BTC,BTC/USDT-P,60010,-0.00002,8\n";

    @TempDir
    Path dir;

    @Test
    void whatIsAppendedIsReadBackExactly() {
        Path file = dir.resolve("prices.csv");
        PriceRow a =
                row("2024-01-01T00:00:00Z", BackpackExchange.VENUE, "60000.10", "-0.0019226427158784468464417899", 1);
        PriceRow b = row("2024-01-01T00:00:00Z", HibachiExchange.VENUE, "60010", "0.000001", 8);
        PriceRow c = row("2024-01-01T00:01:00.250Z", BackpackExchange.VENUE, "60001", "0", 1);
        try (PriceFile.Appender out = PriceFile.append(file)) {
            assertThat(out.lastAt()).isEmpty();
            out.write(List.of(a, b));
        }
        try (PriceFile.Appender out = PriceFile.append(file)) {
            assertThat(out.lastAt()).contains(Instant.parse("2024-01-01T00:00:00Z"));
            out.write(List.of(c));
        }

        PriceReplay replay = PriceFile.read(file);

        assertThat(replay.rows()).isEqualTo(3);
        assertThat(replay.start()).isEqualTo(a.at());
        assertThat(replay.end()).isEqualTo(c.at());
        assertThat(replay.at(BackpackExchange.VENUE, "BTC", a.at())).contains(a);
        assertThat(replay.at(HibachiExchange.VENUE, "BTC", c.at())).contains(b);
        assertThat(replay.at(BackpackExchange.VENUE, "BTC", c.at())).contains(c);
        assertThat(replay.at(BackpackExchange.VENUE, "BTC", a.at().minusMillis(1)))
                .isEmpty();
        assertThat(replay.at(BackpackExchange.VENUE, "ETH", c.at())).isEmpty();
        assertThat(replay.at(BackpackExchange.VENUE, "BTC", a.at())
                        .orElseThrow()
                        .markPrice()
                        .toPlainString())
                .as("every digit, as written")
                .isEqualTo("60000.10");
    }

    @Test
    void aNewFileStartsWithTheHeader() throws IOException {
        Path file = dir.resolve("new.csv");
        try (PriceFile.Appender out = PriceFile.append(file)) {
            out.write(List.of(row("2024-01-01T00:00:00Z", HibachiExchange.VENUE, "3000", "0.0001", 8)));
        }
        assertThat(Files.readString(file))
                .isEqualTo(HEADER + "2024-01-01T00:00:00Z,hibachi,BTC,BTC/USDT-P,3000,0.0001,8\n");
    }

    @Test
    void appendingRefusesAnotherKindOfFileACutOffLineAndGoingBackInTime() throws IOException {
        Path other = write("other.csv", "id,name\n1,x\n");
        assertThatThrownBy(() -> PriceFile.append(other))
                .isInstanceOf(PriceFile.PriceFileError.class)
                .hasMessage(other + " line 1: not a price file (its header is 'id,name', expected '" + HEADER.strip()
                        + "'): choose another --out");

        Path cut = write("cut.csv", HEADER + GOOD_1 + "2024-01-01T00:01:00Z,backpack,BTC,BTC_USD");
        assertThatThrownBy(() -> PriceFile.append(cut))
                .hasMessage(cut + ": the last line does not end with a newline (a recording cut off?):"
                        + " complete or remove it");

        Path ok = write("ok.csv", HEADER + GOOD_1 + GOOD_2 + "\n");
        try (PriceFile.Appender out = PriceFile.append(ok)) {
            assertThat(out.lastAt()).contains(Instant.parse("2024-01-01T00:00:00Z"));
            assertThatThrownBy(
                            () -> out.write(List.of(row("2023-12-31T23:59:59Z", BackpackExchange.VENUE, "1", "0", 1))))
                    .hasMessage(ok + " ends at 2024-01-01T00:00:00Z: a line at 2023-12-31T23:59:59Z would go back"
                            + " in time");
        }
        assertThat(Files.readString(ok)).isEqualTo(HEADER + GOOD_1 + GOOD_2 + "\n");
    }

    @Test
    void blankLinesAreIgnoredAndOffsetTimesAreUtc() throws IOException {
        Path file = write(
                "blank.csv",
                HEADER + "\n" + GOOD_1 + "   \n" + "2024-01-01T02:00:00+02:00,hibachi,btc,BTC/USDT-P,1,0,8\n");

        PriceReplay replay = PriceFile.read(file);

        assertThat(replay.rows()).isEqualTo(2);
        assertThat(replay.at(HibachiExchange.VENUE, "BTC", Instant.parse("2024-01-01T00:00:00Z")))
                .hasValueSatisfying(r -> assertThat(r.markPrice()).isEqualByComparingTo("1"));
    }

    static Stream<Arguments> badFiles() {
        String h = HEADER;
        return Stream.of(
                bad("", ": empty: expected the header " + HEADER.strip()),
                bad("\n\n", ": empty: expected the header " + HEADER.strip()),
                bad(h, ": no lines after the header"),
                bad(
                        "at_utc,venue,asset,symbol,mark,funding_rate,funding_interval_hours\n" + GOOD_1,
                        " line 1: the header is 'at_utc,venue,asset,symbol,mark,funding_rate,funding_interval_hours',"
                                + " expected '" + HEADER.strip() + "'"),
                bad(
                        h + GOOD_1 + "yesterday,backpack,BTC,BTC_USDC_PERP,1,0,1\n",
                        " line 3, column at_utc: not a UTC time like 2024-01-01T00:00:00Z: 'yesterday'"),
                bad(
                        h + "2024-01-01T00:00:00Z,binance,BTC,BTCUSDT,1,0,1\n",
                        " line 2, column venue: unknown venue 'binance' (known: backpack, hibachi, hyperliquid)"),
                bad(
                        h + "2024-01-01T00:00:00Z,backpack,BTC-PERP,BTC_USDC_PERP,1,0,1\n",
                        " line 2, column asset: not a base asset (letters and digits, e.g. BTC): 'BTC-PERP'"),
                bad(
                        h + "2024-01-01T00:00:00Z,backpack,BTC,,1,0,1\n",
                        " line 2, column symbol: not a market symbol: ''"),
                bad(
                        h + "2024-01-01T00:00:00Z,backpack,BTC,BTC_USDC_PERP,abc,0,1\n",
                        " line 2, column mark_price: not a number: 'abc'"),
                bad(
                        h + "2024-01-01T00:00:00Z,backpack,BTC,BTC_USDC_PERP,0,0,1\n",
                        " line 2, column mark_price: must be > 0: 0"),
                bad(
                        h + "2024-01-01T00:00:00Z,backpack,BTC,BTC_USDC_PERP,1,,1\n",
                        " line 2, column funding_rate: not a number: ''"),
                bad(
                        h + "2024-01-01T00:00:00Z,backpack,BTC,BTC_USDC_PERP,1,-1.5,1\n",
                        " line 2, column funding_rate: |rate| must be < 1: -1.5"),
                bad(
                        h + "2024-01-01T00:00:00Z,backpack,BTC,BTC_USDC_PERP,1,0,0\n",
                        " line 2, column funding_interval_hours: must be > 0: 0"),
                bad(
                        h + "2024-01-01T00:00:00Z,backpack,BTC,BTC_USDC_PERP,1,0,1e-10\n",
                        " line 2, column funding_interval_hours: 0.0000000001 is not a whole number of milliseconds"),
                bad(
                        h + GOOD_1 + "2024-01-01T00:00:00Z,backpack,BTC,BTC_USDC_PERP,1,0\n",
                        " line 3: 6 columns, expected 7 (" + HEADER.strip() + ")"),
                bad(
                        h + GOOD_1 + GOOD_1,
                        " line 3: a second line for backpack BTC at 2024-01-01T00:00:00Z (first on" + " line 2)"),
                bad(
                        h + GOOD_1 + "2023-12-31T23:00:00Z,hibachi,BTC,BTC/USDT-P,1,0,8\n",
                        " line 3, column at_utc: 2023-12-31T23:00:00Z is before the line above"
                                + " (2024-01-01T00:00:00Z): lines must be in time order"),
                bad(
                        h + GOOD_1 + "2024-01-01T00:01:00Z,backpack,BTC,BTCUSDC,1,0,1\n",
                        " line 3, column symbol: backpack BTC is 'BTCUSDC' here but 'BTC_USDC_PERP' on line 2"),
                bad(h + GOOD_1 + "\"2024-01-01T00:01:00Z,backpack\n", " line 4: Missing closing quote for value"));
    }

    private static Arguments bad(String content, String message) {
        return Arguments.of(content, message);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badFiles")
    void aBadFileIsOneLineNamingTheLineAndTheColumn(String content, String message) throws IOException {
        Path file = write("bad.csv", content);
        assertThatThrownBy(() -> PriceFile.read(file))
                .isInstanceOf(PriceFile.PriceFileError.class)
                .hasMessage(file + message)
                .hasMessageNotContaining("\n");
    }

    @Test
    void aMissingFileIsOneLine() {
        Path file = dir.resolve("missing.csv");
        assertThatThrownBy(() -> PriceFile.read(file)).hasMessage(file + ": no such file");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    static PriceRow row(String at, Venue venue, String mark, String rate, int hours) {
        return new PriceRow(
                Instant.parse(at),
                venue,
                "BTC",
                venue == BackpackExchange.VENUE ? "BTC_USDC_PERP" : "BTC/USDT-P",
                dec(mark),
                dec(rate),
                Duration.ofHours(hours));
    }
}
