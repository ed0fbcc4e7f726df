package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.PairStatus;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RiskLimitTest {
    @TempDir
    Path dir;

    private Harness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void capsAPairsNotionalAtTheConfiguredMaximum() {
        h = new Harness(dir, Map.of("APP__RISK__MAX_NOTIONAL_USD", "150"));
        h.orchestrator.step();
        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        // 0.0025 BTC = 150 USD at 60000; the common step 0.0001 rounds down
        assertThat(pair.quantity()).isEqualByComparingTo("0.0025");
        assertThat(pair.notional()).isLessThanOrEqualTo(new BigDecimal("150"));
    }

    @Test
    void stopsNewPairsForTheRestOfTheDayOnceTheDailyLossLimitIsReached() {
        // fees alone (~0.8 USD a pair with 2 bps slippage each way) exceed a 0.5 USD limit
        h = new Harness(dir, Map.of("APP__RISK__DAILY_LOSS_LIMIT_USD", "0.5"));
        h.orchestrator.step();
        h.advance(Duration.ofHours(1));
        h.orchestrator.step();
        assertThat(h.onlyPair().status()).isEqualTo(PairStatus.CLOSED);
        assertThat(h.onlyPair().realizedPnl().subtract(h.onlyPair().fees())).isLessThan(new BigDecimal("-0.5"));

        h.advance(Duration.ofMinutes(15));
        h.orchestrator.step();
        assertThat(h.store.pairs(EnumSet.allOf(PairStatus.class))).hasSize(1);
        assertThat(h.alertKinds()).contains("DAILY_LOSS_LIMIT");

        h.advance(Duration.ofHours(13)); // past 00:00 UTC (start was 10:00)
        h.orchestrator.step();
        assertThat(h.store.pairs(EnumSet.allOf(PairStatus.class))).hasSize(2);
    }

    @Test
    void zeroMeansNoDailyLossLimit() {
        h = new Harness(dir, Map.of("APP__RISK__DAILY_LOSS_LIMIT_USD", "0"));
        h.orchestrator.step();
        h.advance(Duration.ofHours(1));
        h.orchestrator.step();
        h.advance(Duration.ofMinutes(15));
        h.orchestrator.step();
        assertThat(h.store.pairs(EnumSet.allOf(PairStatus.class))).hasSize(2);
        assertThat(h.alertKinds()).doesNotContain("DAILY_LOSS_LIMIT");
    }
}
