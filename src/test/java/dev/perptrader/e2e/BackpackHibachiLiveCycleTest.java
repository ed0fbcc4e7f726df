package dev.perptrader.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.LegStatus;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Pnl;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.KeyProof;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.backpack.BackpackTestAccess;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.hibachi.HibachiTestAccess;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.StubServer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hedge in live mode with both venues on WireMock (one server each): LONG on Backpack, SHORT
 * on Hibachi, the default pairing. The full cycle (open, monitor, reduce-only close at expiry)
 * and the rollback when Hibachi refuses the short. After every test, every Backpack request to a
 * signed endpoint must verify with the ED25519 public key, and every Hibachi order body must carry
 * the HMAC of the payload rebuilt from that body alone.
 */
final class BackpackHibachiLiveCycleTest {

    @RegisterExtension
    final WireMockExtension backpackServer = StubServer.on();

    @RegisterExtension
    final WireMockExtension hibachiServer = StubServer.on();

    @TempDir
    Path dir;

    private LiveRig rig;
    private BackpackVenue backpack;
    private HibachiVenue hibachi;
    private PerpExchange backpackClient;
    private PerpExchange hibachiClient;

    @BeforeEach
    void start() {
        rig = new LiveRig(dir);
        backpack = new BackpackVenue(backpackServer.getRuntimeInfo());
        hibachi = new HibachiVenue(hibachiServer.getRuntimeInfo());
        backpack.install(rig.clock.instant());
        hibachi.install(rig.clock.instant());
        backpackClient = BackpackTestAccess.exchange(backpackServer.getRuntimeInfo(), rig.clock);
        hibachiClient = HibachiTestAccess.hmacExchange(hibachiServer.getRuntimeInfo(), rig.clock);
        rig.start(backpackClient, hibachiClient, List.of(backpack::clockIs, hibachi::clockIs));
    }

    @AfterEach
    void everySignatureVerifies() {
        try {
            assertThat(backpack.assertAllSignedRequestsVerify()).isPositive();
            List<LoggedRequest> orders = hibachi.orders();
            assertThat(orders)
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(HibachiTestAccess.hmacVerifies(r.getBodyAsString()))
                            .as("HMAC of %s", r.getBodyAsString())
                            .isTrue());
            for (LoggedRequest r : hibachi.requests()) {
                String path = URI.create(r.getUrl()).getPath();
                if (path.startsWith("/trade/")) {
                    assertThat(r.getHeader("Authorization"))
                            .as("Authorization of %s", path)
                            .isEqualTo(HibachiTestAccess.API_KEY);
                } else {
                    assertThat(r.containsHeader("Authorization"))
                            .as("public %s sent no key", path)
                            .isFalse();
                }
            }
        } finally {
            rig.close();
        }
    }

    @Test
    void opensMarksAndClosesBothLegsAtExpiryWithReduceOnlyOrders() {
        // open: both legs at once, one order each
        rig.step();

        HedgePair pair = rig.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(pair.longVenue()).isEqualTo(BackpackExchange.VENUE);
        assertThat(pair.shortVenue()).isEqualTo(HibachiExchange.VENUE);
        assertThat(pair.quantity()).isEqualByComparingTo("0.005");
        assertThat(pair.notional())
                .isEqualByComparingTo("300"); // 0.005 x max(59980, 60000): sized from the higher mark
        assertThat(backpack.orders()).hasSize(1);
        assertThat(hibachi.orders()).hasSize(1);
        JsonNode bid = LiveRig.json(backpack.orders().get(0));
        assertThat(bid.get("side").asText()).isEqualTo("Bid");
        assertThat(bid.get("orderType").asText()).isEqualTo("Market");
        assertThat(bid.get("quantity").asText()).isEqualTo("0.005");
        assertThat(bid.has("reduceOnly")).isFalse();
        assertThat(bid.get("clientId").asText())
                .isEqualTo(rig.order(pair, BackpackExchange.VENUE, OrderPurpose.OPEN)
                        .clientId());
        JsonNode ask = LiveRig.json(hibachi.orders().get(0));
        assertThat(ask.get("accountId").asLong()).isEqualTo(HibachiTestAccess.ACCOUNT_ID);
        assertThat(ask.get("symbol").asText()).isEqualTo(HibachiVenue.SYMBOL);
        assertThat(ask.get("side").asText()).isEqualTo("ASK");
        assertThat(ask.get("orderType").asText()).isEqualTo("MARKET");
        assertThat(ask.get("quantity").isTextual()).isTrue();
        assertThat(decimal(ask, "quantity")).isEqualByComparingTo(pair.quantity());
        assertThat(ask.get("maxFeesPercent").asText()).isEqualTo("0.001");
        assertThat(ask.has("orderFlags")).as("no flags on an opening order").isFalse();
        assertThat(ask.has("price")).as("a market order has no price").isFalse();
        assertThat(ask.get("nonce").isIntegralNumber()).isTrue();
        assertThat(ask.get("nonce").asText())
                .isEqualTo(rig.order(pair, HibachiExchange.VENUE, OrderPurpose.OPEN)
                        .clientId());
        Leg longLeg = rig.leg(pair, Side.LONG);
        Leg shortLeg = rig.leg(pair, Side.SHORT);
        assertThat(longLeg.entryPrice()).isEqualByComparingTo("60001.6");
        assertThat(longLeg.fees()).isEqualByComparingTo("0.1200032");
        assertThat(shortLeg.entryPrice()).isEqualByComparingTo("59995.5"); // the order history's avgFillPrice
        assertThat(shortLeg.fees()).isEqualByComparingTo("0.134990"); // the order's trade
        assertThat(rig.order(pair, HibachiExchange.VENUE, OrderPurpose.OPEN).venueOrderId())
                .isEqualTo(HibachiVenue.OPEN_ORDER_ID);

        // a monitor tick: one mark-price call and one account read per venue
        int bpMarks = backpack.gets(BackpackVenue.MARK_PRICES);
        int bpCollateral = backpack.gets(BackpackVenue.COLLATERAL);
        int bpPositions = backpack.gets(BackpackVenue.POSITION);
        int hbMarks = hibachi.gets(HibachiVenue.INVENTORY);
        int hbAccount = hibachi.gets(HibachiVenue.ACCOUNT_INFO);
        rig.advance(Duration.ofSeconds(60));
        rig.step();

        assertThat(backpack.gets(BackpackVenue.MARK_PRICES) - bpMarks).isEqualTo(1);
        assertThat(backpack.gets(BackpackVenue.COLLATERAL) - bpCollateral).isEqualTo(1);
        assertThat(backpack.gets(BackpackVenue.POSITION) - bpPositions).isEqualTo(1);
        assertThat(hibachi.gets(HibachiVenue.INVENTORY) - hbMarks).isEqualTo(1);
        assertThat(hibachi.gets(HibachiVenue.ACCOUNT_INFO) - hbAccount).isEqualTo(1);
        assertThat(rig.store.markCount(pair.id())).isEqualTo(1);
        Store.Mark mark = rig.store.latestMark(pair.id()).orElseThrow();
        assertThat(mark.longMark()).isEqualByComparingTo("60120.5");
        assertThat(mark.shortMark()).isEqualByComparingTo("60118.0");
        assertThat(mark.longUpnl()).isEqualByComparingTo("0.5945"); // 0.005 x (60120.5 - 60001.6)
        assertThat(mark.shortUpnl()).isEqualByComparingTo("-0.6125"); // -0.005 x (60118.0 - 59995.5)
        assertThat(mark.divergence())
                .as("stored with 4 decimals")
                .isEqualByComparingTo(Pnl.divergence(mark.longUpnl(), mark.shortUpnl(), pair.notional())
                        .setScale(4, RoundingMode.HALF_EVEN));
        assertThat(mark.longVenueRatio()).isGreaterThan(rig.config.trading().minCollateralRatio());
        assertThat(mark.shortVenueRatio()).isGreaterThan(rig.config.trading().minCollateralRatio());
        assertThat(rig.alertKinds()).isEmpty();

        // a second tick a minute later writes a second mark
        rig.advance(Duration.ofSeconds(60));
        rig.step();
        assertThat(rig.store.markCount(pair.id())).isEqualTo(2);
        assertThat(backpack.orders()).hasSize(1);
        assertThat(hibachi.orders()).hasSize(1);

        // expiry: reduce-only on both venues
        rig.advance(Duration.between(rig.clock.instant(), pair.closeAt()));
        rig.step();

        HedgePair closed = rig.pair(pair.id());
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        assertThat(closed.closeReason()).isEqualTo("EXPIRED");
        assertThat(backpack.orders()).hasSize(2);
        assertThat(hibachi.orders()).hasSize(2);
        JsonNode askClose = LiveRig.json(backpack.orders().get(1));
        assertThat(askClose.get("side").asText()).isEqualTo("Ask");
        assertThat(askClose.get("orderType").asText()).isEqualTo("Market");
        assertThat(askClose.get("reduceOnly").isBoolean()).isTrue();
        assertThat(askClose.get("reduceOnly").booleanValue()).isTrue();
        assertThat(askClose.get("quantity").asText())
                .isEqualTo(bid.get("quantity").asText());
        assertThat(askClose.get("clientId").asText())
                .isEqualTo(rig.order(pair, BackpackExchange.VENUE, OrderPurpose.CLOSE)
                        .clientId());
        JsonNode bidClose = LiveRig.json(hibachi.orders().get(1));
        assertThat(bidClose.get("side").asText()).isEqualTo("BID");
        assertThat(bidClose.get("orderType").asText()).isEqualTo("MARKET");
        assertThat(bidClose.get("orderFlags").asText()).isEqualTo("REDUCE_ONLY");
        assertThat(decimal(bidClose, "quantity")).isEqualByComparingTo(decimal(ask, "quantity"));
        assertThat(bidClose.get("nonce").asText())
                .isEqualTo(rig.order(pair, HibachiExchange.VENUE, OrderPurpose.CLOSE)
                        .clientId());
        assertThat(bidClose.get("nonce").asLong())
                .isGreaterThan(ask.get("nonce").asLong());
        assertThat(rig.store.orders(pair.id()))
                .allSatisfy(o -> assertThat(o.status()).isEqualTo(OrderStatus.FILLED));
        assertThat(rig.store.legs(pair.id())).allSatisfy(l -> {
            assertThat(l.status()).isEqualTo(LegStatus.CLOSED);
            assertThat(l.size()).isZero();
        });

        longLeg = rig.leg(pair, Side.LONG);
        shortLeg = rig.leg(pair, Side.SHORT);
        assertThat(longLeg.realizedPnl()).isEqualByComparingTo("0.5895"); // 0.005 x (60119.5 - 60001.6)
        assertThat(shortLeg.exitPrice()).isEqualByComparingTo("60117.0");
        assertThat(shortLeg.realizedPnl()).isEqualByComparingTo("-0.6075"); // -0.005 x (60117.0 - 59995.5)
        // funding in (15:30, 16:30]: each venue's 16:00 payment only
        assertThat(longLeg.funding()).isEqualByComparingTo("-0.015006");
        assertThat(shortLeg.funding()).isEqualByComparingTo("0.015004");
        assertThat(closed.realizedPnl()).isEqualByComparingTo("-0.018");
        assertThat(closed.fees()).isEqualByComparingTo("0.5104952"); // 0.1200032 + 0.120239 + 0.134990 + 0.135263
        assertThat(closed.funding()).isEqualByComparingTo("-0.000002");
        assertThat(closed.volume()).isEqualByComparingTo("1201.168"); // 300.008 + 300.5975 + 299.9775 + 300.585
        assertThat(closed.points()).isEqualByComparingTo("1.201168");
        assertThat(rig.alertKinds()).isEmpty();
    }

    @Test
    void theVenuesShowTheFillsTheyExecutedAndProveTheKeysWithoutTouchingAnOrder() {
        assertThat(backpackClient.fillsSince(BackpackVenue.SYMBOL, LiveRig.START))
                .contains(List.of());
        assertThat(hibachiClient.fillsSince(HibachiVenue.SYMBOL, LiveRig.START)).contains(List.of());
        rig.step();
        HedgePair pair = rig.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);

        List<VenueFill> bought =
                backpackClient.fillsSince(BackpackVenue.SYMBOL, LiveRig.START).orElseThrow();
        assertThat(bought).extracting(VenueFill::venueOrderId).containsOnly(BackpackVenue.OPEN_ORDER_ID);
        assertThat(bought)
                .extracting(VenueFill::qty)
                .extracting(BigDecimal::toPlainString)
                .containsExactly("0.003", "0.002");
        assertThat(bought).noneMatch(VenueFill::liquidation);
        List<VenueFill> sold =
                hibachiClient.fillsSince(HibachiVenue.SYMBOL, LiveRig.START).orElseThrow();
        assertThat(sold).singleElement().satisfies(f -> {
            assertThat(f.venueOrderId())
                    .isEqualTo(rig.order(pair, HibachiExchange.VENUE, OrderPurpose.OPEN)
                            .venueOrderId());
            assertThat(f.side()).isEqualTo(OrderSide.SELL);
            assertThat(f.qty()).isEqualByComparingTo(pair.quantity());
        });

        rig.advance(Duration.between(rig.clock.instant(), pair.closeAt()));
        rig.step();
        assertThat(rig.pair(pair.id()).status()).isEqualTo(PairStatus.CLOSED);
        assertThat(backpackClient
                        .fillsSince(BackpackVenue.SYMBOL, LiveRig.START)
                        .orElseThrow())
                .extracting(VenueFill::venueOrderId)
                .containsExactly(
                        BackpackVenue.OPEN_ORDER_ID, BackpackVenue.OPEN_ORDER_ID, BackpackVenue.CLOSE_ORDER_ID);
        assertThat(hibachiClient.fillsSince(HibachiVenue.SYMBOL, LiveRig.START).orElseThrow())
                .extracting(VenueFill::venueOrderId)
                .containsExactly(HibachiVenue.OPEN_ORDER_ID, HibachiVenue.CLOSE_ORDER_ID);

        assertThat(backpackClient.proveKeys().verdict()).isEqualTo(KeyProof.Verdict.PROVEN);
        assertThat(hibachiClient.proveKeys().verdict()).isEqualTo(KeyProof.Verdict.PROVEN);
        assertThat(hibachi.cancels()).hasSize(2);
        assertThat(HibachiTestAccess.hmacVerifiesCancel(hibachi.cancels().get(0).getBodyAsString()))
                .isTrue();
        assertThat(backpack.orders()).hasSize(2);
        assertThat(hibachi.orders()).hasSize(2);
    }

    @Test
    void closesTheBackpackLongReduceOnlyWhenHibachiRejectsTheShort() {
        hibachi.rejectsOrdersWith(HibachiTestAccess.fixture("error-insufficient.json"));

        rig.step();

        HedgePair pair = rig.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.ROLLED_BACK);
        assertThat(pair.closeReason()).startsWith("ROLLED_BACK").contains("Insufficient margin");
        List<LoggedRequest> bpOrders = backpack.orders();
        assertThat(bpOrders).hasSize(2);
        assertThat(hibachi.orders()).hasSize(1);
        JsonNode open = LiveRig.json(bpOrders.get(0));
        JsonNode rollback = LiveRig.json(bpOrders.get(1));
        assertThat(open.get("side").asText()).isEqualTo("Bid");
        assertThat(open.has("reduceOnly")).isFalse();
        assertThat(rollback.get("side").asText()).isEqualTo("Ask");
        assertThat(rollback.get("orderType").asText()).isEqualTo("Market");
        assertThat(rollback.get("reduceOnly").isBoolean()).isTrue();
        assertThat(rollback.get("reduceOnly").booleanValue()).isTrue();
        assertThat(rollback.get("quantity").asText())
                .isEqualTo(open.get("quantity").asText())
                .isEqualTo("0.005");
        JsonNode refused = LiveRig.json(hibachi.orders().get(0));
        assertThat(refused.get("side").asText()).isEqualTo("ASK");
        assertThat(decimal(refused, "quantity")).isEqualByComparingTo("0.005");

        List<OrderRecord> orders = rig.store.orders(pair.id());
        assertThat(orders)
                .extracting(OrderRecord::purpose)
                .containsExactly(OrderPurpose.OPEN, OrderPurpose.OPEN, OrderPurpose.ROLLBACK);
        OrderRecord hibachiOpen = rig.order(pair, HibachiExchange.VENUE, OrderPurpose.OPEN);
        assertThat(hibachiOpen.status()).isEqualTo(OrderStatus.REJECTED);
        assertThat(hibachiOpen.error()).contains("Insufficient margin");
        assertThat(refused.get("nonce").asText()).isEqualTo(hibachiOpen.clientId());
        OrderRecord rolled = rig.order(pair, BackpackExchange.VENUE, OrderPurpose.ROLLBACK);
        assertThat(rolled.status()).isEqualTo(OrderStatus.FILLED);
        assertThat(rolled.qty())
                .isEqualByComparingTo(rig.order(pair, BackpackExchange.VENUE, OrderPurpose.OPEN)
                        .filledQty());
        assertThat(rolled.clientId()).isEqualTo(rollback.get("clientId").asText());
        assertThat(rig.store.legs(pair.id()))
                .allSatisfy(l -> assertThat(l.size()).isZero());
        assertThat(rig.leg(pair, Side.LONG).realizedPnl()).isEqualByComparingTo("0.5895");
        assertThat(pair.fees()).isEqualByComparingTo("0.2402422");
        assertThat(pair.volume()).isEqualByComparingTo("600.6055");

        List<Store.AlertRow> alerts = rig.store.alerts(100);
        assertThat(alerts)
                .filteredOn(a -> a.kind().equals("ROLLED_BACK"))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.pairId()).isEqualTo(pair.id());
                    assertThat(a.level()).isEqualTo("WARN");
                });
        // the refused order was never looked up or confirmed: nothing was placed
        assertThat(hibachi.gets(HibachiVenue.ORDER)).isZero();
    }

    @Test
    void findsAHibachiShortWhoseReplyWasLostByItsNonceAndNeverResendsIt() {
        hibachi.losesTheReplyToTheOpeningOrder();

        rig.step();

        HedgePair pair = rig.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(hibachi.orders()).as("sent once, never resent").hasSize(1);
        assertThat(backpack.orders()).hasSize(1);
        OrderRecord shortOpen = rig.order(pair, HibachiExchange.VENUE, OrderPurpose.OPEN);
        List<LoggedRequest> lookups = hibachi.getsOf(HibachiVenue.ORDER);
        assertThat(lookups).singleElement().satisfies(r -> {
            assertThat(r.queryParameter("nonce").firstValue()).isEqualTo(shortOpen.clientId());
            assertThat(r.queryParameter("accountId").firstValue())
                    .isEqualTo(Long.toString(HibachiTestAccess.ACCOUNT_ID));
        });
        assertThat(LiveRig.json(hibachi.orders().get(0)).get("nonce").asText()).isEqualTo(shortOpen.clientId());
        assertThat(shortOpen.status()).isEqualTo(OrderStatus.FILLED);
        assertThat(shortOpen.venueOrderId()).isEqualTo(HibachiVenue.OPEN_ORDER_ID);
        assertThat(shortOpen.avgPrice()).isEqualByComparingTo("59995.5");
        assertThat(shortOpen.fee()).isEqualByComparingTo("0.134990");
        assertThat(rig.leg(pair, Side.SHORT).size())
                .isEqualByComparingTo(rig.leg(pair, Side.LONG).size());
        assertThat(rig.alertKinds()).doesNotContain("ROLLED_BACK", "UNHEDGED");
    }

    /** A decimal sent as a JSON string. */
    private static BigDecimal decimal(JsonNode body, String field) {
        assertThat(body.get(field).isTextual()).as("%s is a JSON string", field).isTrue();
        return new BigDecimal(body.get(field).asText());
    }
}
