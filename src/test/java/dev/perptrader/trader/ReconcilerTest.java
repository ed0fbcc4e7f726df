package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.LegStatus;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconciler on whole bots: legs already flat, the exposure gate, positions nobody explains. */
final class ReconcilerTest {
    @TempDir
    Path dir;

    private Harness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    private HedgePair openOnePair() {
        h = new Harness(dir, Map.of("APP__SIM__SLIPPAGE_BPS", "0"));
        h.orchestrator.step();
        return h.onlyPair();
    }

    private void stepEvery(Duration d, int times) {
        for (int i = 0; i < times; i++) {
            h.advance(d);
            h.orchestrator.step();
        }
    }

    @Test
    void bothLegsClosedByHandAreRecordedClosedAndTradingGoesOn() {
        HedgePair pair = openOnePair();
        List<Leg> legs = h.legs(pair);
        h.backpackSim.placeMarketOrder(new OrderRequest(
                legs.get(0).symbol(), OrderSide.SELL, legs.get(0).size(), true, "panic-1"));
        h.hibachiSim.placeMarketOrder(new OrderRequest(
                legs.get(1).symbol(), OrderSide.BUY, legs.get(1).size(), true, "panic-2"));
        h.advance(Duration.between(h.clock.instant(), pair.closeAt())
                .minusSeconds(30)); // the monitor's last tick before expiry
        h.orchestrator.step();
        assertThat(h.legs(pair)).allSatisfy(l -> assertThat(l.suspect()).isTrue());
        h.advance(Duration.ofSeconds(30)); // expiry: reduce-only closes go out; the flat venues refuse them
        h.orchestrator.step();
        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.CLOSING);
        stepEvery(Duration.ofSeconds(5), 6);

        HedgePair closed = h.store.pair(pair.id()).orElseThrow();
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        assertThat(h.legs(closed)).extracting(Leg::status).containsOnly(LegStatus.MISSING);
        assertThat(h.backpack.orders())
                .as("the open and one refused reduce-only close, not a close every retry")
                .hasSize(2);
        assertThat(h.alertKinds())
                .as("the venue's fills show the hand closes")
                .contains("LEG_SUSPECT")
                .doesNotContain("CLOSED_WITHOUT_FILL");
        assertThat(h.legs(closed)).allSatisfy(l -> assertThat(l.exitPrice()).isEqualByComparingTo("60000"));

        stepEvery(Duration.ofMinutes(10), 1);
        assertThat(h.store.pairs(Set.of(PairStatus.OPEN))).as("trading goes on").hasSize(1);
    }

    @Test
    void aCloseRefusedForALegAlreadyGoneIsConfirmedFlatNotRetriedForever() {
        HedgePair pair = openOnePair();
        Leg shortLeg = h.legs(pair).get(1);
        h.advance(Duration.between(h.clock.instant(), pair.closeAt()).minusSeconds(10));
        h.orchestrator.step(); // the monitor's last tick before expiry: all is well
        assertThat(h.legs(pair).get(1).suspect()).isFalse();
        // the short vanishes between the last tick and the close: the reduce-only close is refused
        h.hibachiSim.placeMarketOrder(
                new OrderRequest(shortLeg.symbol(), OrderSide.BUY, shortLeg.size(), true, "hand-1"));
        h.advance(Duration.ofSeconds(10));
        h.orchestrator.step();
        assertThat(h.legs(pair).get(1).suspect()).isTrue();
        stepEvery(Duration.ofSeconds(5), 6);

        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.CLOSED);
        assertThat(h.hibachi.orders())
                .as("open, one refused close, nothing more")
                .hasSize(2);
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
    }

    @Test
    void nothingOpensWhileALegIsSuspect() {
        h = new Harness(
                dir,
                Map.of(
                        "APP__TRADING__MARKETS",
                        "BTC,ETH",
                        "APP__TRADING__MAX_OPEN_PAIRS",
                        "2",
                        "APP__RECONCILE__CONFIRM_SECONDS",
                        "600"));
        h.orchestrator.step();
        HedgePair first = h.onlyPair();
        h.hibachi.bendAccount(a -> new AccountState(a.equity(), a.freeCollateral(), a.maintenanceMargin(), List.of()));
        stepEvery(Duration.ofMinutes(1), 1); // the monitor sees the short gone: SUSPECT
        assertThat(h.legs(first).get(1).suspect()).isTrue();
        stepEvery(Duration.ofMinutes(10), 3);

        assertThat(h.store.pairs(EnumSet.allOf(PairStatus.class)))
                .as("no second pair")
                .hasSize(1);
        assertThat(h.store.gate()).get().satisfies(g -> assertThat(g.reason()).contains("is SUSPECT"));
        assertThat(h.alertKinds()).contains("OPENING_BLOCKED");
    }

    @Test
    void aPositionNobodyExplainsKeepsOnlyItsOwnAssetOffLimits() {
        h = new Harness(dir, Map.of("APP__TRADING__MARKETS", "BTC,ETH", "APP__TRADING__MAX_OPEN_PAIRS", "2"));
        h.hibachiSim.placeMarketOrder(
                new OrderRequest("ETH/USDT-P", OrderSide.BUY, new BigDecimal("0.1"), false, "by-hand-1"));
        h.orchestrator.step();
        stepEvery(Duration.ofMinutes(10), 3);

        List<HedgePair> pairs = h.store.pairs(EnumSet.allOf(PairStatus.class));
        assertThat(pairs).extracting(HedgePair::asset).containsOnly("BTC");
        assertThat(h.store.gate()).get().satisfies(g -> assertThat(g.reason()).contains("[ETH] off limits"));
        assertThat(h.positions(HibachiExchange.VENUE))
                .anySatisfy(p -> assertThat(p.symbol()).isEqualTo("ETH/USDT-P"));
    }

    @Test
    void theBookAndAVenueDisagreeingStopsEveryOpen() {
        h = new Harness(dir, Map.of("APP__TRADING__MARKETS", "BTC,ETH", "APP__TRADING__MAX_OPEN_PAIRS", "2"));
        h.orchestrator.step();
        HedgePair first = h.onlyPair();
        // someone adds to the bot's own short by hand: the venue holds more than the book
        Leg shortLeg = h.legs(first).get(1);
        h.hibachiSim.placeMarketOrder(
                new OrderRequest(shortLeg.symbol(), OrderSide.SELL, shortLeg.size(), false, "by-hand-2"));
        stepEvery(Duration.ofMinutes(10), 3);

        assertThat(h.store.pairs(EnumSet.allOf(PairStatus.class))).hasSize(1);
        assertThat(h.store.gate()).get().satisfies(g -> assertThat(g.reason()).contains("book and venue disagree"));
    }
}
