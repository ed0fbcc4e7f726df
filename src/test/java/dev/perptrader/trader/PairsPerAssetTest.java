package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.LegStatus;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.Venue;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.sim.SimVenue;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.ScriptedExchange;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two pairs on one asset ({@code trading.max_pairs_per_asset = 2}, BTC only): they take the same
 * side on each venue, a third waits, and every comparison of a venue with the book is made with
 * the sum of the two pairs' legs, because the venue nets them into one position. A venue that
 * holds less than the sum is judged as a whole: a lie moves nothing (LEG_SUSPECT ERROR, nothing
 * opens), a loss of exactly one pair's size closes that pair, a loss of everything closes both, a
 * loss no one pair explains closes both with their partners. Every case ends with the book equal
 * to what the simulated venues hold and the net position per asset at zero.
 */
final class PairsPerAssetTest {
    /** The two venues these tests trade on (sim worlds model only them). */
    private static final List<Venue> PAIRED = List.of(BackpackExchange.VENUE, HibachiExchange.VENUE);

    private static final String BP_BTC = "BTC_USDC_PERP";
    private static final String HB_BTC = "BTC/USDT-P";
    private static final Duration TICK = Duration.ofSeconds(60);
    /** Harness: a fixed 10-minute cooldown between opens. */
    private static final Duration COOLDOWN = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private Harness h;
    private HedgePair first;
    private HedgePair second;

    @BeforeEach
    void twoPairsOnBtc() {
        h = new Harness(
                dir,
                Map.of(
                        "APP__TRADING__DIRECTION", "funding",
                        "APP__SIM__MAX_FUNDING_RATE", "0.001",
                        "APP__SIM__SLIPPAGE_BPS", "0",
                        "APP__TRADING__MAX_OPEN_PAIRS", "3",
                        "APP__TRADING__MAX_PAIRS_PER_ASSET", "2"));
        // funding is cheaper on Hibachi: the first pair is LONG there
        fundingCheaperOn(HibachiExchange.VENUE);
        h.orchestrator.step();
        first = h.onlyPair();
        h.advance(COOLDOWN);
        // now it is cheaper on Backpack: trading.direction alone would put the second LONG there
        fundingCheaperOn(BackpackExchange.VENUE);
        h.orchestrator.step();
        List<HedgePair> pairs = h.store.pairs(EnumSet.allOf(PairStatus.class));
        assertThat(pairs).as("two pairs").hasSize(2);
        first = pairs.get(0);
        second = pairs.get(1);
        assertThat(pairs).extracting(HedgePair::status).containsOnly(PairStatus.OPEN);
    }

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    private void fundingCheaperOn(Venue v) {
        BigDecimal cheap = new BigDecimal("-0.0001");
        BigDecimal dear = new BigDecimal("0.0003");
        h.backpackSim.setFundingRate(BP_BTC, v == BackpackExchange.VENUE ? cheap : dear);
        h.hibachiSim.setFundingRate(HB_BTC, v == HibachiExchange.VENUE ? cheap : dear);
    }

    // ------------------------------------------------------------------ opening

    @Test
    void theSecondPairOnAnAssetTakesTheFirstPairsSidesWhateverTheDirectionSaysNow() {
        assertThat(List.of(first, second)).allSatisfy(p -> {
            assertThat(p.asset()).isEqualTo("BTC");
            assertThat(p.longVenue()).isEqualTo(HibachiExchange.VENUE);
            assertThat(p.shortVenue()).isEqualTo(BackpackExchange.VENUE);
        });
        BigDecimal sum = first.quantity().add(second.quantity());
        assertThat(signed(HibachiExchange.VENUE)).as("one LONG of both pairs").isEqualByComparingTo(sum);
        assertThat(signed(BackpackExchange.VENUE)).as("one SHORT of both pairs").isEqualByComparingTo(sum.negate());
    }

    @Test
    void aThirdPairDoesNotOpenOnAnAssetThatHoldsTheMost() {
        for (int i = 0; i < 3; i++) {
            h.advance(COOLDOWN);
            h.orchestrator.step();
        }
        assertThat(h.store.pairs(EnumSet.allOf(PairStatus.class)))
                .as("max_open_pairs 3 leaves room, max_pairs_per_asset 2 does not")
                .hasSize(2);
        assertThat(h.store.gate())
                .get()
                .satisfies(g -> assertThat(g.reason())
                        .as("held back by the per-asset limit, not by the gate")
                        .isNull());
    }

    @Test
    void anAssetIsBusyOnceItHoldsTheMostActivePairsInAnyStatus() {
        HedgePair closing = new HedgePair(
                9,
                "ETH",
                HibachiExchange.VENUE,
                BackpackExchange.VENUE,
                first.mode(),
                first.leverage(),
                first.quantity(),
                first.notional(),
                PairStatus.CLOSING,
                first.durationMs(),
                first.createdAt(),
                first.openedAt(),
                first.closeAt(),
                null,
                "EXPIRED",
                null,
                null,
                null,
                null,
                null);
        List<HedgePair> active = List.of(first, second, closing);
        assertThat(Orchestrator.busyAssets(active, 1)).containsExactlyInAnyOrder("BTC", "ETH");
        assertThat(Orchestrator.busyAssets(active, 2)).containsExactly("BTC");
        assertThat(Orchestrator.busyAssets(active, 3)).isEmpty();
    }

    // ------------------------------------------------------------------ reconciling with the sum

    @Test
    void twoPairsReconcileAgainstTheSummedPosition() {
        for (int i = 0; i < 30; i++) {
            h.advance(TICK);
            h.orchestrator.step();
        }
        assertThat(h.store.suspectLegs()).isEmpty();
        assertThat(h.alertKinds())
                .as("the venues hold the sum: nothing disagrees")
                .doesNotContain(
                        "LEG_SUSPECT", "LEG_MISSING", "LEG_SIZE_MISMATCH", "ORPHAN_POSITION", "OPENING_BLOCKED");
        assertThat(h.store.gate()).get().satisfies(g -> assertThat(g.reason()).isNull());
        assertThat(h.store.pairs(EnumSet.allOf(PairStatus.class)))
                .extracting(HedgePair::status)
                .containsOnly(PairStatus.OPEN);
        theBookIsWhatTheVenuesHold();
    }

    @Test
    void eachPairClosesAtItsOwnExpiryAndTheNextFirstPairOnTheAssetIsDecidedAfresh() {
        int ticksWithOneLeft = 0;
        while (h.clock.instant().isBefore(second.closeAt())) {
            h.advance(TICK);
            h.orchestrator.step();
            if (pair(first).status() == PairStatus.CLOSED && pair(second).status() == PairStatus.OPEN) {
                ticksWithOneLeft++;
                // the first pair's reduce-only closes took its part of the shared positions
                assertThat(signed(HibachiExchange.VENUE)).isEqualByComparingTo(second.quantity());
                theBookIsWhatTheVenuesHold();
            }
        }
        assertThat(ticksWithOneLeft).as("ticks between the two expiries").isPositive();
        assertThat(List.of(pair(first), pair(second))).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(PairStatus.CLOSED);
            assertThat(p.closeReason()).isEqualTo("EXPIRED");
        });
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();
        assertThat(h.alertKinds())
                .doesNotContain(
                        "LEG_SUSPECT", "LEG_MISSING", "LEG_SIZE_MISMATCH", "ORPHAN_POSITION", "OPENING_BLOCKED");

        fundingCheaperOn(BackpackExchange.VENUE);
        h.advance(COOLDOWN);
        h.orchestrator.step();
        assertThat(h.store.pairs(EnumSet.of(PairStatus.OPEN)))
                .as("no pair left on BTC: trading.direction decides again")
                .singleElement()
                .satisfies(p -> assertThat(p.longVenue()).isEqualTo(BackpackExchange.VENUE));
    }

    @Test
    void theExposureGateComparesEachVenueWithTheSumOverTheAssetsPairs() {
        h.advance(COOLDOWN);
        h.orchestrator.step(); // an open is due: the gate reads both venues
        assertThat(h.store.gate()).get().satisfies(g -> assertThat(g.reason()).isNull());

        // someone adds to the bot's BTC short by hand: the venue now holds more than the two pairs
        h.backpackSim.placeMarketOrder(new OrderRequest(BP_BTC, OrderSide.SELL, first.quantity(), false, "by-hand-1"));
        h.advance(COOLDOWN);
        h.orchestrator.step();
        BigDecimal sum = first.quantity().add(second.quantity());
        assertThat(h.store.gate())
                .get()
                .satisfies(g -> assertThat(g.reason())
                        .contains(
                                "book and venue disagree on " + BP_BTC + " at backpack",
                                "the book expects " + plain(sum.negate()),
                                "the venue holds "
                                        + plain(sum.add(first.quantity()).negate())));
    }

    // ------------------------------------------------------------------ a venue holding less

    /** What a venue says about the shared BTC position that is not so. */
    enum Lie {
        /** It shows only the first pair's worth, for good. */
        ONE_PAIRS_WORTH(true),
        /** It shows nothing, for good. */
        EMPTY(true),
        /** It shows the other side, for good. */
        FLIPPED(true),
        /** It shows only the first pair's worth once; the next read is true. */
        ONE_PAIRS_WORTH_ONCE(false),
        /** It shows nothing once. */
        EMPTY_ONCE(false);

        final boolean persistent;

        Lie(boolean persistent) {
            this.persistent = persistent;
        }
    }

    static Stream<Arguments> lies() {
        return Arrays.stream(Lie.values())
                .flatMap(lie ->
                        Stream.of(BackpackExchange.VENUE, HibachiExchange.VENUE).map(v -> Arguments.of(lie, v)));
    }

    /**
     * A venue that reads less than the sum makes every leg on that market suspect; its fill history
     * explains nothing, so a lie that lasts moves no money (LEG_SUSPECT ERROR for each pair, nothing
     * opens) and one that does not is cleared by the next read.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("lies")
    void aVenueThatReadsLessThanTheSumMakesEveryLegOnItSuspectAndALieMovesNothing(Lie lie, Venue venue) {
        String symbol = venue == BackpackExchange.VENUE ? BP_BTC : HB_BTC;
        ScriptedExchange ex = h.scripted(venue);
        int reads = lie.persistent ? ScriptedExchange.ALWAYS : 1;
        switch (lie) {
            case ONE_PAIRS_WORTH, ONE_PAIRS_WORTH_ONCE ->
                ex.lieAboutPositions(reads, position(symbol, first.quantity()));
            case EMPTY, EMPTY_ONCE -> ex.lieAboutPositions(reads, ScriptedExchange.noPositions());
            case FLIPPED -> ex.lieAboutPositions(reads, ScriptedExchange.flippedPositions());
        }
        h.advance(TICK);
        h.orchestrator.step();
        assertThat(h.store.suspectLegs())
                .as("every leg on that market on that venue")
                .extracting(Leg::pairId, Leg::venue)
                .containsExactlyInAnyOrder(Tuple.tuple(first.id(), venue), Tuple.tuple(second.id(), venue));
        confirmingReads();
        for (int i = 0; i < 3; i++) {
            h.advance(COOLDOWN);
            h.orchestrator.step();
        }

        assertThat(ex.liesTold()).isPositive();
        assertThat(h.store.pairs(EnumSet.allOf(PairStatus.class)))
                .as("nothing closed, nothing opened on a lie")
                .hasSize(2)
                .extracting(HedgePair::status)
                .containsOnly(PairStatus.OPEN);
        assertThat(h.alertKinds()).contains("LEG_SUSPECT").doesNotContain("LEG_MISSING", "LEG_SIZE_MISMATCH");
        List<Long> told = h.store.alerts(100).stream()
                .filter(a -> a.kind().equals("LEG_SUSPECT") && a.level().equals("ERROR"))
                .map(Store.AlertRow::pairId)
                .toList();
        if (lie.persistent) {
            assertThat(told)
                    .as("the owner is told, for each pair (again every alerts.repeat_minutes)")
                    .containsOnly(first.id(), second.id());
            assertThat(h.alertKinds()).contains("OPENING_BLOCKED");
            assertThat(h.store.suspectLegs()).hasSize(2);
        } else {
            assertThat(told).isEmpty();
            assertThat(h.store.suspectLegs()).as("the next read showed the sum").isEmpty();
        }
        for (Venue v : PAIRED) {
            assertThat(h.scripted(v).orders()).as("%s: the two opens only", v).hasSize(2);
        }

        ex.stopLying();
        h.advance(TICK);
        h.orchestrator.step();
        assertThat(h.store.suspectLegs()).as("the venue shows the sum again").isEmpty();
        theBookIsWhatTheVenuesHold();
        netPositionIsZero();
    }

    @Test
    void aLossOfExactlyOnePairsSizeIsThatPairsLegAndClosesOnlyThatPair() {
        assertThat(first.quantity()).as("precondition").isNotEqualByComparingTo(second.quantity());
        // the owner closes the second pair's worth of the short by hand
        h.backpackSim.placeMarketOrder(new OrderRequest(BP_BTC, OrderSide.BUY, second.quantity(), true, "by-hand-1"));
        h.advance(TICK);
        h.orchestrator.step();
        assertThat(h.store.suspectLegs()).hasSize(2);
        confirmingReads();

        HedgePair gone = pair(second);
        assertThat(gone.status()).isEqualTo(PairStatus.CLOSED);
        assertThat(gone.closeReason()).startsWith("LEG_MISSING");
        assertThat(leg(gone, BackpackExchange.VENUE).status()).isEqualTo(LegStatus.MISSING);
        assertThat(leg(gone, BackpackExchange.VENUE).exitPrice())
                .as("at the hand close's price")
                .isEqualByComparingTo("60000");
        HedgePair kept = pair(first);
        assertThat(kept.status()).isEqualTo(PairStatus.OPEN);
        assertThat(h.legs(kept)).allSatisfy(l -> assertThat(l.suspect()).isFalse());
        assertThat(h.alertKinds()).contains("LEG_SUSPECT", "LEG_MISSING").doesNotContain("LEG_SIZE_MISMATCH");
        assertThat(signed(BackpackExchange.VENUE))
                .isEqualByComparingTo(first.quantity().negate());
        assertThat(signed(HibachiExchange.VENUE)).isEqualByComparingTo(first.quantity());
        theBookIsWhatTheVenuesHold();
        netPositionIsZero();
    }

    @Test
    void aLiquidationOfTheSharedPositionClosesEveryPairOnIt() {
        h.backpackSim.forceLiquidation(BP_BTC);
        h.advance(TICK);
        h.orchestrator.step();
        confirmingReads();

        assertThat(h.store.pairs(EnumSet.allOf(PairStatus.class))).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(PairStatus.CLOSED);
            assertThat(p.closeReason()).startsWith("LEG_MISSING");
            assertThat(leg(p, BackpackExchange.VENUE).status()).isEqualTo(LegStatus.MISSING);
        });
        assertThat(h.positions(HibachiExchange.VENUE))
                .as("both partners closed")
                .isEmpty();
        // the one liquidation fee is split between the legs by size
        VenueFill liquidation = h.backpackSim.fillsSince(BP_BTC, first.createdAt()).orElseThrow().stream()
                .filter(VenueFill::liquidation)
                .findFirst()
                .orElseThrow();
        BigDecimal recorded = BigDecimal.ZERO;
        BigDecimal openingFees = BigDecimal.ZERO;
        for (HedgePair p : List.of(first, second)) {
            Leg l = leg(pair(p), BackpackExchange.VENUE);
            recorded = recorded.add(l.fees());
            openingFees = openingFees.add(h.store.orders(p.id()).stream()
                    .filter(o -> o.legId() == l.id())
                    .map(OrderRecord::fee)
                    .reduce(BigDecimal.ZERO, BigDecimal::add));
            assertThat(l.exitPrice()).isEqualByComparingTo(liquidation.price());
        }
        assertThat(recorded).isEqualByComparingTo(openingFees.add(liquidation.feeUsd()));
        theBookIsWhatTheVenuesHold();
        netPositionIsZero();
    }

    @Test
    void aLossNoOnePairExplainsClosesEveryPairOnTheAssetWithItsPartner() {
        BigDecimal step = h.backpackSim.markets().get("BTC").stepSize();
        // half the smaller pair, on the venue's step: neither pair's size, nor both
        BigDecimal part = first.quantity()
                .min(second.quantity())
                .divide(step.multiply(new BigDecimal("2")), 0, RoundingMode.DOWN)
                .multiply(step);
        assertThat(part).as("precondition").isPositive();
        h.backpackSim.placeMarketOrder(new OrderRequest(BP_BTC, OrderSide.BUY, part, true, "by-hand-1"));
        h.advance(TICK);
        h.orchestrator.step();
        confirmingReads();

        assertThat(h.store.pairs(EnumSet.allOf(PairStatus.class))).allSatisfy(p -> {
            assertThat(p.status()).isEqualTo(PairStatus.CLOSED);
            assertThat(p.closeReason()).startsWith("LEG_SIZE_MISMATCH");
        });
        assertThat(h.store.alerts(100))
                .filteredOn(a -> a.kind().equals("LEG_SIZE_MISMATCH"))
                .extracting(Store.AlertRow::pairId)
                .containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(h.alertKinds()).doesNotContain("LEG_MISSING", "UNHEDGED");
        // the difference is recorded against the older pair, at the hand close's price
        Leg older = leg(pair(first), BackpackExchange.VENUE);
        assertThat(older.side()).isEqualTo(Side.SHORT);
        assertThat(older.exitPrice()).isEqualByComparingTo("60000");
        assertThat(h.positions(BackpackExchange.VENUE)).isEmpty();
        assertThat(h.positions(HibachiExchange.VENUE)).isEmpty();
        theBookIsWhatTheVenuesHold();
        netPositionIsZero();
    }

    // ------------------------------------------------------------------ helpers

    /** The confirming reads of a suspect leg: reconcile.confirm_reads (3) spread over confirm_seconds (15). */
    private void confirmingReads() {
        for (int i = 0; i < 3; i++) {
            h.advance(Duration.ofSeconds(5));
            h.orchestrator.step();
        }
    }

    /** An account whose position on {@code symbol} shows {@code qty} (on its own side). */
    private static UnaryOperator<AccountState> position(String symbol, BigDecimal qty) {
        return a -> new AccountState(
                a.equity(),
                a.freeCollateral(),
                a.maintenanceMargin(),
                a.positions().stream()
                        .map(p -> p.symbol().equals(symbol)
                                ? new AccountState.Position(
                                        p.symbol(), p.side(), qty, p.entryPrice(), p.markPrice(), p.unrealizedPnl())
                                : p)
                        .toList());
    }

    private HedgePair pair(HedgePair p) {
        return h.store.pair(p.id()).orElseThrow();
    }

    private Leg leg(HedgePair p, Venue v) {
        return h.legs(p).stream().filter(l -> l.venue() == v).findFirst().orElseThrow();
    }

    private SimVenue sim(Venue v) {
        return v == BackpackExchange.VENUE ? h.backpackSim : h.hibachiSim;
    }

    /** What the simulated venue really holds on BTC, signed. */
    private BigDecimal signed(Venue v) {
        return sim(v).account().signedPosition(v == BackpackExchange.VENUE ? BP_BTC : HB_BTC);
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    /** Net signed position per asset over both simulated venues is zero. */
    private void netPositionIsZero() {
        assertThat(signed(BackpackExchange.VENUE).add(signed(HibachiExchange.VENUE)))
                .as("net BTC over both venues")
                .isZero();
    }

    /** Per venue and symbol, the active pairs' legs add up to what the simulated venue holds. */
    private void theBookIsWhatTheVenuesHold() {
        for (Venue v : PAIRED) {
            Map<String, BigDecimal> book = new TreeMap<>();
            for (HedgePair p : h.store.pairs(PairStatus.active())) {
                for (Leg l : h.store.legs(p.id())) {
                    if (l.venue() == v && l.holdsPosition()) {
                        book.merge(l.symbol(), l.signedSize(), BigDecimal::add);
                    }
                }
            }
            Map<String, BigDecimal> held = new HashMap<>();
            sim(v).account()
                    .positions()
                    .forEach(p -> held.merge(p.symbol(), p.side().sign().multiply(p.qty()), BigDecimal::add));
            assertThat(held.keySet()).as("%s symbols held vs booked", v).isEqualTo(book.keySet());
            held.forEach((s, q) -> assertThat(q).as("%s %s", v, s).isEqualByComparingTo(book.get(s)));
        }
    }
}
