package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DirectionTest {
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
    void fundingDirectionGoesLongWhereFundingIsCheaper() {
        h = new Harness(dir, Map.of("APP__TRADING__DIRECTION", "funding", "APP__SIM__MAX_FUNDING_RATE", "0.001"));
        h.backpackSim.setFundingRate("BTC_USDC_PERP", new BigDecimal("0.0003"));
        h.hibachiSim.setFundingRate("BTC/USDT-P", new BigDecimal("-0.0001"));
        h.orchestrator.step();
        HedgePair pair = h.onlyPair();
        assertThat(pair.longVenue()).isEqualTo(HibachiExchange.VENUE);
        assertThat(pair.shortVenue()).isEqualTo(BackpackExchange.VENUE);
    }

    @Test
    void fixedDirectionPutsTheLongOnTheFirstVenue() {
        h = new Harness(dir, Map.of("APP__TRADING__VENUES", "hibachi,backpack"));
        h.orchestrator.step();
        assertThat(h.onlyPair().longVenue()).isEqualTo(HibachiExchange.VENUE);
    }

    @Test
    void ratesOfDifferentIntervalsComparePerHour() {
        // Hibachi's 0.0008 per 8 h is cheaper than Backpack's 0.0002 per hour
        assertThat(HedgeManager.hourly(new BigDecimal("0.0008"), Duration.ofHours(8)))
                .isEqualByComparingTo("0.0001");
        assertThat(HedgeManager.hourly(new BigDecimal("0.0002"), Duration.ofHours(1)))
                .isEqualByComparingTo("0.0002");
    }
}
