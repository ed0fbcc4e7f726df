package dev.perptrader.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Points by volume and by open-interest time, per venue. The pair used throughout: LONG 0.1 BTC
 * on backpack opened at 60000 and closed at 60100, SHORT 0.1 on hibachi opened at 60010 and
 * closed at 60120, held 4.5 hours. Volume: backpack 6000 + 6010 = 12010, hibachi 6001 + 6012 =
 * 12013, 24023 in all; open interest: backpack 6000, hibachi 6001.
 */
final class PointsModelTest {
    private static final Instant OPENED = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant ENDED = OPENED.plus(Duration.ofMinutes(270));

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static PointsModel uniform(String perVolume, String perOiHour) {
        return PointsModel.uniform(new PointsModel.Rates(d(perVolume), d(perOiHour)));
    }

    private static PointsModel perVenue(PointsModel.Rates backpack, PointsModel.Rates hibachi) {
        Map<Venue, PointsModel.Rates> m = new TreeMap<>();
        m.put(BackpackExchange.VENUE, backpack);
        m.put(HibachiExchange.VENUE, hibachi);
        // every registered venue has rates; one these tests do not trade earns nothing
        Venue.values().forEach(v -> m.putIfAbsent(v, PointsModel.Rates.volumeOnly(BigDecimal.ZERO)));
        return new PointsModel(m);
    }

    private static Leg leg(long id, Venue venue, Side side, String openedQty, String entry) {
        return new Leg(
                id,
                1,
                venue,
                "BTC",
                side,
                BigDecimal.ZERO,
                d(openedQty),
                d(openedQty),
                entry == null ? null : d(entry),
                null,
                null,
                null,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                LegStatus.CLOSED,
                null,
                null);
    }

    private static OrderRecord fill(long id, long legId, Venue venue, OrderPurpose purpose, String qty, String price) {
        return new OrderRecord(
                id,
                1,
                legId,
                venue,
                "BTC",
                "c" + id,
                purpose,
                OrderSide.BUY,
                d(qty),
                price == null ? OrderStatus.REJECTED : OrderStatus.FILLED,
                price == null ? BigDecimal.ZERO : d(qty),
                price == null ? null : d(price),
                BigDecimal.ZERO,
                true,
                null,
                null,
                OPENED,
                OPENED,
                null);
    }

    private static final List<Leg> LEGS = List.of(
            leg(11, BackpackExchange.VENUE, Side.LONG, "0.1", "60000"),
            leg(12, HibachiExchange.VENUE, Side.SHORT, "0.1", "60010"));
    private static final List<OrderRecord> FILLS = List.of(
            fill(1, 11, BackpackExchange.VENUE, OrderPurpose.OPEN, "0.1", "60000"),
            fill(2, 12, HibachiExchange.VENUE, OrderPurpose.OPEN, "0.1", "60010"),
            fill(3, 11, BackpackExchange.VENUE, OrderPurpose.CLOSE, "0.1", "60100"),
            fill(4, 12, HibachiExchange.VENUE, OrderPurpose.CLOSE, "0.1", "60120"));

    private static BigDecimal points(PointsModel model) {
        return model.points(LEGS, FILLS, OPENED, ENDED);
    }

    @Test
    void volumeOnlyIsTheFigureOfVolumeTimesRateOverAThousandExactly() {
        assertThat(points(uniform("0.7", "0"))).isEqualTo(d("16.81610000")); // 24023 × 0.7 / 1000

        // odd quantities and prices, so the last place is rounded: the same digits and scale as
        // volume × rate / 1000 at 8 places, HALF_EVEN (the estimate before OI-time existed)
        List<Leg> legs = List.of(
                leg(21, BackpackExchange.VENUE, Side.LONG, "0.123456789", "60123.45"),
                leg(22, HibachiExchange.VENUE, Side.SHORT, "0.123456789", "60124.5"));
        List<OrderRecord> fills = List.of(
                fill(5, 21, BackpackExchange.VENUE, OrderPurpose.OPEN, "0.123456789", "60123.45"),
                fill(6, 22, HibachiExchange.VENUE, OrderPurpose.OPEN, "0.123456789", "60124.5"),
                fill(7, 21, BackpackExchange.VENUE, OrderPurpose.CLOSE, "0.123456789", "59987.123"),
                fill(8, 22, HibachiExchange.VENUE, OrderPurpose.CLOSE, "0.123456789", "59990.01"),
                fill(9, 22, HibachiExchange.VENUE, OrderPurpose.TRIM, "0", null));
        BigDecimal rate = d("0.37");
        PairResult r = PairResult.of(
                "EXPIRED",
                legs,
                fills,
                BigDecimal.ZERO,
                PointsModel.uniform(PointsModel.Rates.volumeOnly(rate)),
                OPENED,
                ENDED);
        BigDecimal before = r.volume().multiply(rate).divide(new BigDecimal("1000"), 8, RoundingMode.HALF_EVEN);
        assertThat(r.points()).isEqualTo(before);
        assertThat(r.volume()).isEqualByComparingTo("29657.417384438487"); // 0.123456789 × 240225.083
    }

    @Test
    void openInterestTimeOnlyIsOpenInterestTimesHoursTimesRateOverAThousand() {
        // (6000 + 6001) × 4.5 h × 2 / 1000
        assertThat(points(uniform("0", "2"))).isEqualByComparingTo("108.009");
        // twice as long, twice the points; a millisecond is counted, not rounded to the hour
        assertThat(uniform("0", "2").points(LEGS, FILLS, OPENED, OPENED.plus(Duration.ofHours(9))))
                .isEqualByComparingTo("216.018");
        assertThat(uniform("0", "1000").points(LEGS, FILLS, OPENED, OPENED.plusMillis(36)))
                .as("12001 USD × 0.00001 h × 1000 / 1000")
                .isEqualByComparingTo("0.12001");
    }

    @Test
    void bothRatesAddUp() {
        // 24023 × 1 / 1000 + 108.009
        assertThat(points(uniform("1", "2"))).isEqualByComparingTo("132.032");
        PairResult r = PairResult.of("EXPIRED", LEGS, FILLS, BigDecimal.ZERO, uniform("1", "2"), OPENED, ENDED);
        assertThat(r.points()).isEqualTo(d("132.03200000"));
        assertThat(r.volume()).isEqualByComparingTo("24023");
    }

    @Test
    void eachLegAndFillEarnsAtItsOwnVenuesRates() {
        PointsModel.Rates a = new PointsModel.Rates(d("1"), d("0.5"));
        PointsModel.Rates b = new PointsModel.Rates(d("3"), d("0"));
        // backpack at a: 12010 × 1 / 1000 + 6000 × 4.5 × 0.5 / 1000 = 12.01 + 13.5
        // hibachi at b:  12013 × 3 / 1000 = 36.039
        assertThat(points(perVenue(a, b))).isEqualByComparingTo("61.549");
        // swapped: backpack 12010 × 3 / 1000 = 36.03; hibachi 12.013 + 6001 × 4.5 × 0.5 / 1000 = 13.50225
        assertThat(points(perVenue(b, a))).isEqualByComparingTo("61.54525");
        assertThat(perVenue(a, b).rates(HibachiExchange.VENUE)).isEqualTo(b);
    }

    @Test
    void aPairThatNeverOpenedEarnsItsVolumeButNoOpenInterestTime() {
        // a rollback: the long filled and was closed again, the short was refused
        List<Leg> legs = List.of(
                leg(31, BackpackExchange.VENUE, Side.LONG, "0.1", "60000"),
                leg(32, HibachiExchange.VENUE, Side.SHORT, "0", null));
        List<OrderRecord> fills = List.of(
                fill(1, 31, BackpackExchange.VENUE, OrderPurpose.OPEN, "0.1", "60000"),
                fill(2, 32, HibachiExchange.VENUE, OrderPurpose.OPEN, "0.1", null),
                fill(3, 31, BackpackExchange.VENUE, OrderPurpose.ROLLBACK, "0.1", "59990"));
        PointsModel generous = uniform("1", "1000");
        assertThat(generous.points(legs, fills, null, OPENED.plusSeconds(2)))
                .as("(6000 + 5999) / 1000, no OI-time without an open")
                .isEqualByComparingTo("11.999");
        PairResult r = PairResult.of("ROLLED_BACK: x", legs, fills, BigDecimal.ZERO, generous, null, ENDED);
        assertThat(r.points()).isEqualByComparingTo("11.999");
        assertThat(generous.points(LEGS, FILLS, ENDED, OPENED))
                .as("an end before the open counts as no time")
                .isEqualByComparingTo("24.023");
    }

    @Test
    void ratesAreNeverNegativeAndEveryVenueHasThem() {
        assertThatThrownBy(() -> new PointsModel.Rates(d("-0.1"), BigDecimal.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("per1000UsdVolume < 0: -0.1");
        assertThatThrownBy(() -> new PointsModel.Rates(BigDecimal.ZERO, d("-2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("per1000UsdOiHour < 0: -2");
        assertThatThrownBy(() -> new PointsModel(Map.of(BackpackExchange.VENUE, PointsModel.Rates.NONE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no points rates for hibachi");
        assertThat(points(PointsModel.uniform(PointsModel.Rates.NONE))).isZero();
    }
}
