package dev.perptrader.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class PairStatusTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "OPENING,OPEN",
        "OPENING,ROLLED_BACK",
        "OPENING,FAILED",
        "OPENING,UNHEDGED",
        "OPEN,CLOSING",
        "OPEN,UNHEDGED",
        "UNHEDGED,OPEN",
        "UNHEDGED,ROLLED_BACK",
        "UNHEDGED,CLOSING",
        "CLOSING,CLOSED"
    })
    void allowsTheLifeOfAPair(PairStatus from, PairStatus to) {
        assertThat(from.moveTo(to)).isEqualTo(to);
    }

    @ParameterizedTest(name = "{0} -> {1} refused")
    @CsvSource({
        "OPENING,CLOSED",
        "OPENING,CLOSING",
        "OPEN,OPENING",
        "OPEN,CLOSED",
        "OPEN,ROLLED_BACK",
        "CLOSING,OPEN",
        "CLOSED,OPEN",
        "CLOSED,CLOSING",
        "ROLLED_BACK,OPEN",
        "FAILED,OPENING",
        "OPEN,OPEN"
    })
    void refusesIllegalTransitions(PairStatus from, PairStatus to) {
        assertThatThrownBy(() -> from.moveTo(to))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("illegal pair transition " + from + " -> " + to);
    }

    @Test
    void terminalStatusesGoNowhere() {
        for (PairStatus s : EnumSet.of(PairStatus.CLOSED, PairStatus.ROLLED_BACK, PairStatus.FAILED)) {
            assertThat(s.isTerminal()).isTrue();
            assertThat(PairStatus.active()).doesNotContain(s);
        }
        assertThat(PairStatus.active())
                .containsExactlyInAnyOrder(
                        PairStatus.OPENING, PairStatus.OPEN, PairStatus.CLOSING, PairStatus.UNHEDGED);
    }
}
