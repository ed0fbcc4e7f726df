package dev.perptrader.trader;

import static dev.perptrader.trader.MakerVenue.fill;
import static dev.perptrader.trader.MakerVenue.fillRest;
import static dev.perptrader.trader.MakerVenue.nothing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.sim.SimWorld;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.MutableClock;
import dev.perptrader.testutil.ScriptedExchange;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Maker-first entries (trading.entry = maker_first) against a scripted resting-order venue
 * (Backpack, the maker) and a simulated Hibachi (the hedge): every fill hedged with exactly its
 * quantity, nothing naked at the end, nothing doubled, the right alert.
 */
final class MakerFirstTest {
    /** The two venues these tests pair: each takes its turn resting the order. */
    static List<Venue> bothVenues() {
        return List.of(BackpackExchange.VENUE, HibachiExchange.VENUE);
    }

    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);
    private SimWorld world;
    /** The venue that rests entries (trading.maker_venue), for the next start. */
    private Venue makerOn = BackpackExchange.VENUE;

    private final Map<Venue, MakerVenue> resting = new TreeMap<>();
    private final Map<Venue, ScriptedExchange> scripted = new TreeMap<>();
    /** When set, Hibachi is wrapped as a resting-order venue with these rates, and no maker venue is configured. */
    private dev.perptrader.exchange.FeeRates hibachiRates;
    /** trading.exit for the next start. */
    private String exit = "taker";

    private Store store;
    private Orchestrator orchestrator;
    private AppConfig config;

    @AfterEach
    void tearDown() {
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (world != null) {
            world.close();
        }
    }

    private void start() {
        Map<String, String> e = new HashMap<>(Harness.baseEnv(dir));
        e.put("APP__TRADING__ENTRY", "maker_first");
        // a short timeout keeps the test quick: 10 reads of the resting order
        e.put("APP__TRADING__MAKER_TIMEOUT_SECONDS", "5");
        e.put("APP__TRADING__MAKER_POLL_MS", "500");
        e.put("APP__TRADING__EXIT", exit);
        if (hibachiRates == null) {
            e.put("APP__TRADING__MAKER_VENUE", makerOn.configName());
        }
        config = ConfigLoader.load(null, false, dir, Map.copyOf(e), Map.of());
        world = SimWorld.open(config.sim(), clock);
        Map<Venue, PerpExchange> byVenue = new TreeMap<>();
        for (Venue v : List.of(BackpackExchange.VENUE, HibachiExchange.VENUE)) {
            ScriptedExchange s = new ScriptedExchange(world.venue(v));
            scripted.put(v, s);
            if (resting.containsKey(v)) {
                resting.get(v).reopen(s);
            } else {
                dev.perptrader.exchange.FeeRates rates = v == BackpackExchange.VENUE
                        ? new dev.perptrader.exchange.FeeRates(MakerVenue.MAKER_RATE, MakerVenue.TAKER_RATE)
                        : hibachiRates != null
                                ? hibachiRates
                                : new dev.perptrader.exchange.FeeRates(BigDecimal.ZERO, new BigDecimal("0.0002"));
                // as on the real venues: Hibachi's orderFlags cannot be post-only and reduce-only at once
                resting.put(v, new MakerVenue(s, clock, rates, v == BackpackExchange.VENUE));
            }
            byVenue.put(v, resting.get(v));
        }
        store = Store.open(config.database().path());
        orchestrator = new Orchestrator(
                config, store, new Venues(byVenue), clock, new Random(7), Telemetry.NONE, clock::advance);
    }

    private HedgePair onlyPair() {
        List<HedgePair> all = store.pairs(EnumSet.allOf(PairStatus.class));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private BigDecimal held(PerpExchange venue) {
        return venue.account().positions().stream()
                .map(AccountState.Position::qty)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The venue resting the entry's order. */
    private MakerVenue maker() {
        return resting.get(makerOn);
    }

    /** The other venue, as the test scripts it (its market orders, its failures). */
    private ScriptedExchange hedge() {
        return scripted.get(makerOn == BackpackExchange.VENUE ? HibachiExchange.VENUE : BackpackExchange.VENUE);
    }

    /** The venue resting an exit's order: Backpack, the one that takes post-only reduce-only. */
    private MakerVenue exitMaker() {
        return resting.get(BackpackExchange.VENUE);
    }

    private List<BigDecimal> hedgeQuantities() {
        return hedge().orders().stream().map(OrderRequest::qty).toList();
    }

    @Test
    void theMakerVenueIsTheOneThatSavesMoreByResting() {
        // Backpack saves 0.0005 - 0.0002 = 0.0003 by resting
        hibachiRates = new dev.perptrader.exchange.FeeRates(BigDecimal.ZERO, new BigDecimal("0.0002"));
        start();
        assertThat(orchestrator.hedgeManager().makerVenue()).isEqualTo(BackpackExchange.VENUE);
    }

    @Test
    void aVenueWithARebateForRestingIsTheMakerVenue() {
        hibachiRates = new dev.perptrader.exchange.FeeRates(new BigDecimal("-0.0001"), new BigDecimal("0.0004"));
        start();
        assertThat(orchestrator.hedgeManager().makerVenue()).isEqualTo(HibachiExchange.VENUE);
    }

    @ParameterizedTest
    @MethodSource("bothVenues")
    void everyFillIsHedgedAtOnceWithExactlyItsQuantity(Venue on) {
        makerOn = on;
        start();
        maker().then(nothing(), fill("0.0004"), nothing(), fillRest());
        orchestrator.step();

        HedgePair pair = onlyPair();
        BigDecimal qty = pair.quantity();
        assertThat(maker().placed()).hasSize(1);
        assertThat(maker().placed().get(0).postOnly()).isTrue();
        assertThat(hedgeQuantities())
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("0.0004"), qty.subtract(new BigDecimal("0.0004")));
        assertThat(hedge().orders()).noneMatch(OrderRequest::reduceOnly);
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(held(maker())).isEqualByComparingTo(held(hedge()));
        assertThat(held(hedge())).isEqualByComparingTo(pair.quantity());
        Store.MakerExposure exposure = store.makerExposure(pair.id()).orElseThrow();
        assertThat(exposure.fills()).isEqualTo(2);
        // a fill is hedged on the read that saw it: the test venue answers at once
        assertThat(exposure.worstHedgeMs()).isZero();
    }

    @ParameterizedTest
    @MethodSource("bothVenues")
    void aPartialFillIsHedgedAndTheRestTakenOnBothVenuesAtTheTimeout(Venue on) {
        makerOn = on;
        start();
        maker().then(fill("0.0003"));
        orchestrator.step();

        HedgePair pair = onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(hedgeQuantities().get(0)).isEqualByComparingTo("0.0003");
        assertThat(maker().cancels()).hasSize(1);
        assertThat(maker().open()).isEmpty();
        assertThat(held(maker())).isEqualByComparingTo(pair.quantity());
        assertThat(held(hedge())).isEqualByComparingTo(pair.quantity());
        List<OrderRecord> orders = store.orders(pair.id());
        // the resting order (partial), its hedge, then one taker order on each venue
        assertThat(orders).extracting(OrderRecord::status).doesNotContain(OrderStatus.PENDING, OrderStatus.UNKNOWN);
        assertThat(orders.stream().filter(OrderRecord::resting).toList())
                .singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(OrderStatus.PARTIAL));
        // hedged on the read that saw the fill, not at the timeout 5 s later
        assertThat(store.makerExposure(pair.id()).orElseThrow().worstHedgeMs()).isZero();
    }

    @Test
    void aFillBelowTheOtherVenuesStepWaitsAndIsHedgedWithTheNextFill() {
        // Backpack rests BTC in steps of 0.00001; Hibachi takes it in steps of 0.0001
        start();
        maker().then(nothing(), fill("0.00005"), nothing(), fillRest());
        orchestrator.step();

        HedgePair pair = onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(hedgeQuantities())
                .as("one hedge once the fills reached Hibachi's step, none for the 0.00005 alone")
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(pair.quantity());
        assertThat(held(maker())).isEqualByComparingTo(held(hedge()));
        Store.MakerExposure exposure = store.makerExposure(pair.id()).orElseThrow();
        // the small fill waited two polls (1 s) for the next one
        assertThat(exposure.worstHedgeMs()).isEqualTo(1000);
    }

    @ParameterizedTest
    @MethodSource("bothVenues")
    void nothingFilledEndsWithNothingOpenAndNoFailureCounted(Venue on) {
        makerOn = on;
        start();
        orchestrator.step();

        HedgePair pair = onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.FAILED);
        assertThat(store.pair(pair.id()).orElseThrow().closeReason()).startsWith(Store.UNFILLED_REASON);
        assertThat(hedge().orders()).isEmpty();
        assertThat(maker().open()).isEmpty();
        assertThat(held(maker())).isZero();
        assertThat(store.failedOpensInARow()).isZero();
        assertThat(store.alerts(100)).extracting(Store.AlertRow::kind).doesNotContain("OPEN_FAILED");
    }

    @ParameterizedTest
    @MethodSource("bothVenues")
    void aPostOnlyThatWouldTakeIsQuotedAgainOnTheNewBook(Venue on) {
        makerOn = on;
        start();
        maker().wouldTake(2);
        maker().then(nothing(), fillRest());
        orchestrator.step();

        HedgePair pair = onlyPair();
        assertThat(maker().placed()).hasSize(3);
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(held(maker())).isEqualByComparingTo(held(hedge()));
        assertThat(store.orders(pair.id()).stream().filter(o -> o.status() == OrderStatus.REJECTED))
                .hasSize(2)
                .allSatisfy(o -> assertThat(o.error()).contains("would have taken"));
    }

    @ParameterizedTest
    @MethodSource("bothVenues")
    void aFillThatRacesTheCancelIsHedgedToo(Venue on) {
        makerOn = on;
        start();
        // ten reads in the 5 s find nothing; the next event is consumed by the timeout's cancel
        MakerVenue.Event[] quiet = new MakerVenue.Event[10];
        java.util.Arrays.fill(quiet, nothing());
        maker().then(quiet);
        maker().then(fill("0.0005"));
        orchestrator.step();

        HedgePair pair = onlyPair();
        assertThat(maker().fillsOnCancel()).isEqualTo(1);
        assertThat(hedgeQuantities().get(0)).isEqualByComparingTo("0.0005");
        assertThat(held(maker())).isEqualByComparingTo(held(hedge()));
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
    }

    @ParameterizedTest
    @MethodSource("bothVenues")
    void aCancelThatFailsIsTriedAgainAndNothingIsLeftResting(Venue on) {
        makerOn = on;
        start();
        maker().failCancels(2);
        orchestrator.step();

        assertThat(maker().cancels()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(maker().open()).isEmpty();
        assertThat(onlyPair().status()).isEqualTo(PairStatus.FAILED);
        assertThat(held(maker())).isZero();
    }

    @ParameterizedTest
    @MethodSource("bothVenues")
    void aRefusedHedgeUnwindsTheMakerFillReduceOnly(Venue on) {
        makerOn = on;
        start();
        hedge().failOrder(1, ExchangeError.INSUFFICIENT_MARGIN);
        maker().then(fill("0.0004"));
        orchestrator.step();

        HedgePair pair = onlyPair();
        assertThat(maker().open()).isEmpty();
        assertThat(held(maker())).isZero();
        assertThat(held(hedge())).isZero();
        assertThat(pair.status()).isEqualTo(PairStatus.ROLLED_BACK);
        assertThat(store.orders(pair.id()))
                .filteredOn(o -> o.venue() == makerOn && o.purpose() == OrderPurpose.ROLLBACK)
                .singleElement()
                .satisfies(o -> assertThat(o.filledQty()).isEqualByComparingTo("0.0004"));
        assertThat(store.alerts(100)).extracting(Store.AlertRow::kind).contains("UNHEDGED");
    }

    /** Opens one pair maker-first (filled at once) and lets it reach its planned end. */
    private HedgePair openedAndExpired() {
        maker().then(fillRest());
        orchestrator.step();
        HedgePair pair = onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        clock.advance(java.time.Duration.ofHours(2));
        return pair;
    }

    private List<OrderRequest> exitCloses(int before) {
        List<OrderRequest> all = scripted.get(HibachiExchange.VENUE).orders();
        return all.subList(before, all.size());
    }

    @ParameterizedTest
    @MethodSource("bothVenues")
    void aMakerFirstExitRestsReduceOnlyAndClosesTheOtherLegFillByFill(Venue on) {
        makerOn = on;
        exit = "maker_first";
        start();
        HedgePair pair = openedAndExpired();
        int before = scripted.get(HibachiExchange.VENUE).orders().size();
        // Backpack rests the exit whichever venue rests entries: Hibachi cannot be post-only and reduce-only
        exitMaker().then(nothing(), fill("0.0004"), nothing(), fillRest());

        orchestrator.step();

        assertThat(store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.CLOSED);
        assertThat(exitMaker().placed())
                .filteredOn(r -> r.reduceOnly())
                .singleElement()
                .satisfies(r -> assertThat(r.postOnly()).isTrue());
        assertThat(exitCloses(before)).allMatch(OrderRequest::reduceOnly);
        assertThat(exitCloses(before))
                .extracting(OrderRequest::qty)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("0.0004"), pair.quantity().subtract(new BigDecimal("0.0004")));
        assertThat(held(maker())).isZero();
        assertThat(held(hedge())).isZero();
    }

    @ParameterizedTest
    @MethodSource("bothVenues")
    void aMakerFirstExitThatTimesOutClosesTheRestWithMarketOrders(Venue on) {
        makerOn = on;
        exit = "maker_first";
        start();
        HedgePair pair = openedAndExpired();
        exitMaker().then(fill("0.0004"));

        orchestrator.step();

        assertThat(store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.CLOSED);
        assertThat(exitMaker().open()).isEmpty();
        assertThat(held(maker())).isZero();
        assertThat(held(hedge())).isZero();
        assertThat(store.orders(pair.id()))
                .filteredOn(o -> o.purpose() == OrderPurpose.CLOSE && o.resting())
                .singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(OrderStatus.PARTIAL));
    }

    @Test
    void aTakerExitRestsNothing() {
        start();
        HedgePair pair = openedAndExpired();

        orchestrator.step();

        assertThat(store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.CLOSED);
        assertThat(maker().placed()).hasSize(1);
        assertThat(held(maker())).isZero();
        assertThat(held(hedge())).isZero();
    }

    @Test
    void aRestartWithAnOrderRestingCancelsItAndSettlesWhatFilledBeforeAnythingNew() {
        start();
        // 0.0004 fills while the bot is down (seen on the first read after the restart)
        exitMaker().then(fill("0.0004"));
        HedgePair pair;
        long legId;
        {
            Leg[] legs = new Leg[2];
            // a pair and a resting order recorded and placed the way an entry does, then a crash
            long pairId = store.createPairWithoutOrders(
                    new Store.NewPair(
                            "BTC",
                            config.mode(),
                            new BigDecimal("2"),
                            new BigDecimal("0.001"),
                            new BigDecimal("100"),
                            3_600_000L,
                            BackpackExchange.VENUE,
                            "BTC_USDC_PERP",
                            "",
                            HibachiExchange.VENUE,
                            "BTC/USDT-P",
                            ""),
                    clock.instant());
            store.legs(pairId).forEach(l -> legs[l.side() == Side.LONG ? 0 : 1] = l);
            OrderRecord o = store.recordOpeningOrder(
                    legs[0],
                    new BigDecimal("0.001"),
                    exitMaker().newClientId(),
                    new BigDecimal("60000"),
                    clock.instant());
            exitMaker()
                    .placeLimitOrder(new dev.perptrader.exchange.LimitOrderRequest(
                            o.symbol(), o.side(), o.qty(), o.limitPrice(), true, false, o.clientId()));
            pair = store.pair(pairId).orElseThrow();
            legId = legs[0].id();
        }
        orchestrator.close();
        world.close();
        start();

        orchestrator.recover();

        HedgePair after = store.pair(pair.id()).orElseThrow();
        assertThat(exitMaker().open()).isEmpty();
        assertThat(store.orders(pair.id()).stream().filter(OrderRecord::resting))
                .singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(OrderStatus.PARTIAL));
        // what filled before the crash had no hedge: it is brought back, nothing is naked
        assertThat(held(maker())).isEqualByComparingTo(held(hedge()));
        assertThat(after.status()).isIn(PairStatus.ROLLED_BACK, PairStatus.UNHEDGED);
        assertThat(store.legs(pair.id()).stream().filter(l -> l.id() == legId))
                .singleElement()
                .satisfies(l -> assertThat(l.size()).isZero());
    }

    @Test
    void aRestartWithAnExitOrderRestingCancelsItAndClosesWhatIsLeft() {
        exit = "maker_first";
        start();
        HedgePair pair = openedAndExpired();
        // the exit was under way: CLOSING, its resting close recorded and placed, then a crash
        store.markClosing(pair.id(), PairStatus.OPEN, "EXPIRED", clock.instant());
        Leg longLeg = store.legs(pair.id()).stream()
                .filter(l -> l.venue() == BackpackExchange.VENUE)
                .findFirst()
                .orElseThrow();
        OrderRecord o = store.recordRestingReduce(
                longLeg,
                OrderPurpose.CLOSE,
                longLeg.size(),
                exitMaker().newClientId(),
                new BigDecimal("70000"),
                clock.instant());
        exitMaker()
                .placeLimitOrder(new dev.perptrader.exchange.LimitOrderRequest(
                        o.symbol(), o.side(), o.qty(), o.limitPrice(), true, true, o.clientId()));
        exitMaker().then(fill("0.0004"));
        orchestrator.close();
        world.close();
        start();

        orchestrator.recover();
        orchestrator.step();

        assertThat(exitMaker().open()).isEmpty();
        assertThat(store.orders(pair.id()))
                .filteredOn(OrderRecord::resting)
                .filteredOn(r -> r.purpose() == OrderPurpose.CLOSE)
                .singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(OrderStatus.PARTIAL));
        assertThat(store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.CLOSED);
        assertThat(held(maker())).isZero();
        assertThat(held(hedge())).isZero();
    }
}
