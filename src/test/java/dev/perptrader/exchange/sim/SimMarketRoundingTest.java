package dev.perptrader.exchange.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The market step rounds in binary floating point when the result is certain and in decimal
 * otherwise; either way the value and its scale must be exactly what the decimal rounding gives,
 * or a seed would no longer give the market it gave before.
 */
final class SimMarketRoundingTest {
    private static final int CASES = 200_000;

    @Test
    void aBasisIsRoundedAsItsDecimalFormWouldBe() {
        Random rnd = new Random(7);
        for (int n = 0; n < CASES; n++) {
            double v = rnd.nextGaussian() * (n % 3 == 0 ? 1 : n % 3 == 1 ? 20 : 500);
            assertBasis(v);
        }
    }

    @Test
    void aBasisOnOrBesideAHalfOfTheLastPlaceIsRoundedInDecimal() {
        Random rnd = new Random(11);
        for (int n = 0; n < CASES; n++) {
            // k + 0.5 units of the fourth decimal, and its neighbours a few ulps away
            double half = (rnd.nextInt(2_000_000) - 1_000_000 + 0.5) / 10_000;
            assertBasis(half);
            assertBasis(Math.nextUp(half));
            assertBasis(Math.nextDown(half));
            assertBasis(Math.nextUp(Math.nextUp(half)));
        }
        assertBasis(0.00005);
        assertBasis(-0.00005);
        assertBasis(1.00005);
        assertBasis(0);
        assertBasis(-1e-9);
    }

    @Test
    void aMidStepIsRoundedAsTheDecimalProductWouldBe() {
        Random rnd = new Random(3);
        BigDecimal[] ticks = {new BigDecimal("0.1"), new BigDecimal("0.01"), new BigDecimal("0.5"), new BigDecimal("1")
        };
        BigDecimal[] mids = {
            new BigDecimal("60000.1"), new BigDecimal("2999.99"), new BigDecimal("150.05"), new BigDecimal("0.5")
        };
        for (int n = 0; n < CASES; n++) {
            BigDecimal tick = ticks[n % ticks.length];
            BigDecimal mid = mids[(n / ticks.length) % mids.length];
            double factor = Math.exp(0.002 * rnd.nextGaussian());
            assertMid(mid, factor, tick);
        }
    }

    @Test
    void aMidStepLandingOnAHalfTickIsRoundedInDecimal() {
        BigDecimal tick = new BigDecimal("0.01");
        BigDecimal mid = new BigDecimal("100.00");
        // 100 × 1.00005 = 100.005: exactly half a tick in decimal, a hair off it in binary
        for (double factor : new double[] {1.00005, Math.nextUp(1.00005), Math.nextDown(1.00005), 0.99995}) {
            assertMid(mid, factor, tick);
        }
    }

    @Test
    void aPowerOfTenTickRoundsAsTheDivisionWould() {
        Random rnd = new Random(5);
        BigDecimal[] ticks = {
            new BigDecimal("0.01"), new BigDecimal("1"), new BigDecimal("1E+1"), new BigDecimal("0.0001")
        };
        for (int n = 0; n < CASES / 10; n++) {
            BigDecimal value = BigDecimal.valueOf(rnd.nextGaussian() * 1000).setScale(6, RoundingMode.HALF_EVEN);
            for (BigDecimal tick : ticks) {
                BigDecimal expected =
                        value.divide(tick, 0, RoundingMode.HALF_UP).multiply(tick);
                assertThat(SimMarket.roundToTick(value, tick)).isEqualTo(expected);
            }
        }
    }

    private static void assertBasis(double v) {
        BigDecimal expected = BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_EVEN);
        assertThat(SimMarket.toScale(v, 4)).as("basis %s", v).isEqualTo(expected);
    }

    private static void assertMid(BigDecimal mid, double factor, BigDecimal tick) {
        BigDecimal expected = mid.multiply(BigDecimal.valueOf(factor))
                .divide(tick, 0, RoundingMode.HALF_UP)
                .multiply(tick);
        assertThat(SimMarket.stepMid(mid, factor, tick))
                .as("%s × %s on tick %s", mid, factor, tick)
                .isEqualTo(expected);
    }
}
