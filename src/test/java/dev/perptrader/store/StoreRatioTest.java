package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A ratio is stored at 4 decimals, rounded half to even: the quick rounding through a double gives
 * exactly what {@code setScale(4, HALF_EVEN)} gives, scale included, for the monitor's 34-digit
 * quotients and at every half, near-half and edge.
 */
final class StoreRatioTest {
    @Test
    void aRatioIsRoundedAsSetScaleRoundsIt() {
        List<BigDecimal> values = new ArrayList<>();
        for (String s : new String[] {
            "0",
            "1",
            "-1",
            "2.5",
            "1.2345",
            "1.23455",
            "1.23445",
            "-1.23455",
            "-1.23445",
            "0.00005",
            "-0.00005",
            "0.00015",
            "1.234549999999999999999999999999999",
            "1.234550000000000000000000000000001",
            "1.2345500000001",
            "1.2345499999999",
            "2890.189047520651779230210602759622",
            "999999999.99995",
            "1000000000.00005",
            "123456789012345678.123456789",
            "1E+5",
            "5E-40",
            "-5E-41",
            "7.00000"
        }) {
            values.add(new BigDecimal(s));
        }
        Random rnd = new Random(7);
        for (int n = 0; n < 200_000; n++) {
            // quotients as the monitor makes them: equity / maintenance to 34 digits
            BigDecimal a = BigDecimal.valueOf(rnd.nextLong() % 1_000_000_000_000L, rnd.nextInt(9));
            BigDecimal b = BigDecimal.valueOf(1 + Math.floorMod(rnd.nextLong(), 1_000_000_000L), rnd.nextInt(9));
            values.add(a.divide(b, MathContext.DECIMAL128));
            // and values a hair either side of a half at the fifth decimal
            BigDecimal half =
                    BigDecimal.valueOf(rnd.nextInt(2_000_000) - 1_000_000, 4).add(new BigDecimal("0.00005"));
            values.add(half);
            values.add(half.add(BigDecimal.ONE.movePointLeft(12 + rnd.nextInt(20))));
            values.add(half.subtract(BigDecimal.ONE.movePointLeft(12 + rnd.nextInt(20))));
        }
        for (BigDecimal v : values) {
            assertThat(Store.ratio(v)).as("%s", v).isEqualTo(v.setScale(4, RoundingMode.HALF_EVEN));
        }
        assertThat(Store.ratio(null)).isNull();
    }
}
