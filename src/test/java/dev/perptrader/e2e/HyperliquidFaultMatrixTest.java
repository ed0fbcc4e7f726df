package dev.perptrader.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.backpack.BackpackTestAccess;
import dev.perptrader.exchange.hyperliquid.HyperliquidTestAccess;
import dev.perptrader.testutil.StubServer;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FaultMatrixTest}'s faults against Hyperliquid's calls, in live mode with Backpack long and
 * Hyperliquid short, each venue on WireMock: the opening and the reduce-only closing IOC order,
 * and the {@code metaAndAssetCtxs} and {@code clearinghouseState} reads of a monitor tick. An
 * order the stub executes moves the venue's position and is found by its cloid
 * ({@code orderStatus}) whatever the client saw; one it does not execute is unknown to it. Every
 * case checks that both legs are equal or both flat and as the venues hold them, that every
 * order went out once under a cloid never used before, that an unknown outcome was looked up by
 * cloid before anything else went to the venue, the end state, and exactly the alerts expected.
 * Hyperliquid's documented refusal is an HTTP 200 whose order status is an error.
 */
final class HyperliquidFaultMatrixTest {
    private static final Venue HYPERLIQUID = Venue.parse("hyperliquid");
    private static final Duration CALL_TIMEOUT = Duration.ofMillis(1000);
    private static final int LATE_MS = 1500;
    private static final BigDecimal QTY = new BigDecimal("0.005");
    private static final UUID FAULT_ID = UUID.fromString("0a1b2c3d-0000-4000-8000-00000000fa18");
    private static final String ONE_SHOT = "fault, injected once";
    private static final String SPENT = "spent";
    private static final int MAX_SETTLE_STEPS = 10;

    /** Read faults neither client retries: Backpack's and Hyperliquid's typed refusal of a read. */
    private static final Set<FaultMatrixTest.VenueFault> UNRETRIED_READS =
            EnumSet.of(FaultMatrixTest.VenueFault.TYPED_REJECTION);

    /** The Hyperliquid call the fault hits. */
    enum Operation {
        OPEN_SHORT,
        CLOSE_SHORT,
        MARK_PRICES,
        ACCOUNT;

        boolean order() {
            return this == OPEN_SHORT || this == CLOSE_SHORT;
        }
    }

    private final Extension signerCheck = HyperliquidTestAccess.signerCheck();
    private final ExecutedOrders backpackExecuted = BackpackVenue.executedOrders();
    private final ExecutedOrders hyperliquidExecuted;

    @RegisterExtension
    final WireMockExtension backpackServer;

    @RegisterExtension
    final WireMockExtension hyperliquidServer;

    @TempDir
    Path dir;

    private LiveRig rig;
    private BackpackVenue backpack;
    private HyperliquidVenue hyperliquid;

    HyperliquidFaultMatrixTest() {
        backpackServer = StubServer.on(backpackExecuted.extensions());
        hyperliquidExecuted = HyperliquidVenue.executedOrders();
        List<Extension> extensions = new ArrayList<>(Arrays.asList(hyperliquidExecuted.extensions()));
        extensions.add(signerCheck);
        hyperliquidServer = StubServer.on(extensions.toArray(Extension[]::new));
    }

    static Stream<Arguments> matrix() {
        return Arrays.stream(Operation.values())
                .flatMap(
                        op -> Arrays.stream(FaultMatrixTest.VenueFault.values()).map(f -> Arguments.of(op, f)));
    }

    @BeforeEach
    void start() {
        rig = new LiveRig(dir, List.of(BackpackExchange.VENUE, HYPERLIQUID));
        backpack = new BackpackVenue(backpackServer.getRuntimeInfo());
        backpack.install(rig.clock.instant());
        backpack.keepsOrderHistory();
        hyperliquid = new HyperliquidVenue(hyperliquidServer.getRuntimeInfo(), false);
        hyperliquid.install();
        hyperliquid.findsOrdersByCloid();
        rig.start(
                List.of(
                        BackpackTestAccess.exchange(backpackServer.getRuntimeInfo(), rig.clock, CALL_TIMEOUT),
                        HyperliquidTestAccess.exchange(hyperliquidServer.getRuntimeInfo(), rig.clock, CALL_TIMEOUT)),
                List.of(backpack::clockIs));
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("matrix")
    void aFaultInjectedOnceLeavesTheHedgeWholeAndNothingSentTwice(Operation op, FaultMatrixTest.VenueFault fault) {
        if (op == Operation.OPEN_SHORT) {
            injectIntoOrder(true, fault);
            rig.step();
        } else {
            rig.step();
            assertThat(rig.onlyPair().status()).as("opened before the fault").isEqualTo(PairStatus.OPEN);
            if (op == Operation.CLOSE_SHORT) {
                rig.advance(Duration.between(rig.clock.instant(), rig.onlyPair().closeAt()));
                injectIntoOrder(false, fault);
                rig.step();
            } else {
                rig.advance(rig.config.monitor().interval());
                injectIntoReads(op, fault);
                rig.step();
                rig.advance(rig.config.monitor().interval());
                rig.step();
            }
        }
        rig.settle(MAX_SETTLE_STEPS);

        HedgePair pair = rig.onlyPair();
        bothLegsEqualAndAsTheVenuesHoldThem(pair);
        everyOrderSentOnceUnderAFreshCloid(pair);
        if (op.order()) {
            theFaultedOrderWasSettledWithoutAResend(pair, op, fault);
        } else {
            theReadsWereFaultedOnceAndNothingTraded(pair, op, fault);
        }
        PairStatus expected = switch (op) {
            case OPEN_SHORT -> fault.executes ? PairStatus.OPEN : PairStatus.ROLLED_BACK;
            case CLOSE_SHORT -> PairStatus.CLOSED;
            case MARK_PRICES, ACCOUNT -> PairStatus.OPEN;
        };
        assertThat(pair.status()).as("end state").isEqualTo(expected);
        assertThat(rig.alertsWithVenue()).as("alerts").isEqualTo(expectedAlerts(op, fault));
        assertThat(backpack.assertAllSignedRequestsVerify()).isPositive();
        assertThat(hyperliquid.actions())
                .as("every action signed by the API wallet")
                .allSatisfy(r ->
                        assertThat(HyperliquidTestAccess.signerOf(r.getBody())).isEqualTo(HyperliquidTestAccess.AGENT));
    }

    private static Set<String> expectedAlerts(Operation op, FaultMatrixTest.VenueFault fault) {
        Set<String> expected = new TreeSet<>();
        if (op == Operation.OPEN_SHORT && !fault.executes) {
            expected.add("ROLLED_BACK hyperliquid");
            if (!fault.refusal) {
                expected.add("ORDER_UNKNOWN hyperliquid");
            }
        }
        if (!op.order() && UNRETRIED_READS.contains(fault)) {
            expected.add("VENUE_DOWN backpack");
            expected.add("VENUE_DOWN hyperliquid");
        }
        return expected;
    }

    // ------------------------------------------------------------------ the invariants

    private void bothLegsEqualAndAsTheVenuesHoldThem(HedgePair pair) {
        Leg longLeg = rig.leg(pair, Side.LONG);
        Leg shortLeg = rig.leg(pair, Side.SHORT);
        assertThat(longLeg.size()).as("long leg vs short leg").isEqualByComparingTo(shortLeg.size());
        BigDecimal backpackHolds =
                BackpackVenue.LONG.equals(state(backpackServer, BackpackVenue.SCENARIO)) ? QTY : BigDecimal.ZERO;
        BigDecimal hyperliquidHolds = HyperliquidVenue.HELD.equals(state(hyperliquidServer, HyperliquidVenue.SCENARIO))
                ? QTY
                : BigDecimal.ZERO;
        assertThat(longLeg.size()).as("long leg vs what Backpack holds").isEqualByComparingTo(backpackHolds);
        assertThat(shortLeg.size()).as("short leg vs what Hyperliquid holds").isEqualByComparingTo(hyperliquidHolds);
    }

    private void everyOrderSentOnceUnderAFreshCloid(HedgePair pair) {
        List<String> cloids = hyperliquid.orders().stream()
                .map(r -> order(r).path("c").asText())
                .toList();
        assertThat(cloids).as("Hyperliquid cloids").doesNotHaveDuplicates().allMatch(c -> c.startsWith("0x"));
        List<OrderRecord> orders = rig.store.orders(pair.id());
        assertThat(cloids)
                .as("Hyperliquid orders vs orders recorded")
                .containsExactlyInAnyOrderElementsOf(orders.stream()
                        .filter(o -> o.venue() == HYPERLIQUID)
                        .map(o -> HyperliquidTestAccess.cloid(o.clientId()))
                        .toList());
        assertThat(orders)
                .as("every order settled")
                .allSatisfy(o -> assertThat(o.status().settled()).isTrue());
    }

    private void theFaultedOrderWasSettledWithoutAResend(
            HedgePair pair, Operation op, FaultMatrixTest.VenueFault fault) {
        List<ServeEvent> events = events(hyperliquidServer);
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (FAULT_ID.equals(events.get(i).getStubMapping().getId())) {
                hits.add(i);
            }
        }
        assertThat(hits).as("the fault was hit once").hasSize(1);
        int faulted = hits.get(0);
        String cloid = order(events.get(faulted).getRequest()).path("c").asText();
        int next = faulted + 1;
        while (next < events.size() && !isOrder(events.get(next).getRequest())) {
            next++;
        }
        List<LoggedRequest> lookups = events.stream()
                .map(ServeEvent::getRequest)
                .filter(r -> isLookup(r, cloid))
                .toList();
        List<LoggedRequest> lookupsBeforeNextOrder = events.subList(faulted + 1, next).stream()
                .map(ServeEvent::getRequest)
                .filter(r -> isLookup(r, cloid))
                .toList();
        OrderRecord order = rig.store.orders(pair.id()).stream()
                .filter(o -> o.venue() == HYPERLIQUID
                        && HyperliquidTestAccess.cloid(o.clientId()).equals(cloid))
                .findFirst()
                .orElseThrow();
        if (fault.refusal) {
            assertThat(lookups).as("a refused order is not looked up").isEmpty();
            assertThat(order.status()).isEqualTo(OrderStatus.REJECTED);
            assertThat(order.error())
                    .contains(fault == FaultMatrixTest.VenueFault.HTTP_429 ? "RATE_LIMITED" : "Insufficient margin");
        } else {
            assertThat(lookupsBeforeNextOrder)
                    .as("looked up by cloid before anything else was sent")
                    .isNotEmpty();
            assertThat(order.status()).isEqualTo(fault.executes ? OrderStatus.FILLED : OrderStatus.REJECTED);
            if (fault.executes) {
                assertThat(order.filledQty()).isEqualByComparingTo(QTY);
            } else {
                assertThat(order.error()).isEqualTo("venue has no order with this client id");
            }
        }
        assertThat(hyperliquidExecuted.executed().stream()
                        .anyMatch(b -> b.path("action")
                                .path("orders")
                                .get(0)
                                .path("c")
                                .asText()
                                .equals(cloid)))
                .as("the venue executed the faulted order")
                .isEqualTo(fault.executes);
        int expectedHl = op == Operation.OPEN_SHORT ? 1 : (fault.executes ? 2 : 3);
        int expectedBp = op == Operation.OPEN_SHORT ? (fault.executes ? 1 : 2) : 2;
        assertThat(hyperliquid.orders()).as("Hyperliquid orders").hasSize(expectedHl);
        assertThat(backpack.orders()).as("Backpack orders").hasSize(expectedBp);
    }

    private void theReadsWereFaultedOnceAndNothingTraded(
            HedgePair pair, Operation op, FaultMatrixTest.VenueFault fault) {
        for (WireMockExtension server : List.of(backpackServer, hyperliquidServer)) {
            assertThat(events(server).stream()
                            .filter(e -> FAULT_ID.equals(e.getStubMapping().getId())))
                    .as("read faulted once")
                    .hasSize(1);
        }
        boolean skipped = op == Operation.MARK_PRICES && UNRETRIED_READS.contains(fault);
        assertThat(rig.store.markCount(pair.id())).as("ticks marked").isEqualTo(skipped ? 1 : 2);
        assertThat(backpack.orders()).hasSize(1);
        assertThat(hyperliquid.orders()).hasSize(1);
    }

    // ------------------------------------------------------------------ injecting

    private void injectIntoOrder(boolean open, FaultMatrixTest.VenueFault fault) {
        MappingBuilder order = post(urlPathEqualTo(HyperliquidVenue.EXCHANGE))
                .withRequestBody(matchingJsonPath("$.action.type", equalTo("order")))
                .withRequestBody(matchingJsonPath("$.action.orders[0].b", equalTo(Boolean.toString(!open))))
                .withRequestBody(matchingJsonPath("$.action.orders[0].r", equalTo(Boolean.toString(!open))));
        MappingBuilder stub = fault.executes
                ? order.inScenario(HyperliquidVenue.SCENARIO)
                        .whenScenarioStateIs(open ? HyperliquidVenue.FLAT : HyperliquidVenue.HELD)
                        .willSetStateTo(open ? HyperliquidVenue.HELD : HyperliquidVenue.CLOSED)
                : order.inScenario(ONE_SHOT)
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willSetStateTo(SPENT);
        String normal = "{\"status\":\"ok\",\"response\":{\"type\":\"order\",\"data\":{\"statuses\":[{\"filled\":"
                + "{\"totalSz\":\"0.005\",\"avgPx\":\"" + (open ? HyperliquidVenue.OPEN_PX : HyperliquidVenue.CLOSE_PX)
                + "\",\"oid\":" + (open ? HyperliquidVenue.OPEN_OID : HyperliquidVenue.CLOSE_OID) + "}}]}}}";
        server(hyperliquidServer).register(stub.atPriority(1).withId(FAULT_ID).willReturn(reply(fault, true, normal)));
    }

    private void injectIntoReads(Operation op, FaultMatrixTest.VenueFault fault) {
        boolean marks = op == Operation.MARK_PRICES;
        server(backpackServer)
                .register(com.github.tomakehurst.wiremock.client.WireMock.get(
                                urlPathEqualTo(marks ? BackpackVenue.MARK_PRICES : BackpackVenue.POSITION))
                        .inScenario(ONE_SHOT)
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willSetStateTo(SPENT)
                        .atPriority(1)
                        .withId(FAULT_ID)
                        .willReturn(FaultMatrixTest.reply(
                                fault,
                                BackpackExchange.VENUE,
                                false,
                                Fixtures.read(
                                        marks ? "backpack/markPrices_held.json" : "backpack/positions_long.json"))));
        server(hyperliquidServer)
                .register(post(urlPathEqualTo(HyperliquidVenue.INFO))
                        .withRequestBody(
                                matchingJsonPath("$.type", equalTo(marks ? "metaAndAssetCtxs" : "clearinghouseState")))
                        .inScenario(ONE_SHOT)
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willSetStateTo(SPENT)
                        .atPriority(1)
                        .withId(FAULT_ID)
                        .willReturn(reply(fault, false, "[]")));
    }

    /** Hyperliquid's faulty reply; {@code normal} is what it would have answered. */
    private static ResponseDefinitionBuilder reply(FaultMatrixTest.VenueFault fault, boolean order, String normal) {
        return switch (fault) {
            case TIMEOUT_BEFORE_SEND -> aResponse().withStatus(504).withFixedDelay(LATE_MS);
            case TIMEOUT_AFTER_SEND -> okJson(normal).withFixedDelay(LATE_MS);
            case HTTP_500 ->
                aResponse()
                        .withStatus(500)
                        .withHeader("Content-Type", "text/plain")
                        .withBody("internal error");
            case HTTP_503 ->
                aResponse()
                        .withStatus(503)
                        .withHeader("Content-Type", "text/plain")
                        .withBody("unavailable");
            case HTTP_429 -> FaultMatrixTest.json(429, "null").withHeader("Retry-After", "1");
            case CONNECTION_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            case MALFORMED_JSON -> FaultMatrixTest.json(200, normal.substring(0, normal.length() / 2));
            case HTML_ERROR_PAGE ->
                aResponse()
                        .withStatus(502)
                        .withHeader("Content-Type", "text/html")
                        .withBody("<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>");
            case EMPTY_BODY -> FaultMatrixTest.json(200, "");
            case TYPED_REJECTION ->
                order
                        ? okJson("{\"status\":\"ok\",\"response\":{\"type\":\"order\",\"data\":{\"statuses\":"
                                + "[{\"error\":\"Insufficient margin to place order. asset=0\"}]}}}")
                        : FaultMatrixTest.json(422, "Failed to deserialize the JSON body into the target type");
        };
    }

    // ------------------------------------------------------------------ stepping and reading

    private static WireMock server(WireMockExtension server) {
        return server.getRuntimeInfo().getWireMock();
    }

    private static List<ServeEvent> events(WireMockExtension server) {
        return LiveRig.events(server(server));
    }

    private static String state(WireMockExtension server, String scenario) {
        return LiveRig.state(server(server), scenario);
    }

    private static boolean isOrder(LoggedRequest r) {
        return HyperliquidVenue.EXCHANGE.equals(URI.create(r.getUrl()).getPath())
                && "order".equals(LiveRig.json(r).path("action").path("type").asText());
    }

    /** {@code orderStatus} of the order with {@code cloid}. */
    private static boolean isLookup(LoggedRequest r, String cloid) {
        if (!HyperliquidVenue.INFO.equals(URI.create(r.getUrl()).getPath())) {
            return false;
        }
        JsonNode body = LiveRig.json(r);
        return "orderStatus".equals(body.path("type").asText())
                && cloid.equals(body.path("oid").asText());
    }

    private static JsonNode order(LoggedRequest r) {
        return LiveRig.json(r).path("action").path("orders").get(0);
    }
}
