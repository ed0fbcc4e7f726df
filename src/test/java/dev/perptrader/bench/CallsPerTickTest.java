package dev.perptrader.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The monitor's venue calls per tick do not grow with the open pairs (so with their symbols) or
 * with the markets listed and configured: the real trader and clients against the local venues,
 * counted at the venues. No timing is asserted.
 */
final class CallsPerTickTest {
    @Test
    void callsPerVenuePerTickAreTheSameForOneOrManyPairsAndFewOrManyMarkets() throws Exception {
        BenchOptions options = new BenchOptions(
                1,
                4,
                Duration.ZERO,
                Duration.ZERO,
                0,
                2,
                11,
                BenchOptions.MAX_MARKETS,
                0,
                BenchOptions.HibachiSigning.HMAC);

        BenchReport report = Bench.run(options, line -> {});

        assertThat(report.ticks())
                .extracting(BenchReport.Tick::openPairs, BenchReport.Tick::markets)
                .containsExactly(tuple(1, BenchOptions.MAX_MARKETS), tuple(4, BenchOptions.MAX_MARKETS));
        assertThat(report.fewMarkets())
                .extracting(BenchReport.Tick::openPairs, BenchReport.Tick::markets)
                .containsExactly(tuple(4, 4));
        List<BenchReport.Tick> all = new ArrayList<>(report.ticks());
        all.addAll(report.fewMarkets());
        BenchReport.Tick first = all.get(0);
        assertThat(first.callsBackpack()).isPositive();
        assertThat(first.callsHibachi()).isPositive();
        for (BenchReport.Tick t : all) {
            assertThat(t.duration().samples()).isEqualTo(2);
            assertThat(t.callsBackpack())
                    .as("backpack calls per tick at %d pairs on %d markets", t.openPairs(), t.markets())
                    .isEqualTo(first.callsBackpack());
            assertThat(t.callsHibachi())
                    .as("hibachi calls per tick at %d pairs on %d markets", t.openPairs(), t.markets())
                    .isEqualTo(first.callsHibachi());
        }
    }
}
