package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A value held for a later write must equal, scale included, what the column would give back. */
final class StoreAsStoredTest {
    @Test
    void aHeldValueIsWhatItsStoredTextReadsBackAs() {
        String[] samples = {"0", "0.000", "-0.0", "1000", "1E+3", "1.2300", "-12.3400", "5E-10", "100.5", "-7E+2"};
        for (String s : samples) {
            assertRoundTrip(new BigDecimal(s));
        }
        Random rnd = new Random(1);
        for (int n = 0; n < 50_000; n++) {
            BigDecimal v = BigDecimal.valueOf(rnd.nextLong() % 10_000_000, rnd.nextInt(16) - 4);
            assertRoundTrip(v);
        }
    }

    private static void assertRoundTrip(BigDecimal v) {
        BigDecimal readBack = new BigDecimal(v.stripTrailingZeros().toPlainString());
        assertThat(Store.asStored(v)).as("%s", v).isEqualTo(readBack);
    }
}
