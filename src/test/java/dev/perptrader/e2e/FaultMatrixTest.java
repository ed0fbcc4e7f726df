package dev.perptrader.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.LegStatus;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.backpack.BackpackTestAccess;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.hibachi.HibachiTestAccess;
import dev.perptrader.testutil.StubServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Every venue fault against every call that matters, in live mode with both venues on WireMock
 * (LONG on Backpack, SHORT on Hibachi). The fault is injected once, into one call: an opening
 * order, a closing order at expiry, or the mark-price or account reads of a monitor tick. Then
 * the rig is stepped, a retry period at a time, until the pair is no longer mid-way.
 *
 * <p>For an order, the stub decides as a real venue would whether the order was executed: when
 * it was, the venue's position scenario moves and the venue's order history shows the order under
 * its client id (see {@link ExecutedOrders}), whatever the client saw; when it was not, neither
 * changes. Every case then checks that both legs are equal or both flat, and that the database
 * and the venues agree; that every order went out once under a client id never used before, and
 * an order whose outcome was unknown was looked up before anything else went to its venue; the
 * pair's end state; and exactly the alerts expected.
 */
final class FaultMatrixTest {
    /** The two venues these tests trade on (sim worlds model only them). */
    private static final List<Venue> PAIRED = List.of(BackpackExchange.VENUE, HibachiExchange.VENUE);

    /** The matrix clients' bound on one HTTP call (the trading clients' is 10 s). */
    private static final Duration CALL_TIMEOUT = Duration.ofMillis(1000); // generous: a loaded two-core CI machine
    /** When a reply that is meant to time out comes, after the request arrived. */
    private static final int LATE_MS = 1500;

    private static final BigDecimal QTY = new BigDecimal("0.005");
    /** The one faulted stub on each server. */
    private static final UUID FAULT_ID = UUID.fromString("0a1b2c3d-0000-4000-8000-00000000fa17");

    private static final String ONE_SHOT = "fault, injected once";
    private static final String SPENT = "spent";
    private static final int MAX_SETTLE_STEPS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Read faults each client does not retry: one such reply skips the venue for that monitor
     * tick (VENUE_DOWN). Hibachi takes an unreadable 2xx as a venue failure, not a passing glitch
     * ({@code HibachiErrorsTest.unreadableSuccessRepliesOnReadsAreVenueDownWithoutRetry}).
     */
    private static final Map<Venue, Set<VenueFault>> UNRETRIED_READS = Map.of(
            BackpackExchange.VENUE, EnumSet.of(VenueFault.TYPED_REJECTION),
            HibachiExchange.VENUE,
                    EnumSet.of(VenueFault.TYPED_REJECTION, VenueFault.MALFORMED_JSON, VenueFault.EMPTY_BODY));

    /**
     * What goes wrong, once. For an order, {@code executes} says whether the venue acted on it,
     * and {@code refusal} whether its reply says plainly that it did not (so the client needs no
     * lookup); every other fault leaves the outcome unknown to the client. A read gets the same
     * reply, and nothing is executed.
     */
    enum VenueFault {
        /** No reply within the call timeout; the request never reached the matching engine. */
        TIMEOUT_BEFORE_SEND(false, false),
        /** Executed at once; the reply comes after the call timeout. */
        TIMEOUT_AFTER_SEND(true, false),
        /** Executed; then HTTP 500 (Backpack SERVER_ERROR, Hibachi a plain-text page). */
        HTTP_500(true, false),
        /** Executed; then HTTP 503 (Backpack MAINTENANCE, Hibachi a maintenance status). */
        HTTP_503(true, false),
        /** Throttled: HTTP 429 with Retry-After: 1, nothing executed. */
        HTTP_429(false, true),
        /** Executed; then the connection is reset instead of a reply. */
        CONNECTION_RESET(true, false),
        /** Executed; HTTP 200 with the reply cut in half. */
        MALFORMED_JSON(true, false),
        /** A CDN's HTML 502 page; nothing executed. */
        HTML_ERROR_PAGE(false, false),
        /** Executed; HTTP 200 with an empty body. */
        EMPTY_BODY(true, false),
        /** HTTP 400 with the venue's documented error body; nothing executed. */
        TYPED_REJECTION(false, true);

        final boolean executes;
        final boolean refusal;

        VenueFault(boolean executes, boolean refusal) {
            this.executes = executes;
            this.refusal = refusal;
        }
    }

    /** The call the fault hits. */
    enum Operation {
        /** Backpack's opening Bid. */
        OPEN_LONG,
        /** Hibachi's opening ASK. */
        OPEN_SHORT,
        /** Backpack's reduce-only Ask at expiry. */
        CLOSE_LONG,
        /** Hibachi's reduce-only BID at expiry. */
        CLOSE_SHORT,
        /** Backpack {@code markPrices} and Hibachi {@code prices}, in the same monitor tick. */
        MARK_PRICES,
        /** Backpack {@code position} and Hibachi {@code account/info}, in the same monitor tick. */
        ACCOUNT;

        /** The venue whose order is faulted; empty for the reads, which are faulted on both venues. */
        Optional<Venue> orderVenue() {
            return switch (this) {
                case OPEN_LONG, CLOSE_LONG -> Optional.of(BackpackExchange.VENUE);
                case OPEN_SHORT, CLOSE_SHORT -> Optional.of(HibachiExchange.VENUE);
                case MARK_PRICES, ACCOUNT -> Optional.empty();
            };
        }

        boolean opens() {
            return this == OPEN_LONG || this == OPEN_SHORT;
        }

        boolean closes() {
            return this == CLOSE_LONG || this == CLOSE_SHORT;
        }
    }

    @RegisterExtension
    final WireMockExtension backpackServer;

    @RegisterExtension
    final WireMockExtension hibachiServer;

    @TempDir
    Path dir;

    private final ExecutedOrders backpackExecuted = BackpackVenue.executedOrders();
    private final ExecutedOrders hibachiExecuted = HibachiVenue.executedOrders();
    private LiveRig rig;
    private BackpackVenue backpack;
    private HibachiVenue hibachi;

    FaultMatrixTest() {
        backpackServer = StubServer.on(backpackExecuted.extensions());
        hibachiServer = StubServer.on(hibachiExecuted.extensions());
    }

    static Stream<Arguments> matrix() {
        return Arrays.stream(Operation.values())
                .flatMap(op -> Arrays.stream(VenueFault.values()).map(f -> Arguments.of(op, f)));
    }

    @BeforeEach
    void start() {
        rig = new LiveRig(dir);
        backpack = new BackpackVenue(backpackServer.getRuntimeInfo());
        hibachi = new HibachiVenue(hibachiServer.getRuntimeInfo());
        backpack.install(rig.clock.instant());
        backpack.keepsOrderHistory();
        hibachi.install(rig.clock.instant());
        hibachi.findsOrdersByNonce();
        rig.start(
                BackpackTestAccess.exchange(backpackServer.getRuntimeInfo(), rig.clock, CALL_TIMEOUT),
                HibachiTestAccess.hmacExchange(hibachiServer.getRuntimeInfo(), rig.clock, CALL_TIMEOUT),
                List.of(backpack::clockIs, hibachi::clockIs));
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("matrix")
    void aFaultInjectedOnceLeavesTheHedgeWholeAndNothingSentTwice(Operation op, VenueFault fault) {
        if (op.opens()) {
            injectIntoOrder(op, fault);
            rig.step();
        } else {
            rig.step();
            assertThat(rig.onlyPair().status()).as("opened before the fault").isEqualTo(PairStatus.OPEN);
            if (op.closes()) {
                rig.advance(Duration.between(rig.clock.instant(), rig.onlyPair().closeAt()));
                injectIntoOrder(op, fault);
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
        everyOrderSentOnceUnderAFreshClientId(pair);
        if (op.orderVenue().isPresent()) {
            theFaultedOrderWasSettledWithoutAResend(pair, op, fault);
        } else {
            theReadsWereFaultedOnceAndNothingTraded(pair, op, fault);
        }
        assertThat(pair.status()).as("end state").isEqualTo(expectedStatus(op, fault));
        if (op.closes()) {
            assertThat(pair.closeReason()).isEqualTo("EXPIRED");
        }
        assertThat(rig.alertsWithVenue()).as("alerts").isEqualTo(expectedAlerts(op, fault));
        assertThat(backpack.assertAllSignedRequestsVerify()).isPositive();
        assertThat(hibachi.orders())
                .allSatisfy(r -> assertThat(HibachiTestAccess.hmacVerifies(r.getBodyAsString()))
                        .as("HMAC of %s", r.getBodyAsString())
                        .isTrue());
    }

    // ------------------------------------------------------------------ expectations

    private static PairStatus expectedStatus(Operation op, VenueFault fault) {
        return switch (op) {
            case OPEN_LONG, OPEN_SHORT -> fault.executes ? PairStatus.OPEN : PairStatus.ROLLED_BACK;
            case CLOSE_LONG, CLOSE_SHORT -> PairStatus.CLOSED;
            case MARK_PRICES, ACCOUNT -> PairStatus.OPEN;
        };
    }

    /** Kinds, each with the venue it names ("VENUE_DOWN HIBACHI") or alone. */
    private static Set<String> expectedAlerts(Operation op, VenueFault fault) {
        Set<String> expected = new TreeSet<>();
        if (op.opens() && !fault.executes) {
            expected.add(
                    "ROLLED_BACK " + op.orderVenue().orElseThrow().configName()); // named after the leg that failed
        }
        if (op.opens() && !fault.executes && !fault.refusal) {
            // "not found" right after the timeout is not final until the venue's late-execution
            // window has passed: the bot waits (ORDER_UNKNOWN, naming the venue), then rolls back
            expected.add("ORDER_UNKNOWN " + op.orderVenue().orElseThrow().configName());
        }
        if (op.orderVenue().isEmpty()) {
            for (Venue v : PAIRED) {
                if (UNRETRIED_READS.get(v).contains(fault)) {
                    expected.add("VENUE_DOWN " + v.configName());
                }
            }
        }
        return expected;
    }

    /** Order POSTs {@code venue} receives in all: opening, rollback, closing, and a retried close. */
    private static int expectedOrders(Venue venue, Operation op, VenueFault fault) {
        boolean faulted = op.orderVenue().equals(Optional.of(venue));
        return switch (op) {
            case OPEN_LONG, OPEN_SHORT -> faulted || fault.executes ? 1 : 2;
            case CLOSE_LONG, CLOSE_SHORT -> faulted && !fault.executes ? 3 : 2;
            case MARK_PRICES, ACCOUNT -> 1;
        };
    }

    // ------------------------------------------------------------------ the invariants

    /** (1) Both legs hold the same size, and each is what its venue holds. */
    private void bothLegsEqualAndAsTheVenuesHoldThem(HedgePair pair) {
        Leg longLeg = rig.leg(pair, Side.LONG);
        Leg shortLeg = rig.leg(pair, Side.SHORT);
        assertThat(longLeg.size()).as("long leg vs short leg").isEqualByComparingTo(shortLeg.size());
        BigDecimal backpackHolds = BackpackVenue.LONG.equals(state(BackpackExchange.VENUE, BackpackVenue.SCENARIO))
                ? QTY
                : BigDecimal.ZERO;
        BigDecimal hibachiHolds =
                HibachiVenue.SHORT.equals(state(HibachiExchange.VENUE, HibachiVenue.SCENARIO)) ? QTY : BigDecimal.ZERO;
        assertThat(longLeg.size()).as("long leg vs what Backpack holds").isEqualByComparingTo(backpackHolds);
        assertThat(shortLeg.size()).as("short leg vs what Hibachi holds").isEqualByComparingTo(hibachiHolds);
        if (pair.status() == PairStatus.OPEN) {
            assertThat(longLeg.size()).isEqualByComparingTo(QTY);
            assertThat(List.of(longLeg.status(), shortLeg.status())).containsOnly(LegStatus.OPEN);
        } else {
            assertThat(longLeg.size()).isZero();
        }
    }

    /**
     * (2) Every order POST carries a client id (Backpack {@code clientId}, Hibachi {@code nonce})
     * never sent before, and every order the database records went out exactly once.
     */
    private void everyOrderSentOnceUnderAFreshClientId(HedgePair pair) {
        List<String> backpackIds = backpack.orders().stream()
                .map(r -> json(r).path("clientId").asText())
                .toList();
        List<String> hibachiIds = hibachi.orders().stream()
                .map(r -> json(r).path("nonce").asText())
                .toList();
        assertThat(backpackIds).as("Backpack clientIds").doesNotHaveDuplicates().allMatch(id -> !id.isEmpty());
        assertThat(hibachiIds).as("Hibachi nonces").doesNotHaveDuplicates().allMatch(id -> !id.isEmpty());
        List<OrderRecord> orders = rig.store.orders(pair.id());
        assertThat(backpackIds)
                .as("Backpack POSTs vs orders recorded")
                .containsExactlyInAnyOrderElementsOf(orders.stream()
                        .filter(o -> o.venue() == BackpackExchange.VENUE)
                        .map(OrderRecord::clientId)
                        .toList());
        assertThat(hibachiIds)
                .as("Hibachi POSTs vs orders recorded")
                .containsExactlyInAnyOrderElementsOf(orders.stream()
                        .filter(o -> o.venue() == HibachiExchange.VENUE)
                        .map(OrderRecord::clientId)
                        .toList());
        assertThat(orders)
                .as("every order settled")
                .allSatisfy(o -> assertThat(o.status().settled()).isTrue());
    }

    /**
     * (2) The faulted order was hit once; an unknown outcome was looked up by its client id before
     * anything else went to its venue, a plain refusal was not looked up at all; the order is
     * recorded as the venue has it; and each venue got only the orders the outcome calls for.
     */
    private void theFaultedOrderWasSettledWithoutAResend(HedgePair pair, Operation op, VenueFault fault) {
        Venue venue = op.orderVenue().orElseThrow();
        List<ServeEvent> events = events(venue);
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (FAULT_ID.equals(events.get(i).getStubMapping().getId())) {
                hits.add(i);
            }
        }
        assertThat(hits).as("the fault was hit once").hasSize(1);
        int faulted = hits.get(0);
        String clientId = clientId(venue, events.get(faulted).getRequest());
        int next = faulted + 1;
        while (next < events.size() && !isOrder(venue, events.get(next).getRequest())) {
            next++;
        }
        List<LoggedRequest> lookups = events.stream()
                .map(ServeEvent::getRequest)
                .filter(r -> isLookup(venue, r, clientId))
                .toList();
        List<LoggedRequest> lookupsBeforeNextOrder = events.subList(faulted + 1, next).stream()
                .map(ServeEvent::getRequest)
                .filter(r -> isLookup(venue, r, clientId))
                .toList();
        OrderRecord order = rig.store.orders(pair.id()).stream()
                .filter(o -> o.venue() == venue && o.clientId().equals(clientId))
                .findFirst()
                .orElseThrow();
        if (fault.refusal) {
            assertThat(lookups).as("a refused order is not looked up").isEmpty();
            assertThat(order.status()).isEqualTo(OrderStatus.REJECTED);
            assertThat(order.error()).contains(fault == VenueFault.HTTP_429 ? "RATE_LIMITED" : "HTTP 400");
        } else {
            assertThat(lookupsBeforeNextOrder)
                    .as("looked up by client id before anything else was sent")
                    .isNotEmpty();
            assertThat(order.status()).isEqualTo(fault.executes ? OrderStatus.FILLED : OrderStatus.REJECTED);
            if (fault.executes) {
                assertThat(order.filledQty()).isEqualByComparingTo(QTY);
                assertThat(order.venueOrderId()).isNotBlank();
            } else {
                assertThat(order.error()).isEqualTo("venue has no order with this client id");
            }
        }
        List<JsonNode> executed = (venue == BackpackExchange.VENUE ? backpackExecuted : hibachiExecuted).executed();
        assertThat(executed.stream()
                        .anyMatch(b -> b.path(venue == BackpackExchange.VENUE ? "clientId" : "nonce")
                                .asText()
                                .equals(clientId)))
                .as("the venue executed the faulted order")
                .isEqualTo(fault.executes);
        assertThat(backpack.orders()).as("Backpack orders").hasSize(expectedOrders(BackpackExchange.VENUE, op, fault));
        assertThat(hibachi.orders()).as("Hibachi orders").hasSize(expectedOrders(HibachiExchange.VENUE, op, fault));
    }

    /**
     * Both reads were faulted once, the pair was marked on every tick it could be (marks need the
     * prices, not the accounts), and nothing was sent.
     */
    private void theReadsWereFaultedOnceAndNothingTraded(HedgePair pair, Operation op, VenueFault fault) {
        for (Venue v : PAIRED) {
            assertThat(events(v).stream()
                            .filter(e -> FAULT_ID.equals(e.getStubMapping().getId())))
                    .as("%s read faulted once", v)
                    .hasSize(1);
        }
        boolean skipped =
                op == Operation.MARK_PRICES && UNRETRIED_READS.values().stream().anyMatch(s -> s.contains(fault));
        assertThat(rig.store.markCount(pair.id())).as("ticks marked").isEqualTo(skipped ? 1 : 2);
        assertThat(backpack.orders()).as("Backpack orders").hasSize(1);
        assertThat(hibachi.orders()).as("Hibachi orders").hasSize(1);
        assertThat(rig.store.orders(pair.id()))
                .hasSize(2)
                .allSatisfy(o -> assertThat(o.status()).isEqualTo(OrderStatus.FILLED));
    }

    // ------------------------------------------------------------------ injecting

    /**
     * The next order the operation sends meets {@code fault}. When the venue executes it, the
     * stub moves the position scenario (so it can match only once); otherwise it is a one-shot
     * stub in a scenario of its own and the venue's state stays as it was.
     */
    private void injectIntoOrder(Operation op, VenueFault fault) {
        Venue venue = op.orderVenue().orElseThrow();
        boolean open = op.opens();
        MappingBuilder order;
        String from;
        String to;
        String reply;
        if (venue == BackpackExchange.VENUE) {
            order = post(urlPathEqualTo(BackpackVenue.ORDER))
                    .withRequestBody(matchingJsonPath("$.side", equalTo(open ? "Bid" : "Ask")))
                    .withRequestBody(
                            open ? notContaining("reduceOnly") : matchingJsonPath("$.reduceOnly", equalTo("true")));
            from = open ? BackpackVenue.FLAT : BackpackVenue.LONG;
            to = open ? BackpackVenue.LONG : BackpackVenue.CLOSED;
            reply = Fixtures.read(open ? "backpack/order_open_filled.json" : "backpack/order_close_filled.json");
        } else {
            order = post(urlPathEqualTo(HibachiVenue.ORDER))
                    .withRequestBody(matchingJsonPath("$.side", equalTo(open ? "ASK" : "BID")))
                    .withRequestBody(
                            open
                                    ? notContaining("orderFlags")
                                    : matchingJsonPath("$.orderFlags", equalTo("REDUCE_ONLY")));
            from = open ? HibachiVenue.FLAT : HibachiVenue.SHORT;
            to = open ? HibachiVenue.SHORT : HibachiVenue.CLOSED;
            reply = "{\"orderId\":\"" + (open ? HibachiVenue.OPEN_ORDER_ID : HibachiVenue.CLOSE_ORDER_ID) + "\"}";
        }
        String scenario = venue == BackpackExchange.VENUE ? BackpackVenue.SCENARIO : HibachiVenue.SCENARIO;
        MappingBuilder stub = fault.executes
                ? order.inScenario(scenario).whenScenarioStateIs(from).willSetStateTo(to)
                : order.inScenario(ONE_SHOT)
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willSetStateTo(SPENT);
        ResponseDefinitionBuilder response = reply(fault, venue, true, reply);
        if (venue == BackpackExchange.VENUE && fault == VenueFault.TIMEOUT_AFTER_SEND) {
            response = response.withTransformers("response-template");
        }
        server(venue).register(stub.atPriority(1).withId(FAULT_ID).willReturn(response));
    }

    /** The next read of the operation on each venue meets {@code fault}, once. */
    private void injectIntoReads(Operation op, VenueFault fault) {
        boolean marks = op == Operation.MARK_PRICES;
        server(BackpackExchange.VENUE)
                .register(oneShot(marks ? BackpackVenue.MARK_PRICES : BackpackVenue.POSITION)
                        .willReturn(reply(
                                fault,
                                BackpackExchange.VENUE,
                                false,
                                Fixtures.read(
                                        marks ? "backpack/markPrices_held.json" : "backpack/positions_long.json"))));
        server(HibachiExchange.VENUE)
                .register(oneShot(marks ? HibachiVenue.INVENTORY : HibachiVenue.ACCOUNT_INFO)
                        .willReturn(reply(
                                fault,
                                HibachiExchange.VENUE,
                                false,
                                Fixtures.read(marks ? "hibachi/inventory_held.json" : "hibachi/account_short.json"))));
    }

    private static MappingBuilder oneShot(String path) {
        return get(urlPathEqualTo(path))
                .inScenario(ONE_SHOT)
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo(SPENT)
                .atPriority(1)
                .withId(FAULT_ID);
    }

    /** The faulty reply; {@code normal} is what the venue would have answered. */
    static ResponseDefinitionBuilder reply(VenueFault fault, Venue venue, boolean order, String normal) {
        boolean bp = venue == BackpackExchange.VENUE;
        return switch (fault) {
            case TIMEOUT_BEFORE_SEND -> aResponse().withStatus(504).withFixedDelay(LATE_MS);
            case TIMEOUT_AFTER_SEND -> okJson(normal).withFixedDelay(LATE_MS);
            case HTTP_500 ->
                bp
                        ? json(500, "{\"code\":\"SERVER_ERROR\",\"message\":\"Internal server error\"}")
                        : aResponse()
                                .withStatus(500)
                                .withHeader("Content-Type", "text/plain")
                                .withBody("Internal Server Error");
            case HTTP_503 ->
                json(
                        503,
                        bp
                                ? "{\"code\":\"MAINTENANCE\",\"message\":\"System under maintenance\"}"
                                : "{\"message\":\"The exchange is under maintenance\",\"status\":\"MAINTENANCE\"}");
            case HTTP_429 ->
                json(
                                429,
                                bp
                                        ? "{\"code\":\"TOO_MANY_REQUESTS\",\"message\":\"Too many requests\"}"
                                        : HibachiTestAccess.fixture("error-rate-limit.json"))
                        .withHeader("Retry-After", "1");
            case CONNECTION_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            case MALFORMED_JSON -> json(200, normal.substring(0, normal.length() / 2));
            case HTML_ERROR_PAGE ->
                aResponse()
                        .withStatus(502)
                        .withHeader("Content-Type", "text/html")
                        .withBody("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
                                + "</h1></center><hr><center>cloudflare</center></body></html>");
            case EMPTY_BODY -> json(200, "");
            case TYPED_REJECTION ->
                json(
                        400,
                        bp
                                ? order
                                        ? "{\"code\":\"INSUFFICIENT_MARGIN\",\"message\":\"Insufficient margin\"}"
                                        : "{\"code\":\"INVALID_CLIENT_REQUEST\",\"message\":\"Invalid request\"}"
                                : order
                                        ? "{\"errorCode\":4,\"message\":\"Invalid input: Invalid quantity: 0.005\",\"status\":\"failed\"}"
                                        : "{\"errorCode\":4,\"message\":\"Invalid input\",\"status\":\"failed\"}");
        };
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    // ------------------------------------------------------------------ stepping and reading

    private WireMock server(Venue venue) {
        return (venue == BackpackExchange.VENUE ? backpackServer : hibachiServer)
                .getRuntimeInfo()
                .getWireMock();
    }

    /** Everything {@code venue} received, oldest first. */
    private List<ServeEvent> events(Venue venue) {
        return LiveRig.events(server(venue));
    }

    /** The state of a venue's scenario: what the venue holds. */
    private String state(Venue venue, String scenario) {
        return LiveRig.state(server(venue), scenario);
    }

    private static boolean isOrder(Venue venue, LoggedRequest r) {
        String order = venue == BackpackExchange.VENUE ? BackpackVenue.ORDER : HibachiVenue.ORDER;
        return "POST".equals(r.getMethod().getName()) && order.equals(path(r));
    }

    /**
     * A request that asks the venue about an order by its client id: Backpack's order history of
     * the symbol (or its fills), Hibachi's order by nonce.
     */
    private static boolean isLookup(Venue venue, LoggedRequest r, String clientId) {
        if (!"GET".equals(r.getMethod().getName())) {
            return false;
        }
        if (venue == BackpackExchange.VENUE) {
            return BackpackVenue.HISTORY_ORDERS.equals(path(r))
                    || (BackpackVenue.FILLS.equals(path(r))
                            && !r.queryParameter("orderId").isPresent());
        }
        return HibachiVenue.ORDER.equals(path(r))
                && r.queryParameter("nonce").isPresent()
                && clientId.equals(r.queryParameter("nonce").firstValue());
    }

    private static String clientId(Venue venue, LoggedRequest r) {
        return json(r).path(venue == BackpackExchange.VENUE ? "clientId" : "nonce")
                .asText();
    }

    private static String path(LoggedRequest r) {
        return URI.create(r.getUrl()).getPath();
    }

    private static JsonNode json(LoggedRequest r) {
        try {
            return JSON.readTree(r.getBodyAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
