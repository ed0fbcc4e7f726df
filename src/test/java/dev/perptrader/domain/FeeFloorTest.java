package dev.perptrader.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

final class FeeFloorTest {
    @Test
    void restingOnBackpackAndTakingOnHibachiCostsHalfOfEachRatePerDollarOfVolume() {
        // Backpack maker 0.0002, Hibachi taker 0.0002: $200 per $1M, against $350 when both take
        assertThat(FeeFloor.oneTakerLegPer1m(new BigDecimal("0.0002"), new BigDecimal("0.0002")))
                .isEqualByComparingTo("200");
        assertThat(FeeFloor.bothTakePer1m(new BigDecimal("0.0005"), new BigDecimal("0.0002")))
                .isEqualByComparingTo("350");
    }

    @Test
    void aMakerRebateLowersTheFloor() {
        assertThat(FeeFloor.oneTakerLegPer1m(new BigDecimal("-0.0001"), new BigDecimal("0.0003")))
                .isEqualByComparingTo("100");
    }
}
