package dev.perptrader.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class QuantitiesTest {
    private static MarketRules rules(String step) {
        return new MarketRules(
                "BTC",
                "BTC-" + step,
                new BigDecimal("0.1"),
                new BigDecimal(step),
                new BigDecimal(step),
                BigDecimal.ZERO,
                true);
    }

    @ParameterizedTest(name = "{0} with steps {1} and {2} -> {3}")
    @CsvSource({
        "0.0123456, 0.00001, 0.0001, 0.0123",
        "0.0123456, 0.0001, 0.00001, 0.0123",
        "0.0099999, 0.001, 0.001, 0.009",
        "12.345, 0.1, 1, 12",
        "0.13, 0.02, 0.03, 0.12",
        "0.00009, 0.00001, 0.0001, 0",
        "5, 0.5, 0.25, 5",
    })
    void roundsDownToTheCoarserStep(String raw, String stepA, String stepB, String expected) {
        BigDecimal q = Quantities.commonQuantity(new BigDecimal(raw), rules(stepA), rules(stepB));
        assertThat(q).isEqualByComparingTo(expected);
        assertThat(q.remainder(new BigDecimal(stepA))).isZero();
        assertThat(q.remainder(new BigDecimal(stepB))).isZero();
    }

    @Test
    void neverRoundsUpOrGoesNegative() {
        assertThat(Quantities.floorToStep(new BigDecimal("0.0199999999"), new BigDecimal("0.01")))
                .isEqualByComparingTo("0.01");
        assertThat(Quantities.floorToStep(new BigDecimal("-1"), new BigDecimal("0.01")))
                .isZero();
    }

    @Test
    void commonStepIsTheLeastCommonMultiple() {
        assertThat(Quantities.commonStep(new BigDecimal("0.001"), new BigDecimal("0.01")))
                .isEqualByComparingTo("0.01");
        assertThat(Quantities.commonStep(new BigDecimal("0.02"), new BigDecimal("0.03")))
                .isEqualByComparingTo("0.06");
        assertThat(Quantities.commonStep(new BigDecimal("1"), new BigDecimal("0.1")))
                .isEqualByComparingTo("1");
    }

    @Test
    void refusesANonPositiveStep() {
        assertThatThrownBy(() -> Quantities.floorToStep(BigDecimal.ONE, BigDecimal.ZERO))
                .hasMessage("step <= 0: 0");
    }

    @Test
    void pricesRoundToTheNearestTickAndMinimumsApply() {
        MarketRules r = new MarketRules(
                "BTC",
                "BTC/USDT-P",
                new BigDecimal("0.5"),
                new BigDecimal("0.001"),
                new BigDecimal("0.002"),
                new BigDecimal("10"),
                true);
        assertThat(r.roundPrice(new BigDecimal("100.74"))).isEqualByComparingTo("100.5");
        assertThat(r.roundPrice(new BigDecimal("100.75"))).isEqualByComparingTo("101");
        assertThat(r.meetsMinimums(new BigDecimal("0.001"), new BigDecimal("60000")))
                .isFalse();
        assertThat(r.meetsMinimums(new BigDecimal("0.002"), new BigDecimal("4999")))
                .isFalse();
        assertThat(r.meetsMinimums(new BigDecimal("0.002"), new BigDecimal("5000")))
                .isTrue();
    }
}
