package dev.perptrader.exchange.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A draw gives exactly the numbers {@code new Random(seed)} gives: the simulated market's price
 * path, and so every figure a simulation prints, stays what it was with java.util.Random.
 */
final class SimRandomTest {
    @Test
    void aDrawGivesTheNumbersRandomGivesForTheSameSeed() {
        long[] seeds = {0, 1, 42, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x5DEECE66DL, 123_456_789_012L};
        for (long seed : seeds) {
            Random expected = new Random(seed);
            SimRandom.Draw draw = new SimRandom.Draw(seed);
            for (int i = 0; i < 5_000; i++) {
                // Gaussians come in pairs: an odd count leaves one waiting, as Random does
                if (i % 7 == 3) {
                    assertThat(draw.nextDouble())
                            .as("seed %d, number %d", seed, i)
                            .isEqualTo(expected.nextDouble());
                } else {
                    assertThat(draw.nextGaussian())
                            .as("seed %d, number %d", seed, i)
                            .isEqualTo(expected.nextGaussian());
                }
            }
        }
    }

    @Test
    void eachNumberedDrawIsItsOwnSequenceAndTheSameEveryTime() {
        SimRandom random = new SimRandom(42);
        double first = random.draw(0).nextGaussian();
        assertThat(random.draw(0).nextGaussian()).isEqualTo(first);
        assertThat(random.draw(1).nextGaussian()).isNotEqualTo(first);
        assertThat(new SimRandom(43).draw(0).nextGaussian()).isNotEqualTo(first);
    }
}
