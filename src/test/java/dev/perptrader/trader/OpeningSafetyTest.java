package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.sim.SimFault;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What keeps the bot from opening into a failure that will repeat or onto prices it cannot
 * believe: the opening breaker (a refused key, failed opens in a row), the price checks, and the
 * one resend after a clock-window refusal.
 */
final class OpeningSafetyTest {
    private static final Duration COOLDOWN = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private Harness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    private List<HedgePair> allPairs() {
        return h.store.pairs(EnumSet.allOf(PairStatus.class));
    }

    private void stepsOverAnHour() {
        for (int i = 0; i < 6; i++) {
            h.advance(COOLDOWN);
            h.orchestrator.step();
        }
    }

    @Test
    void aRefusedKeyPausesOpeningAfterOneRolledBackPair() {
        h = new Harness(dir);
        for (int i = 1; i <= 20; i++) {
            h.hibachi.failOrder(i, ExchangeError.AUTH_FAILED); // every Hibachi order: the key is wrong
        }
        h.orchestrator.step();
        stepsOverAnHour();

        assertThat(allPairs())
                .singleElement()
                .satisfies(p -> assertThat(p.status()).isEqualTo(PairStatus.ROLLED_BACK));
        assertThat(h.backpack.orders()).as("open + rollback, once").hasSize(2);
        assertThat(h.hibachi.orders()).hasSize(1);
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.store.openingPause())
                .get()
                .satisfies(p -> assertThat(p.cause()).contains("hibachi").contains("refused our signature or key"));
        assertThat(h.alertKinds()).contains("OPENING_PAUSED", "ROLLED_BACK");
    }

    @Test
    void thePauseSurvivesARestartAndResumeLiftsItWhileTheBotRuns() {
        h = new Harness(dir);
        h.hibachi.failOrder(1, ExchangeError.AUTH_FAILED);
        h.orchestrator.step();
        assertThat(h.store.openingPause()).isPresent();

        h.restart();
        stepsOverAnHour();
        assertThat(allPairs()).as("still paused after a restart").hasSize(1);

        // 'perp-trader resume' is another process writing the same database
        Store other = Store.open(h.config.database().path());
        assertThat(other.resumeOpening(h.clock.instant())).isPresent();
        h.advance(COOLDOWN);
        h.orchestrator.step();
        assertThat(allPairs()).hasSize(2);
        assertThat(h.store.pairs(Set.of(PairStatus.OPEN))).hasSize(1);
        assertThat(h.store.openingPause()).isEmpty();
    }

    @Test
    void failedOpensInARowPauseOpeningAndOnlyThoseAfterAResumeCount() {
        h = new Harness(dir);
        h.backpackSim.injectOrderFault(SimFault.REJECT);
        h.orchestrator.step();
        assertThat(h.store.openingPause())
                .as("one failed open is not a pattern")
                .isEmpty();
        h.advance(COOLDOWN);
        h.backpackSim.injectOrderFault(SimFault.REJECT);
        h.orchestrator.step();
        assertThat(h.store.openingPause())
                .get()
                .satisfies(p -> assertThat(p.cause()).startsWith("2 pairs in a row"));
        stepsOverAnHour();
        assertThat(allPairs()).hasSize(2);

        h.store.resumeOpening(h.clock.instant());
        h.advance(COOLDOWN);
        h.orchestrator.step();
        assertThat(h.store.openingPause())
                .as("the two failures before the resume no longer count")
                .isEmpty();
        assertThat(h.store.pairs(Set.of(PairStatus.OPEN))).hasSize(1);
    }

    @Test
    void aZeroMarkStopsTheOpenWithAnAlert() {
        h = new Harness(dir);
        h.backpack.bendMarks(m -> BigDecimal.ZERO);
        h.orchestrator.step();
        assertThat(allPairs()).isEmpty();
        assertThat(h.alertKinds()).contains("PRICE_SUSPECT");
        assertThat(h.backpack.orders()).isEmpty();
    }

    @Test
    void marksTooFarApartStopTheOpenAndCloseOnesDoNot() {
        h = new Harness(dir);
        h.hibachi.bendMarks(m -> m.multiply(new BigDecimal("10")));
        h.orchestrator.step();
        assertThat(allPairs()).isEmpty();
        assertThat(h.alertKinds()).contains("PRICE_SUSPECT");

        h.hibachi.bendMarks(m -> m.multiply(new BigDecimal("1.01"))); // exactly risk.max_entry_basis: allowed
        h.advance(COOLDOWN);
        h.orchestrator.step();
        assertThat(h.store.pairs(Set.of(PairStatus.OPEN))).hasSize(1);
    }

    @Test
    void theQuantityIsSizedFromTheHigherMarkSoNoLegExceedsTheNotional() {
        h = new Harness(
                dir,
                Map.of(
                        "APP__TRADING__MIN_MARGIN_USD",
                        "1000",
                        "APP__TRADING__MAX_MARGIN_USD",
                        "1000",
                        "APP__TRADING__MIN_LEVERAGE",
                        "2",
                        "APP__TRADING__MAX_LEVERAGE",
                        "2"));
        h.hibachi.bendMarks(m -> m.multiply(new BigDecimal("1.005")));
        h.orchestrator.step();
        HedgePair pair = h.onlyPair();
        BigDecimal higher = new BigDecimal("60000").multiply(new BigDecimal("1.005"));
        assertThat(pair.quantity().multiply(higher)).isLessThanOrEqualTo(new BigDecimal("2000"));
        assertThat(pair.notional()).isEqualByComparingTo(pair.quantity().multiply(higher));
    }

    @Test
    void aClockWindowRefusalIsSentAgainOnceAsANewOrder() {
        h = new Harness(dir);
        h.hibachi.failOrder(1, ExchangeError.CLOCK_REJECTED);
        h.orchestrator.step();

        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        List<OrderRecord> hibachiOrders = h.store.orders(pair.id()).stream()
                .filter(o -> o.venue() == HibachiExchange.VENUE)
                .toList();
        assertThat(hibachiOrders)
                .extracting(OrderRecord::purpose, OrderRecord::status)
                .containsExactly(
                        Tuple.tuple(OrderPurpose.OPEN, OrderStatus.REJECTED),
                        Tuple.tuple(OrderPurpose.OPEN, OrderStatus.FILLED));
        assertThat(hibachiOrders.get(0).clientId())
                .isNotEqualTo(hibachiOrders.get(1).clientId());
        assertThat(h.hibachi.orders()).hasSize(2);
        assertThat(h.store.openingPause()).isEmpty();
    }

    @Test
    void aSecondClockWindowRefusalIsNotSentAgain() {
        h = new Harness(dir);
        h.hibachi.failOrder(1, ExchangeError.CLOCK_REJECTED);
        h.hibachi.failOrder(2, ExchangeError.CLOCK_REJECTED);
        h.orchestrator.step();

        assertThat(h.hibachi.orders()).hasSize(2);
        assertThat(h.onlyPair().status()).isEqualTo(PairStatus.ROLLED_BACK);
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
    }
}
