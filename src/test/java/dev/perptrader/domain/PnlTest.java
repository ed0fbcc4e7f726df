package dev.perptrader.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

final class PnlTest {
    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    @Test
    void unrealizedPnlFollowsTheSide() {
        assertThat(Pnl.unrealized(Side.LONG, d("0.5"), d("100"), d("110"))).isEqualByComparingTo("5");
        assertThat(Pnl.unrealized(Side.SHORT, d("0.5"), d("100"), d("110"))).isEqualByComparingTo("-5");
        assertThat(Pnl.unrealized(Side.SHORT, d("0.5"), d("100"), d("90"))).isEqualByComparingTo("5");
    }

    @Test
    void divergenceIsTheNetPnlOverNotional() {
        assertThat(Pnl.divergence(d("5"), d("-4"), d("100"))).isEqualByComparingTo("0.01");
        assertThat(Pnl.divergence(d("-5"), d("-5"), d("100"))).isEqualByComparingTo("0.1");
        assertThat(Pnl.divergence(d("1"), d("1"), BigDecimal.ZERO)).isZero();
    }

    @Test
    void collateralRatioIsEquityOverMaintenance() {
        assertThat(Pnl.collateralRatio(d("150"), d("100"))).isEqualByComparingTo("1.5");
        assertThat(Pnl.collateralRatio(d("150"), BigDecimal.ZERO)).isNull();
    }

    @Test
    void sidesAndOrderSidesAreOpposites() {
        assertThat(Side.LONG.opposite()).isEqualTo(Side.SHORT);
        assertThat(Side.LONG.opening()).isEqualTo(OrderSide.BUY);
        assertThat(Side.LONG.closing()).isEqualTo(OrderSide.SELL);
        assertThat(Side.SHORT.opening()).isEqualTo(OrderSide.SELL);
        assertThat(Side.SHORT.closing()).isEqualTo(OrderSide.BUY);
        assertThat(Side.SHORT.sign()).isEqualByComparingTo("-1");
    }

    @Test
    void vwapWeighsByQuantity() {
        assertThat(Pnl.vwap(d("1"), d("100"), d("3"), d("200"))).isEqualByComparingTo("175");
    }
}
