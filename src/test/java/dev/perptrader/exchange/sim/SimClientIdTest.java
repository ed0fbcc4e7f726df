package dev.perptrader.exchange.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class SimClientIdTest {
    @Test
    void aClientIdIsTheTagAndTheSequenceZeroPaddedToSixDigits() {
        for (long seq : new long[] {0, 1, 9, 10, 999, 12345, 99999, 100000, 999999, 1000000, 123456789012L}) {
            assertThat(SimWorld.clientId("bp", seq)).isEqualTo(String.format("sim-%s-%06d", "bp", seq));
        }
    }
}
