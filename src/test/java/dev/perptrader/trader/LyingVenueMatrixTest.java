package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.LegStatus;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.sim.SimFault;
import dev.perptrader.exchange.sim.SimVenue;
import dev.perptrader.testutil.ScriptedExchange;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.io.TempDirFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A venue that answers well-formed replies with wrong content: positions that read empty (once,
 * twice, for good), flipped or halved; a mark of zero, negative or ten times the truth; a refusal
 * for its clock window; a wrong signing key; and a real liquidation (not a lie: the one case the
 * bot must act on). Each on each venue, met first while the bot opens a pair, monitors, closes one
 * at expiry, or recovers after a crash. A whole bot runs on the simulated venues (BTC and ETH, up
 * to two pairs, LONG on Backpack) with a hand-driven clock.
 *
 * <p>Every case ends with the same checks, on what the simulated venues hold and executed, not on
 * the bot's book: the net position per asset over both venues is zero, and the book says what the
 * venues hold; every order went to its venue once under a client id recorded first, its
 * execution there is what the bot recorded, and no leg's opening intent executed twice; no pair is
 * left mid-way; and exactly the alerts the case calls for were raised. While a lie persists,
 * nothing new opens and the owner is told (LEG_SUSPECT ERROR, PRICE_SUSPECT, OPENING_PAUSED); then
 * the venue is made honest again (and opening resumed by hand if it was paused) and the bot must
 * come back to a whole hedge by itself.
 */
final class LyingVenueMatrixTest {
    private static final Venue HYPERLIQUID = Venue.parse("hyperliquid");

    private static final Map<String, String> ENV = Map.of(
            "APP__TRADING__MARKETS", "BTC,ETH",
            "APP__TRADING__MAX_OPEN_PAIRS", "2",
            "APP__SIM__SLIPPAGE_BPS", "0");
    /** Harness: a fixed 10-minute cooldown between opens, pairs live one hour. */
    private static final Duration COOLDOWN = Duration.ofMinutes(10);
    /** How long the bot runs while the lie lasts: past the next open, and long enough to call a close stuck. */
    private static final Duration RUN = Duration.ofMinutes(15);
    /** How long it runs after the venue is honest again: past the longest retry delay. */
    private static final Duration HONEST_RUN = Duration.ofMinutes(6);

    private static final Duration SLOW_STEP = Duration.ofSeconds(450);
    private static final Set<PairStatus> MID_WAY =
            EnumSet.of(PairStatus.OPENING, PairStatus.UNHEDGED, PairStatus.CLOSING);

    /** What the venue says that is not so (or, for LIQUIDATION, what really happens to it). */
    enum Lie {
        EMPTY_ONCE(false),
        EMPTY_TWICE(false),
        EMPTY_ALWAYS(true),
        FLIPPED(true),
        HALF(true),
        MARK_ZERO(true),
        MARK_NEGATIVE(true),
        MARK_TIMES_TEN(true),
        /** One order refused for the venue's clock window (the client's clock jumped). */
        CLOCK_JUMP(false),
        /** A real liquidation of the first pair's leg on the venue, with its fee. */
        LIQUIDATION(false),
        /** Every order refused: the venue does not accept our signing key. */
        WRONG_KEY(true);

        final boolean persistent;

        Lie(boolean persistent) {
            this.persistent = persistent;
        }

        boolean aboutPositions() {
            return this == EMPTY_ONCE || this == EMPTY_TWICE || this == EMPTY_ALWAYS || this == FLIPPED || this == HALF;
        }

        boolean aboutMarks() {
            return this == MARK_ZERO || this == MARK_NEGATIVE || this == MARK_TIMES_TEN;
        }
    }

    /** What the bot is doing when it first meets the lie. */
    enum Phase {
        /** About to open a second pair (the exposure gate and the prices are read first). */
        OPEN,
        /** A monitor tick over the open pair. */
        MONITOR,
        /** The first pair expires; the monitor ticks in the same step. */
        CLOSE,
        /** A new process starts after a crash mid-open and runs recover(), then its loop. */
        RECOVER
    }

    @TempDir(factory = InMemoryDir.class)
    Path dir;

    private Harness h;
    /** Orders each venue received through wrappers of processes that have ended. */
    private final Map<Venue, List<OrderRequest>> sentBefore = new TreeMap<>();

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    /** The databases on a RAM disk where there is one: the matrix runs hundreds of steps. */
    static final class InMemoryDir implements TempDirFactory {
        @Override
        public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
            Path shm = Path.of("/dev/shm");
            return Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "lying-")
                    : Files.createTempDirectory("lying-");
        }
    }

    static Stream<Arguments> matrix() {
        return Arrays.stream(Lie.values())
                .flatMap(lie -> Stream.of(BackpackExchange.VENUE, HibachiExchange.VENUE, HYPERLIQUID)
                        .flatMap(v -> Arrays.stream(Phase.values()).map(p -> Arguments.of(lie, v, p))));
    }

    @ParameterizedTest(name = "{0} on {1} at {2}")
    @MethodSource("matrix")
    void aLyingVenueMovesNoMoneyAndDoublesNoOrder(Lie lie, Venue venue, Phase phase) {
        // Hyperliquid lies paired with Backpack; Backpack and Hibachi with each other
        h = new Harness(
                dir,
                ENV,
                venue == HYPERLIQUID
                        ? List.of(BackpackExchange.VENUE, HYPERLIQUID)
                        : List.of(BackpackExchange.VENUE, HibachiExchange.VENUE));
        h.orchestrator.step();
        HedgePair first = h.onlyPair();
        assertThat(first.status()).as("first pair opened before any lie").isEqualTo(PairStatus.OPEN);

        Instant lieAt = meet(lie, venue, phase, first);
        drive(RUN);

        if (lie.persistent) {
            nothingOpenedSince(lieAt);
            theOwnerWasTold(lie);
            if (lie != Lie.WRONG_KEY) {
                assertThat(exposure())
                        .as("net position per asset while the venue lies")
                        .allSatisfy((asset, net) -> assertThat(net).as(asset).isZero());
            } else {
                // what the venue will not let the bot close is all that is unhedged
                Map<String, BigDecimal> refused = exposureOn(venue);
                assertThat(exposure())
                        .as("net position per asset while the key is refused")
                        .allSatisfy((asset, net) -> assertThat(net)
                                .as(asset)
                                .isEqualByComparingTo(
                                        net.signum() == 0 ? net : refused.getOrDefault(asset, BigDecimal.ZERO)));
            }
        }
        theLieWasMet(lie, venue);

        h.scripted(venue).stopLying();
        h.store.openingPause().ifPresent(p -> h.store.resumeOpening(h.clock.instant()));
        drive(HONEST_RUN);

        assertThat(exposure())
                .as("net position per asset over both venues")
                .allSatisfy((asset, net) -> assertThat(net).as(asset).isZero());
        theBookIsWhatTheVenuesHold();
        everyOrderWentOnceAndExecutedAsRecorded();
        assertThat(h.store.pairs(MID_WAY)).as("pairs left mid-way: %s", pairs()).isEmpty();
        theFirstPairEndedAsItShould(lie, phase, first);
        if (lie == Lie.LIQUIDATION) {
            theLiquidationIsRecordedAtItsPriceAndFee(venue, first);
        }
        assertThat(alerts()).as("alerts (pairs %s)", pairs()).isEqualTo(expectedAlerts(lie, phase));
    }

    // ------------------------------------------------------------------ expectations

    /** Each alert kind with its level; the venue a case lies on does not change what is raised. */
    private static Set<String> expectedAlerts(Lie lie, Phase phase) {
        Set<String> expected = new TreeSet<>();
        if (phase == Phase.RECOVER) {
            // the crash left the second pair's orders unknown; recovery found one leg and rolled it back
            expected.add("ORDER_UNKNOWN WARN");
            if (lie != Lie.WRONG_KEY) {
                expected.add("ROLLED_BACK WARN");
            }
        }
        // the exposure gate meets a position lie (or the liquidated leg) before anything else when
        // opening; in the other phases the monitor suspects the leg first, and the gate then finds a
        // suspect leg when the next open is due, unless the lie has ended or the pairs have closed
        boolean gateMeetsIt =
                phase == Phase.OPEN || phase == Phase.RECOVER || (phase == Phase.MONITOR && lie.persistent);
        switch (lie) {
            case EMPTY_ONCE, EMPTY_TWICE -> {
                if (lie == Lie.EMPTY_TWICE || phase != Phase.OPEN) {
                    expected.add("LEG_SUSPECT WARN");
                }
                if (phase == Phase.OPEN || phase == Phase.RECOVER) {
                    expected.add("OPENING_BLOCKED WARN");
                }
            }
            case EMPTY_ALWAYS, FLIPPED, HALF -> {
                expected.add("LEG_SUSPECT WARN");
                expected.add("LEG_SUSPECT ERROR");
                if (gateMeetsIt) {
                    expected.add("OPENING_BLOCKED WARN");
                }
            }
            case MARK_ZERO, MARK_NEGATIVE, MARK_TIMES_TEN -> expected.add("PRICE_SUSPECT WARN");
            case CLOCK_JUMP -> {
                // refused once, sent again once under a new client id: nothing to tell
            }
            case LIQUIDATION -> {
                expected.add("LEG_SUSPECT WARN");
                if (phase != Phase.CLOSE) {
                    expected.add("LEG_MISSING ERROR");
                }
                if (phase == Phase.OPEN || phase == Phase.RECOVER) {
                    expected.add("OPENING_BLOCKED WARN");
                }
            }
            case WRONG_KEY -> {
                expected.add("OPENING_PAUSED ERROR");
                switch (phase) {
                    case OPEN, MONITOR -> expected.add("ROLLED_BACK WARN");
                    case CLOSE -> expected.add("CLOSE_STUCK ERROR");
                    case RECOVER -> {
                        // the rollback is refused: UNHEDGED until the key is fixed, then rolled back
                        expected.add("UNHEDGED ERROR");
                        expected.add("ROLLED_BACK WARN");
                    }
                }
            }
        }
        return expected;
    }

    /**
     * The first pair expired in the close phase, was closed after its liquidated leg was confirmed
     * gone, and otherwise is still open: no lie closed it.
     */
    private void theFirstPairEndedAsItShould(Lie lie, Phase phase, HedgePair first) {
        HedgePair now = h.store.pair(first.id()).orElseThrow();
        if (phase == Phase.CLOSE) {
            assertThat(now.status()).as("first pair").isEqualTo(PairStatus.CLOSED);
            assertThat(now.closeReason()).isEqualTo("EXPIRED");
        } else if (lie == Lie.LIQUIDATION) {
            assertThat(now.status()).as("first pair").isEqualTo(PairStatus.CLOSED);
            assertThat(now.closeReason()).startsWith("LEG_MISSING");
        } else {
            assertThat(now.status()).as("first pair").isEqualTo(PairStatus.OPEN);
            assertThat(now.quantity()).isEqualByComparingTo(first.quantity());
        }
    }

    // ------------------------------------------------------------------ meeting the lie

    /** Brings the bot to the phase, arms the lie, and runs the step that meets it first. Returns when. */
    private Instant meet(Lie lie, Venue venue, Phase phase, HedgePair first) {
        switch (phase) {
            case OPEN -> {
                h.advance(COOLDOWN.minusSeconds(1));
                h.orchestrator.step(); // a monitor tick; the next open is due in a second
                h.advance(Duration.ofSeconds(1));
                arm(lie, venue, first);
                h.orchestrator.step();
            }
            case MONITOR -> {
                h.advance(h.config.monitor().interval());
                arm(lie, venue, first);
                h.orchestrator.step();
            }
            case CLOSE -> {
                h.advance(COOLDOWN);
                h.orchestrator.step();
                assertThat(h.store.pairs(EnumSet.of(PairStatus.OPEN)))
                        .as("two pairs open before the lie")
                        .hasSize(2);
                h.clock.set(first.closeAt());
                arm(lie, venue, first);
                h.orchestrator.step();
            }
            case RECOVER -> {
                // the second pair's orders go out and the process dies before either answer is known:
                // the venue lying later executed its leg, the other venue never got its order
                Venue other = other(venue);
                h.advance(COOLDOWN);
                sim(venue).injectOrderFault(SimFault.Kind.TIMEOUT_AFTER_FILL);
                h.scripted(venue).failLookups(100);
                h.scripted(other).failOrder(1, ExchangeError.UNKNOWN_OUTCOME);
                h.scripted(other).failLookups(100);
                h.orchestrator.step();
                assertThat(h.store.pairs(EnumSet.of(PairStatus.OPENING)))
                        .as("second pair left mid-open")
                        .hasSize(1);
                for (Venue v : h.venues) {
                    sentBefore
                            .computeIfAbsent(v, k -> new ArrayList<>())
                            .addAll(h.scripted(v).orders());
                }
                h.restart();
                arm(lie, venue, first);
                h.orchestrator.recover();
            }
        }
        return h.clock.instant();
    }

    private void arm(Lie lie, Venue venue, HedgePair first) {
        ScriptedExchange ex = h.scripted(venue);
        int always = ScriptedExchange.ALWAYS;
        switch (lie) {
            case EMPTY_ONCE -> ex.lieAboutPositions(1, ScriptedExchange.noPositions());
            case EMPTY_TWICE -> ex.lieAboutPositions(2, ScriptedExchange.noPositions());
            case EMPTY_ALWAYS -> ex.lieAboutPositions(always, ScriptedExchange.noPositions());
            case FLIPPED -> ex.lieAboutPositions(always, ScriptedExchange.flippedPositions());
            case HALF -> ex.lieAboutPositions(always, ScriptedExchange.scaledPositions(new BigDecimal("0.5")));
            case MARK_ZERO -> ex.lieAboutMarks(always, m -> BigDecimal.ZERO);
            case MARK_NEGATIVE -> ex.lieAboutMarks(always, BigDecimal::negate);
            case MARK_TIMES_TEN -> ex.lieAboutMarks(always, m -> m.multiply(BigDecimal.TEN));
            case CLOCK_JUMP -> ex.refuseOrders(1, ExchangeError.CLOCK_REJECTED);
            case LIQUIDATION -> sim(venue).forceLiquidation(leg(first, venue).symbol());
            case WRONG_KEY -> ex.refuseOrders(always, ExchangeError.AUTH_FAILED);
        }
    }

    /**
     * Runs the bot for {@code d}: a step every 5 s for 20 s while a leg has just become SUSPECT
     * (its confirming reads are 5 s apart), otherwise every 7.5 minutes (each step then has a
     * monitor tick, and opens or retries whatever is due: the longest retry delay is 5 minutes).
     */
    private void drive(Duration d) {
        Instant end = h.clock.instant().plus(d);
        Set<Long> suspects = suspectLegs();
        int fast = suspects.isEmpty() ? 0 : 4;
        while (h.clock.instant().isBefore(end)) {
            Duration left = Duration.between(h.clock.instant(), end);
            Duration next = fast > 0 ? Duration.ofSeconds(5) : SLOW_STEP;
            h.advance(left.compareTo(next) < 0 ? left : next);
            h.orchestrator.step();
            Set<Long> now = suspectLegs();
            fast = now.stream().anyMatch(id -> !suspects.contains(id)) ? 4 : fast - 1;
            suspects.addAll(now);
        }
    }

    private Set<Long> suspectLegs() {
        return h.store.suspectLegs().stream().map(Leg::id).collect(Collectors.toCollection(TreeSet::new));
    }

    // ------------------------------------------------------------------ while the lie lasts

    private void nothingOpenedSince(Instant lieAt) {
        assertThat(h.store.pairs(EnumSet.allOf(PairStatus.class)))
                .filteredOn(p -> !p.createdAt().isBefore(lieAt) && p.openedAt() != null)
                .as("pairs opened while the venue lies")
                .isEmpty();
    }

    private void theOwnerWasTold(Lie lie) {
        String told = lie.aboutPositions()
                ? "LEG_SUSPECT ERROR"
                : lie.aboutMarks() ? "PRICE_SUSPECT WARN" : "OPENING_PAUSED ERROR";
        assertThat(alerts()).as("the owner is told").contains(told);
    }

    private void theLieWasMet(Lie lie, Venue venue) {
        if (lie.aboutPositions() || lie.aboutMarks()) {
            assertThat(h.scripted(venue).liesTold()).as("lies told").isPositive();
        } else if (lie == Lie.CLOCK_JUMP || lie == Lie.WRONG_KEY) {
            String error = lie == Lie.CLOCK_JUMP ? "CLOCK_REJECTED" : "AUTH_FAILED";
            assertThat(allOrders())
                    .as("an order refused with " + error)
                    .anySatisfy(o -> assertThat(o.error()).contains(error));
        }
    }

    // ------------------------------------------------------------------ the invariants

    /** Net signed position per asset over both simulated venues. */
    private Map<String, BigDecimal> exposure() {
        Map<String, BigDecimal> net = new TreeMap<>();
        for (Venue v : h.venues) {
            exposureOn(v).forEach((asset, q) -> net.merge(asset, q, BigDecimal::add));
        }
        return net;
    }

    /** Signed position per asset on one simulated venue. */
    private Map<String, BigDecimal> exposureOn(Venue v) {
        Map<String, String> assetOf = new HashMap<>();
        sim(v).markets().values().forEach(r -> assetOf.put(r.symbol(), r.asset()));
        Map<String, BigDecimal> held = new TreeMap<>();
        for (AccountState.Position p : sim(v).account().positions()) {
            held.merge(assetOf.get(p.symbol()), p.side().sign().multiply(p.qty()), BigDecimal::add);
        }
        return held;
    }

    private void theBookIsWhatTheVenuesHold() {
        for (Venue v : h.venues) {
            Map<String, BigDecimal> book = new TreeMap<>();
            for (HedgePair p : h.store.pairs(PairStatus.active())) {
                for (Leg leg : h.store.legs(p.id())) {
                    if (leg.venue() == v && leg.size().signum() != 0) {
                        book.merge(leg.symbol(), leg.signedSize(), BigDecimal::add);
                    }
                }
            }
            Map<String, BigDecimal> held = new TreeMap<>();
            sim(v).account()
                    .positions()
                    .forEach(p -> held.merge(p.symbol(), p.side().sign().multiply(p.qty()), BigDecimal::add));
            assertThat(held.keySet()).as("%s symbols held vs booked", v).isEqualTo(book.keySet());
            held.forEach(
                    (s, q) -> assertThat(q).as("%s %s held vs booked", v, s).isEqualByComparingTo(book.get(s)));
        }
    }

    /**
     * Every order a venue received carried a client id never sent before, recorded by the bot, and
     * every order the bot recorded went out once; the venue's own record of each (executed or not,
     * how much) is what the bot recorded; no leg's opening executed more than once, and no leg was
     * reduced by more than it opened.
     */
    private void everyOrderWentOnceAndExecutedAsRecorded() {
        List<OrderRecord> recorded = allOrders();
        for (Venue v : h.venues) {
            List<String> sent = sent(v).stream().map(OrderRequest::clientId).toList();
            assertThat(sent).as("%s client ids sent", v).doesNotHaveDuplicates();
            Set<String> ours = new TreeSet<>();
            recorded.stream().filter(o -> o.venue() == v).forEach(o -> ours.add(o.clientId()));
            for (MarketRules r : sim(v).markets().values()) {
                h.store.orphanOrders(v, r.symbol()).forEach(o -> ours.add(o.clientId()));
            }
            assertThat(new TreeSet<>(sent))
                    .as("%s: orders received = orders the bot recorded", v)
                    .isEqualTo(ours);
        }
        Set<String> sentIds = new TreeSet<>();
        for (Venue v : h.venues) {
            sent(v).forEach(r -> sentIds.add(v + "/" + r.clientId()));
        }
        Map<Long, BigDecimal> openedAtVenue = new HashMap<>();
        Map<Long, BigDecimal> reducedAtVenue = new HashMap<>();
        Map<Long, Integer> openingsExecuted = new HashMap<>();
        for (OrderRecord o : recorded) {
            assertThat(o.status().settled())
                    .as("order %s settled", o.clientId())
                    .isTrue();
            BigDecimal executed = sim(o.venue())
                    .lookupOrder(o.symbol(), o.clientId())
                    .map(f -> f.filledQty())
                    .orElse(BigDecimal.ZERO);
            assertThat(o.filledQty())
                    .as("order %s %s: recorded vs executed at the venue", o.purpose(), o.clientId())
                    .isEqualByComparingTo(executed);
            if (executed.signum() > 0) {
                assertThat(sentIds)
                        .as("executed order %s went through the bot's venue client", o.clientId())
                        .contains(o.venue() + "/" + o.clientId());
            }
            if (o.purpose() == OrderPurpose.OPEN) {
                openedAtVenue.merge(o.legId(), executed, BigDecimal::add);
                if (executed.signum() > 0) {
                    openingsExecuted.merge(o.legId(), 1, Integer::sum);
                }
            } else {
                reducedAtVenue.merge(o.legId(), executed, BigDecimal::add);
            }
        }
        assertThat(openingsExecuted)
                .as("opening orders executed per leg")
                .allSatisfy((leg, n) -> assertThat(n).as("leg %s", leg).isEqualTo(1));
        reducedAtVenue.forEach((leg, reduced) -> assertThat(reduced)
                .as("leg %s reduced vs opened", leg)
                .isLessThanOrEqualTo(openedAtVenue.getOrDefault(leg, BigDecimal.ZERO)));
    }

    private void theLiquidationIsRecordedAtItsPriceAndFee(Venue venue, HedgePair first) {
        Leg leg = leg(h.store.pair(first.id()).orElseThrow(), venue);
        VenueFill liquidation = sim(venue).fillsSince(leg.symbol(), first.createdAt()).orElseThrow().stream()
                .filter(VenueFill::liquidation)
                .findFirst()
                .orElseThrow();
        BigDecimal openingFee = allOrders().stream()
                .filter(o -> o.legId() == leg.id() && o.purpose() == OrderPurpose.OPEN)
                .map(OrderRecord::fee)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(leg.status()).isEqualTo(LegStatus.MISSING);
        assertThat(leg.exitPrice()).as("exit at the liquidation price").isEqualByComparingTo(liquidation.price());
        assertThat(leg.fees())
                .as("opening fee + liquidation fee")
                .isEqualByComparingTo(openingFee.add(liquidation.feeUsd()));
        assertThat(alerts()).doesNotContain("CLOSED_WITHOUT_FILL WARN");
    }

    // ------------------------------------------------------------------ reading

    private List<OrderRequest> sent(Venue v) {
        List<OrderRequest> all = new ArrayList<>(sentBefore.getOrDefault(v, List.of()));
        all.addAll(h.scripted(v).orders());
        return all;
    }

    private List<OrderRecord> allOrders() {
        return h.store.pairs(EnumSet.allOf(PairStatus.class)).stream()
                .flatMap(p -> h.store.orders(p.id()).stream())
                .toList();
    }

    private Set<String> alerts() {
        return h.store.alerts(10_000).stream()
                .map(a -> a.kind() + " " + a.level())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private String pairs() {
        return h.store.pairs(EnumSet.allOf(PairStatus.class)).stream()
                .map(p -> p.id() + ":" + p.asset() + ":" + p.status()
                        + (p.closeReason() == null ? "" : "(" + p.closeReason().split(":")[0] + ")"))
                .collect(Collectors.joining(", "));
    }

    private Leg leg(HedgePair pair, Venue venue) {
        return h.store.legs(pair.id()).stream()
                .filter(l -> l.venue() == venue)
                .findFirst()
                .orElseThrow();
    }

    private SimVenue sim(Venue v) {
        return h.sim(v);
    }

    private Venue other(Venue v) {
        return h.other(v);
    }
}
