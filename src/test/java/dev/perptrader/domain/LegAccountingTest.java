package dev.perptrader.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.exchange.backpack.BackpackExchange;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A leg's fill accounting: sizes, average prices, realized PnL and fees. */
final class LegAccountingTest {
    private static final BigDecimal ZERO = BigDecimal.ZERO;

    private static Leg pending(Side side) {
        return new Leg(
                1,
                1,
                BackpackExchange.VENUE,
                "BTC_USDC_PERP",
                side,
                ZERO,
                ZERO,
                ZERO,
                null,
                null,
                null,
                null,
                ZERO,
                ZERO,
                ZERO,
                LegStatus.PENDING,
                null,
                null);
    }

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    @Test
    void openingFillsAverageTheEntry() {
        Leg leg = pending(Side.LONG)
                .apply(OrderPurpose.OPEN, d("1"), d("100"), d("0.05"))
                .apply(OrderPurpose.OPEN, d("3"), d("104"), d("0.15"));
        assertThat(leg.size()).isEqualByComparingTo("4");
        assertThat(leg.openedQty()).isEqualByComparingTo("4");
        assertThat(leg.entryPrice()).isEqualByComparingTo("103");
        assertThat(leg.fees()).isEqualByComparingTo("0.2");
        assertThat(leg.status()).isEqualTo(LegStatus.OPEN);
    }

    @Test
    void anOpeningFillOfNothingLeavesThePendingLegRejected() {
        Leg leg = pending(Side.SHORT).apply(OrderPurpose.OPEN, ZERO, null, ZERO);
        assertThat(leg.status()).isEqualTo(LegStatus.REJECTED);
        assertThat(leg.entryPrice()).isNull();
    }

    @Test
    void reducingFillsRealizePnlAgainstTheEntryBySide() {
        Leg shortLeg = pending(Side.SHORT).apply(OrderPurpose.OPEN, d("2"), d("100"), ZERO);
        Leg trimmed = shortLeg.apply(OrderPurpose.TRIM, d("0.5"), d("90"), d("0.01"));
        assertThat(trimmed.size()).isEqualByComparingTo("1.5");
        assertThat(trimmed.realizedPnl()).isEqualByComparingTo("5"); // short gains 10 on 0.5
        assertThat(trimmed.status()).isEqualTo(LegStatus.OPEN);
        Leg closed = trimmed.apply(OrderPurpose.CLOSE, d("1.5"), d("110"), d("0.02"));
        assertThat(closed.size()).isZero();
        assertThat(closed.closedQty()).isEqualByComparingTo("2");
        assertThat(closed.exitPrice()).isEqualByComparingTo("105"); // (0.5 x 90 + 1.5 x 110) / 2
        assertThat(closed.realizedPnl()).isEqualByComparingTo("-10"); // 5 - 15
        assertThat(closed.fees()).isEqualByComparingTo("0.03");
        assertThat(closed.status()).isEqualTo(LegStatus.CLOSED);
    }

    @Test
    void aLegTheVenueTookIsClosedAtTheVenuesPriceWithItsFeeAndNoLongerSuspect() {
        Leg open = pending(Side.LONG).apply(OrderPurpose.OPEN, d("2"), d("100"), ZERO);
        Leg suspect = new Leg(
                open.id(),
                open.pairId(),
                open.venue(),
                open.symbol(),
                open.side(),
                open.size(),
                open.openedQty(),
                open.closedQty(),
                open.entryPrice(),
                open.exitPrice(),
                open.markPrice(),
                open.unrealizedPnl(),
                open.realizedPnl(),
                open.fees(),
                open.funding(),
                open.status(),
                Instant.parse("2026-03-02T10:00:00Z"),
                "EMPTY");
        Leg gone = suspect.venueReduced(ZERO, d("80"), d("2.8"));
        assertThat(gone.size()).isZero();
        assertThat(gone.status()).isEqualTo(LegStatus.MISSING);
        assertThat(gone.realizedPnl()).isEqualByComparingTo("-40");
        assertThat(gone.fees()).isEqualByComparingTo("2.8");
        assertThat(gone.exitPrice()).isEqualByComparingTo("80");
        assertThat(gone.suspect()).isFalse();

        Leg half = open.venueReduced(d("1"), d("90"), ZERO);
        assertThat(half.size()).isEqualByComparingTo("1");
        assertThat(half.status()).isEqualTo(LegStatus.OPEN);
        assertThat(half.realizedPnl()).isEqualByComparingTo("-10");
    }
}
