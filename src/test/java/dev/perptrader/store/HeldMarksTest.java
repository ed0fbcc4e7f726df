package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class HeldMarksTest {
    private static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();

    @Test
    void aRowComesBackAsTheTableGivesItBackNullsAndLongDecimalsIncluded() {
        HeldMarks held = new HeldMarks();
        BigDecimal longUpnl = new BigDecimal("-1234567890.123456789012345"); // 25 digits: kept aside
        held.add(new Store.Mark(
                7,
                Instant.ofEpochMilli(T0),
                new BigDecimal("60000.5000"),
                new BigDecimal("1E+3"),
                longUpnl,
                null,
                new BigDecimal("3.14159265358979323846264338327950"),
                null,
                new BigDecimal("0.000049")));

        Store.Mark m = held.all().get(0);
        assertThat(m.pairId()).isEqualTo(7);
        assertThat(m.at()).isEqualTo(Instant.ofEpochMilli(T0));
        // exact scales: what new BigDecimal(text) gives back from the column
        assertThat(m.longMark())
                .isEqualByComparingTo("60000.5")
                .satisfies(v -> assertThat(v.scale()).isEqualTo(1));
        assertThat(m.shortMark().toPlainString()).isEqualTo("1000");
        assertThat(m.longUpnl().toPlainString()).isEqualTo("-1234567890.123456789012345");
        assertThat(m.shortUpnl()).isNull();
        assertThat(m.longVenueRatio().toPlainString())
                .as("ratios at their 4 stored decimals")
                .isEqualTo("3.1416");
        assertThat(m.shortVenueRatio()).isNull();
        assertThat(m.divergence().toPlainString()).isEqualTo("0");
    }

    @Test
    void rowsTakenOldestFirstWhileTheColumnsGrowAndCompactStayWhole() {
        HeldMarks held = new HeldMarks();
        List<Store.Mark> added = new ArrayList<>();
        int taken = 0;
        // three pairs, a row each per minute, taken in chunks so the columns both grow and compact
        for (int minute = 0; minute < 6000; minute++) {
            for (long pair = 1; pair <= 3; pair++) {
                Store.Mark m = row(pair, minute);
                held.add(m);
                added.add(m);
            }
            if (minute % 700 == 699) {
                for (int i = 0; i < 1500; i++) {
                    assertThat(held.oldestAt()).isEqualTo(added.get(taken).at().toEpochMilli());
                    assertThat(held.takeOldest()).isEqualTo(added.get(taken));
                    taken++;
                }
            }
        }
        assertThat(held.all()).isEqualTo(added.subList(taken, added.size()));

        // around: rows of one pair, with both marks, on either side of a time
        long at = T0 + 5500L * 60_000 + 30_000; // between minutes 5500 and 5501
        assertThat(held.around(2, at, true)).isEqualTo(row(2, 5500));
        assertThat(held.around(2, at, false)).as("5501 has no short mark").isEqualTo(row(2, 5502));
        // minute 4000 is an odd row with no short mark: the nearest rows with both are picked
        long odd = T0 + 4001L * 60_000;
        assertThat(held.around(3, odd, true)).isEqualTo(row(3, 4000));
        assertThat(held.around(3, odd, false)).isEqualTo(row(3, 4002));
        assertThat(held.around(1, T0, true)).as("taken rows are gone").isNull();
        assertThat(held.around(4, at, true)).as("no such pair").isNull();

        while (!held.isEmpty()) {
            assertThat(held.takeOldest()).isEqualTo(added.get(taken++));
        }
        assertThat(taken).isEqualTo(added.size());
        held.add(row(1, 7000));
        assertThat(held.all()).containsExactly(row(1, 7000));
        held.clear();
        assertThat(held.isEmpty()).isTrue();
        assertThat(held.around(1, T0 + 7000L * 60_000, true)).isNull();
    }

    /** A row already in stored form (so it compares equal after the round trip); odd minutes lack the short mark. */
    private static Store.Mark row(long pair, int minute) {
        BigDecimal mark = Store.asStored(new BigDecimal("60000.5").add(BigDecimal.valueOf(minute * pair, 2)));
        return new Store.Mark(
                pair,
                Instant.ofEpochMilli(T0 + minute * 60_000L),
                mark,
                minute % 2 == 1 ? null : mark.add(BigDecimal.ONE),
                Store.asStored(new BigDecimal("-0.0123").add(BigDecimal.valueOf(minute, 4))),
                null,
                new BigDecimal("12.3457"),
                minute % 3 == 0 ? null : new BigDecimal("7.25"),
                new BigDecimal("0.0001"));
    }
}
