package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.LegStatus;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Side;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.sim.SimReadFault;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.ScriptedExchange;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Monitor ticks: marks, thresholds, vanished legs, protective close, call budget. */
final class MonitorTest {
    private static final Duration TICK = Duration.ofSeconds(60);

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
        HedgePair pair = h.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        return pair;
    }

    private static AccountState withRatio(AccountState a, String equity, String maintenance) {
        return new AccountState(new BigDecimal(equity), a.freeCollateral(), new BigDecimal(maintenance), a.positions());
    }

    /** The confirming reads of a suspect leg: reconcile.confirm_reads (3) spread over confirm_seconds (15). */
    private void confirmingReads() {
        for (int i = 0; i < 3; i++) {
            h.advance(Duration.ofSeconds(5));
            h.orchestrator.step();
        }
    }

    private long count(String kind) {
        return h.alertKinds().stream().filter(kind::equals).count();
    }

    @Test
    void storesMarksAndUnrealizedPnlEveryTick() {
        HedgePair pair = openOnePair();
        h.advance(TICK);
        h.orchestrator.step();
        h.advance(TICK);
        h.orchestrator.step();

        assertThat(h.store.markCount(pair.id())).isEqualTo(2);
        Store.Mark mark = h.store.latestMark(pair.id()).orElseThrow();
        assertThat(mark.longMark()).isEqualByComparingTo("60000");
        assertThat(mark.longUpnl()).isZero();
        assertThat(mark.divergence()).isZero();
        assertThat(mark.longVenueRatio()).isPositive();
        List<Leg> legs = h.legs(pair);
        assertThat(legs).allSatisfy(l -> assertThat(l.markPrice()).isEqualByComparingTo("60000"));
    }

    @Test
    void aTickMakesAsManyVenueCallsWithThreePairsOnThreeMarketsAsWithOne() throws Exception {
        h = new Harness(dir, Map.of("APP__TRADING__MARKETS", "BTC,ETH,SOL", "APP__TRADING__MAX_OPEN_PAIRS", "3"));
        h.orchestrator.step();
        assertThat(h.store.pairs(Set.of(PairStatus.OPEN))).hasSize(1);
        int[] withOne = callsOfAMonitorOnlyTick();
        for (int i = 0; i < 2; i++) {
            h.advance(Duration.ofMinutes(10));
            h.orchestrator.step();
        }
        assertThat(h.store.pairs(Set.of(PairStatus.OPEN))).hasSize(3);
        int[] withThree = callsOfAMonitorOnlyTick();

        assertThat(withThree).containsExactly(withOne);
        assertThat(withOne).containsExactly(2, 2);
    }

    /** Calls per venue (backpack, hibachi) of one step that only monitors (the kill switch stops opening). */
    private int[] callsOfAMonitorOnlyTick() throws IOException {
        Path stop = Files.createFile(dir.resolve("STOP"));
        h.advance(Duration.ofMinutes(10));
        int bp = h.backpack.calls();
        int hb = h.hibachi.calls();
        h.orchestrator.step();
        int[] out = {h.backpack.calls() - bp, h.hibachi.calls() - hb};
        Files.delete(stop);
        return out;
    }

    @Test
    void makesOneQuoteAndOneAccountCallPerVenuePerTick() {
        h = new Harness(dir, Map.of("APP__TRADING__MARKETS", "BTC,ETH,SOL", "APP__TRADING__MAX_OPEN_PAIRS", "3"));
        for (int i = 0; i < 3; i++) {
            h.orchestrator.step();
            h.advance(Duration.ofMinutes(10));
        }
        assertThat(h.store.pairs(Set.of(PairStatus.OPEN))).hasSize(3);
        int quotes = h.backpack.quoteCalls();
        int accounts = h.hibachi.accountCalls();
        h.orchestrator.step(); // monitor due; no open (max reached)
        assertThat(h.backpack.quoteCalls() - quotes).isEqualTo(1);
        assertThat(h.hibachi.accountCalls() - accounts).isEqualTo(1);
    }

    @Test
    void lowCollateralAlertsBelowTheThresholdOnly() {
        openOnePair();
        h.hibachi.bendAccount(a -> withRatio(a, "15", "10")); // exactly 1.5
        h.advance(TICK);
        h.orchestrator.step();
        assertThat(count("LOW_COLLATERAL")).isZero();

        h.hibachi.bendAccount(a -> withRatio(a, "14.99", "10"));
        h.advance(TICK);
        h.orchestrator.step();
        assertThat(count("LOW_COLLATERAL")).isEqualTo(1);
        assertThat(h.store.alerts(1).get(0).venue()).isEqualTo("hibachi");
        assertThat(h.store.pairs(Set.of(PairStatus.OPEN))).hasSize(1); // above critical: no close

        h.advance(TICK);
        h.orchestrator.step();
        assertThat(count("LOW_COLLATERAL"))
                .as("throttled within alerts.repeat_minutes")
                .isEqualTo(1);
    }

    @Test
    void divergenceAlertsAboveTheThresholdOnly() {
        openOnePair();
        // short upnl = -qty × d, notional = qty × 60000: divergence = d / 60000
        h.hibachi.bendMarks(m -> m.add(new BigDecimal("3000"))); // exactly 0.05
        h.advance(TICK);
        h.orchestrator.step();
        assertThat(count("PNL_DIVERGENCE")).isZero();

        h.hibachi.bendMarks(m -> m.add(new BigDecimal("3000.6")));
        h.advance(TICK);
        h.orchestrator.step();
        assertThat(count("PNL_DIVERGENCE")).isEqualTo(1);
    }

    @Test
    void closesThePairEarlyBelowTheCriticalRatio() {
        HedgePair pair = openOnePair();
        h.backpack.bendAccount(a -> withRatio(a, "11.9", "10"));
        h.advance(TICK);
        h.orchestrator.step();

        HedgePair closed = h.store.pair(pair.id()).orElseThrow();
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        assertThat(closed.closeReason()).startsWith("PROTECTIVE");
        assertThat(h.alertKinds()).contains("LOW_COLLATERAL", "PROTECTIVE_CLOSE");
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();
    }

    @Test
    void aLiquidatedLegIsConfirmedByTheVenuesHistoryAndItsPartnerClosed() {
        HedgePair pair = openOnePair();
        Leg shortLeg = h.legs(pair).get(1);
        BigDecimal openingFee = shortLeg.fees();
        h.hibachiSim.forceLiquidation(shortLeg.symbol());
        h.advance(TICK);
        h.orchestrator.step();
        assertThat(h.store.pair(pair.id()).orElseThrow().status())
                .as("one read is a question")
                .isEqualTo(PairStatus.OPEN);
        assertThat(h.legs(pair).get(1).suspect()).isTrue();
        assertThat(h.positions(BackpackExchange.VENUE)).hasSize(1);
        confirmingReads();

        HedgePair closed = h.store.pair(pair.id()).orElseThrow();
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        assertThat(closed.closeReason()).startsWith("LEG_MISSING");
        assertThat(h.legs(closed))
                .extracting(Leg::side, Leg::status)
                .containsExactly(Tuple.tuple(Side.LONG, LegStatus.CLOSED), Tuple.tuple(Side.SHORT, LegStatus.MISSING));
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.alertKinds()).contains("LEG_SUSPECT", "LEG_MISSING").doesNotContain("CLOSED_WITHOUT_FILL");
        assertThat(h.store.alerts(100))
                .filteredOn(a -> a.kind().equals("LEG_MISSING"))
                .singleElement()
                .satisfies(a -> assertThat(a.message()).contains("liquidated", "liquidation history"));
        // the venue's own liquidation fill: at the mark (60000, no slippage), fee 0.5 % of its notional
        Leg liquidated = h.legs(closed).get(1);
        assertThat(liquidated.exitPrice()).isEqualByComparingTo("60000");
        assertThat(liquidated.fees())
                .isEqualByComparingTo(openingFee.add(
                        pair.quantity().multiply(new BigDecimal("60000")).multiply(new BigDecimal("0.005"))));
        assertThat(liquidated.realizedPnl()).isZero();
    }

    @Test
    void aMarkThatStaysFarFromTheLastWhileTheOtherVenuesDidNotIsNeitherStoredNorBelieved() {
        HedgePair pair = openOnePair();
        h.hibachi.lieAboutMarks(ScriptedExchange.ALWAYS, m -> m.multiply(BigDecimal.TEN));
        h.advance(TICK);
        h.orchestrator.step(); // the legs' first marks: compared with their entry prices
        h.advance(TICK);
        h.orchestrator.step();

        assertThat(h.store.markCount(pair.id())).isZero();
        assertThat(h.legs(pair)).allSatisfy(l -> assertThat(l.markPrice()).isNull());
        assertThat(h.alertKinds()).contains("PRICE_SUSPECT").doesNotContain("PNL_DIVERGENCE", "DAILY_LOSS_LIMIT");
        assertThat(h.hibachi.liesTold()).as("each tick read the mark twice").isEqualTo(4);

        h.hibachi.stopLying();
        h.advance(TICK);
        h.orchestrator.step();
        assertThat(h.store.markCount(pair.id())).isEqualTo(1);
    }

    @Test
    void aLegTheVenueSaysIsGoneIsStillClosedReduceOnlyWithItsPartnerAtExpiry() {
        HedgePair pair = openOnePair();
        h.hibachi.lieAboutPositions(ScriptedExchange.ALWAYS, ScriptedExchange.noPositions());
        h.clock.set(pair.closeAt());
        h.orchestrator.step(); // the monitor suspects the short, then the pair expires

        HedgePair closed = h.store.pair(pair.id()).orElseThrow();
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        assertThat(closed.closeReason()).isEqualTo("EXPIRED");
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE))
                .as("the venue really held it: closed")
                .isEmpty();
        assertThat(h.alertKinds()).contains("LEG_SUSPECT").doesNotContain("LEG_MISSING", "CLOSED_WITHOUT_FILL");
    }

    @Test
    void aLegWhoseCloseIsRefusedIsConfirmedFlatWithoutSendingAgain() {
        HedgePair pair = openOnePair();
        Leg shortLeg = h.legs(pair).get(1);
        h.clock.set(pair.closeAt().minusSeconds(30));
        h.orchestrator.step(); // a monitor tick: all agrees
        h.hibachiSim.forceLiquidation(shortLeg.symbol());
        h.advance(Duration.ofSeconds(30));
        h.orchestrator.step(); // expiry: the short's reduce-only close is refused, the long closes
        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.CLOSING);
        assertThat(h.legs(pair).get(1).suspect()).isTrue();
        confirmingReads(); // recorded flat at the venue's liquidation
        h.advance(Duration.ofMinutes(1));
        h.orchestrator.step(); // the close's next retry finds both legs flat

        HedgePair closed = h.store.pair(pair.id()).orElseThrow();
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        assertThat(h.legs(closed).get(1).status()).isEqualTo(LegStatus.MISSING);
        assertThat(h.store.orders(pair.id()))
                .filteredOn(o -> o.legId() == shortLeg.id() && o.purpose() == OrderPurpose.CLOSE)
                .as("the refused close is not sent again")
                .singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(OrderStatus.REJECTED));
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
    }

    @Test
    void aVenueThatPublishesNoFillHistoryConfirmsAVanishedLegOnReadsAloneAtTheLastMark() {
        HedgePair pair = openOnePair();
        h.hibachi.lieAboutFills(ScriptedExchange.ALWAYS, truth -> Optional.empty());
        h.advance(TICK);
        h.orchestrator.step(); // marks the legs at 60000
        h.hibachiSim.forceLiquidation(h.legs(pair).get(1).symbol());
        h.advance(TICK);
        h.orchestrator.step();
        confirmingReads();

        HedgePair closed = h.store.pair(pair.id()).orElseThrow();
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        assertThat(h.alertKinds()).contains("LEG_MISSING", "CLOSED_WITHOUT_FILL");
        Leg gone = h.legs(closed).get(1);
        assertThat(gone.exitPrice()).as("the last mark").isEqualByComparingTo("60000");
        assertThat(gone.fees())
                .as("no liquidation fee is known")
                .isEqualByComparingTo(h.store.orders(pair.id()).stream()
                        .filter(o -> o.legId() == gone.id())
                        .map(OrderRecord::fee)
                        .reduce(BigDecimal.ZERO, BigDecimal::add));
    }

    @Test
    void aFillHistoryThatDoesNotShowWhatClosedALegLeavesItSuspectAndActsOnNothing() {
        HedgePair pair = openOnePair();
        // the venue's history leaves out its own liquidation
        h.hibachi.lieAboutFills(
                ScriptedExchange.ALWAYS,
                truth -> truth.map(
                        fills -> fills.stream().filter(f -> !f.liquidation()).toList()));
        h.hibachiSim.forceLiquidation(h.legs(pair).get(1).symbol());
        h.advance(TICK);
        h.orchestrator.step();
        confirmingReads();

        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.OPEN);
        assertThat(h.legs(pair).get(1).suspect()).isTrue();
        assertThat(h.positions(BackpackExchange.VENUE))
                .as("the partner is not closed on an unexplained read")
                .hasSize(1);
        assertThat(h.store.alerts(10))
                .filteredOn(a -> a.kind().equals("LEG_SUSPECT") && a.level().equals("ERROR"))
                .singleElement()
                .satisfies(a -> assertThat(a.message()).contains("not acting on it"));
    }

    @Test
    void aVenueThatCannotBeReadIsReportedAndNothingIsClosed() {
        HedgePair pair = openOnePair();
        h.hibachiSim.injectReadFault(SimReadFault.VENUE_DOWN);
        h.advance(TICK);
        h.orchestrator.step();

        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.OPEN);
        assertThat(h.alertKinds()).contains("VENUE_DOWN").doesNotContain("LEG_MISSING");
    }

    @Test
    void eachTickRecordsEachVenuesLastSuccessfulReadForStatus() {
        openOnePair();
        Instant firstTick = h.clock.instant();
        assertThat(h.store.venueReads())
                .extracting(Store.VenueRead::venue, r -> r.lastOk().orElseThrow())
                .containsExactly(
                        Tuple.tuple(BackpackExchange.VENUE, firstTick), Tuple.tuple(HibachiExchange.VENUE, firstTick));

        h.hibachiSim.injectReadFault(SimReadFault.VENUE_DOWN);
        h.advance(TICK);
        h.orchestrator.step();
        Store.VenueRead hibachi = h.store.venueReads().get(1);
        assertThat(hibachi.lastOk()).as("the last success is kept").contains(firstTick);
        assertThat(hibachi.lastErrorAt()).contains(h.clock.instant());
        assertThat(hibachi.lastError()).isPresent();
        assertThat(h.store.venueReads().get(0).lastOk()).contains(h.clock.instant());
    }

    @Test
    void oneOddReadMakesTheLegSuspectAndTheNextReadClearsIt() {
        HedgePair pair = openOnePair();
        // the first account read shows no positions; the confirming read shows the real state
        int[] reads = {0};
        h.hibachi.bendAccount(a -> reads[0]++ == 0
                ? new AccountState(a.equity(), a.freeCollateral(), a.maintenanceMargin(), List.of())
                : a);
        h.advance(TICK);
        h.orchestrator.step();
        assertThat(h.legs(pair).get(1).suspect()).isTrue();
        assertThat(reads[0]).isEqualTo(1);

        h.advance(Duration.ofSeconds(5));
        h.orchestrator.step();
        assertThat(reads[0]).isEqualTo(2);
        assertThat(h.legs(pair).get(1).suspect()).isFalse();
        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.OPEN);
        assertThat(h.alertKinds()).contains("LEG_SUSPECT").doesNotContain("LEG_MISSING");
    }

    @Test
    void unhedgedPairsAlertEveryTickWhileWaiting() {
        h = new Harness(dir);
        h.hibachi.failOrder(1, ExchangeError.REJECTED);
        h.backpack.failOrder(2, ExchangeError.VENUE_DOWN); // the rollback sent at the refusal
        h.backpack.failOrder(3, ExchangeError.VENUE_DOWN); // and the repair's
        h.orchestrator.step();
        long first = count("UNHEDGED");
        h.orchestrator.step();
        h.orchestrator.step();
        assertThat(count("UNHEDGED")).isEqualTo(first + 2);
    }

    @Test
    void reportsAPositionNoPairAccountsForAndLeavesItAlone() {
        HedgePair pair = openOnePair();
        h.hibachiSim.placeMarketOrder(
                new OrderRequest("ETH/USDT-P", OrderSide.BUY, new BigDecimal("0.1"), false, "by-hand-1"));
        h.advance(TICK);
        h.orchestrator.step();

        assertThat(h.alertKinds()).contains("ORPHAN_POSITION").doesNotContain("LEG_MISSING");
        assertThat(h.store.alerts(10))
                .filteredOn(a -> a.kind().equals("ORPHAN_POSITION"))
                .singleElement()
                .satisfies(a -> assertThat(a.message()).contains("0.1 LONG ETH/USDT-P", "left to the owner"));
        assertThat(h.positions(HibachiExchange.VENUE)).hasSize(2);
        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.OPEN);
    }

    @Test
    void aHedgedBookRaisesNoOrphanAlert() {
        openOnePair();
        h.advance(TICK);
        h.orchestrator.step();
        assertThat(h.alertKinds()).doesNotContain("ORPHAN_POSITION");
    }

    @Test
    void aLegTheVenueShrankIsMatchedByTrimmingTheOtherAndKeepsItsExpiry() {
        HedgePair pair = openOnePair();
        BigDecimal half =
                pair.quantity().divide(new BigDecimal("2"), RoundingMode.DOWN).setScale(4, RoundingMode.DOWN);
        h.hibachiSim.placeMarketOrder(new OrderRequest("BTC/USDT-P", OrderSide.BUY, half, true, "closed-by-hand-1"));
        BigDecimal left = pair.quantity().subtract(half);
        h.advance(TICK);
        h.orchestrator.step(); // monitor sees the short shrunk: SUSPECT
        assertThat(h.legs(pair).get(1).suspect()).isTrue();
        confirmingReads(); // confirmed: UNHEDGED + alert, and in the same step the repair: the long is trimmed
        assertThat(h.alertKinds()).contains("LEG_SIZE_MISMATCH").doesNotContain("LEG_MISSING");
        HedgePair repaired = h.store.pair(pair.id()).orElseThrow();
        assertThat(repaired.status()).isEqualTo(PairStatus.OPEN);
        assertThat(repaired.quantity()).isEqualByComparingTo(left);
        assertThat(repaired.closeAt()).isEqualTo(pair.closeAt());
        assertThat(h.positions(BackpackExchange.VENUE))
                .singleElement()
                .satisfies(p -> assertThat(p.qty()).isEqualByComparingTo(left));
        assertThat(h.positions(HibachiExchange.VENUE))
                .singleElement()
                .satisfies(p -> assertThat(p.qty()).isEqualByComparingTo(left));
        assertThat(h.store.orders(pair.id()))
                .extracting(OrderRecord::purpose)
                .containsExactly(OrderPurpose.OPEN, OrderPurpose.OPEN, OrderPurpose.TRIM);
    }

    @Test
    void closesAnOrphanReduceOnlyWhenConfiguredAndLeavesThePairAlone() {
        h = new Harness(dir, Map.of("APP__SIM__SLIPPAGE_BPS", "0", "APP__RECONCILE__CLOSE_ORPHANS", "true"));
        h.orchestrator.step();
        HedgePair pair = h.onlyPair();
        // someone adds to the bot's own BTC short by hand, and opens an ETH long
        h.hibachiSim.placeMarketOrder(
                new OrderRequest("BTC/USDT-P", OrderSide.SELL, new BigDecimal("0.002"), false, "by-hand-1"));
        h.hibachiSim.placeMarketOrder(
                new OrderRequest("ETH/USDT-P", OrderSide.BUY, new BigDecimal("0.1"), false, "by-hand-2"));
        h.advance(TICK);
        h.orchestrator.step();

        assertThat(h.alertKinds().stream().filter("ORPHAN_POSITION"::equals).count())
                .isEqualTo(2);
        assertThat(h.positions(HibachiExchange.VENUE)).singleElement().satisfies(p -> {
            assertThat(p.symbol()).isEqualTo("BTC/USDT-P");
            assertThat(p.qty()).isEqualByComparingTo(pair.quantity());
        });
        assertThat(h.store.orphanOrders(HibachiExchange.VENUE, "BTC/USDT-P"))
                .singleElement()
                .satisfies(o -> {
                    assertThat(o.side()).isEqualTo(OrderSide.BUY);
                    assertThat(o.qty()).isEqualByComparingTo("0.002");
                    assertThat(o.status()).isEqualTo(OrderStatus.FILLED);
                });
        assertThat(h.store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.OPEN);

        h.advance(TICK);
        h.orchestrator.step();
        assertThat(h.store.orphanOrders(HibachiExchange.VENUE, "ETH/USDT-P")).hasSize(1);
    }
}
