package dev.perptrader.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.LegStatus;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Side;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.backpack.BackpackTestAccess;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.sim.SimVenue;
import dev.perptrader.exchange.sim.SimWorld;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One hedge in live mode with Backpack on WireMock as the LONG and the simulated venue in the
 * HIBACHI slot as the SHORT, driven step by step: a signed Bid opens the long, a monitor tick
 * reads Backpack once and stores a mark, and at expiry a reduce-only Ask closes it and the pair's
 * figures are stored. After every test, every signed request the stub received must verify with
 * the public key.
 */
@WireMockTest
final class BackpackLiveCycleTest {

    @TempDir
    Path dir;

    private LiveRig rig;
    private SimWorld world;
    private SimVenue sim;
    private BackpackVenue backpack;

    @BeforeEach
    void start(WireMockRuntimeInfo wm) {
        rig = new LiveRig(dir);
        backpack = new BackpackVenue(wm);
        backpack.install(rig.clock.instant());
        world = SimWorld.open(rig.config.sim(), rig.clock);
        sim = world.venue(HibachiExchange.VENUE);
        rig.start(BackpackTestAccess.exchange(wm, rig.clock), sim, List.of(backpack::clockIs));
    }

    @AfterEach
    void everySignedRequestVerifiesWithThePublicKey() {
        try {
            assertThat(backpack.assertAllSignedRequestsVerify()).isPositive();
        } finally {
            rig.close();
            world.close();
        }
    }

    @Test
    void opensTheLongWithOneSignedBidMarketOrderForThePairQuantity() {
        rig.step();

        HedgePair pair = rig.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(pair.mode()).isEqualTo(Mode.LIVE);
        assertThat(pair.longVenue()).isEqualTo(BackpackExchange.VENUE);
        assertThat(pair.shortVenue()).isEqualTo(HibachiExchange.VENUE);
        assertThat(pair.leverage()).isEqualByComparingTo("3");
        // 100 USD x 3 at the mean of 59980 and 60000, down to the 0.0001 step
        assertThat(pair.quantity()).isEqualByComparingTo("0.005");
        assertThat(pair.closeAt()).isEqualTo(pair.openedAt().plus(Duration.ofHours(1)));

        List<LoggedRequest> posts = backpack.orders();
        assertThat(posts).hasSize(1);
        JsonNode body = LiveRig.json(posts.get(0));
        OrderRecord open = rig.order(pair, BackpackExchange.VENUE, OrderPurpose.OPEN);
        assertThat(body.get("symbol").asText()).isEqualTo(BackpackVenue.SYMBOL);
        assertThat(body.get("side").asText()).isEqualTo("Bid");
        assertThat(body.get("orderType").asText()).isEqualTo("Market");
        assertThat(body.get("quantity").isTextual())
                .as("quantity is a JSON string")
                .isTrue();
        assertThat(body.get("quantity").asText())
                .isEqualTo(pair.quantity().stripTrailingZeros().toPlainString())
                .isEqualTo("0.005");
        assertThat(body.get("clientId").isIntegralNumber())
                .as("clientId is a JSON number")
                .isTrue();
        assertThat(body.get("clientId").asText()).isEqualTo(open.clientId());
        assertThat(body.has("reduceOnly"))
                .as("no reduceOnly on an opening order")
                .isFalse();

        assertThat(open.status()).isEqualTo(OrderStatus.FILLED);
        assertThat(open.venueOrderId()).isEqualTo(BackpackVenue.OPEN_ORDER_ID);
        Leg longLeg = rig.leg(pair, Side.LONG);
        assertThat(longLeg.size()).isEqualByComparingTo("0.005");
        assertThat(longLeg.entryPrice()).isEqualByComparingTo("60001.6"); // 300.008 / 0.005
        assertThat(longLeg.fees()).isEqualByComparingTo("0.1200032"); // 0.0720012 + 0.048002
        assertThat(rig.order(pair, HibachiExchange.VENUE, OrderPurpose.OPEN).status())
                .isEqualTo(OrderStatus.FILLED);
        assertThat(sim.account().positions()).singleElement().satisfies(p -> {
            assertThat(p.side()).isEqualTo(Side.SHORT);
            assertThat(p.qty()).isEqualByComparingTo(pair.quantity());
        });
        // the account's limit was 2: raised to 3 with a signed PATCH
        backpack.client()
                .verifyThat(
                        1,
                        patchRequestedFor(urlPathEqualTo(BackpackVenue.ACCOUNT))
                                .withRequestBody(equalToJson("{\"leverageLimit\":\"3\"}")));
    }

    @Test
    void aMonitorTickReadsBackpackOnceAndStoresAMarkOfBothLegs() {
        rig.step();
        HedgePair pair = rig.onlyPair();
        int markPrices = backpack.gets(BackpackVenue.MARK_PRICES);
        int collateral = backpack.gets(BackpackVenue.COLLATERAL);
        int positions = backpack.gets(BackpackVenue.POSITION);
        assertThat(rig.store.markCount(pair.id())).isZero();

        rig.advance(Duration.ofSeconds(60));
        rig.step();

        assertThat(backpack.gets(BackpackVenue.MARK_PRICES) - markPrices).isEqualTo(1);
        assertThat(backpack.gets(BackpackVenue.COLLATERAL) - collateral).isEqualTo(1);
        assertThat(backpack.gets(BackpackVenue.POSITION) - positions).isEqualTo(1);
        assertThat(backpack.orders()).hasSize(1);
        assertThat(rig.store.markCount(pair.id())).isEqualTo(1);
        Store.Mark mark = rig.store.latestMark(pair.id()).orElseThrow();
        assertThat(mark.at()).isEqualTo(rig.clock.instant());
        assertThat(mark.longMark()).isEqualByComparingTo("60120.5");
        assertThat(mark.longUpnl()).isEqualByComparingTo("0.5945"); // 0.005 x (60120.5 - 60001.6)
        Leg shortLeg = rig.leg(pair, Side.SHORT);
        assertThat(mark.shortMark())
                .isEqualByComparingTo(sim.quotes(List.of(shortLeg.symbol()))
                        .get(shortLeg.symbol())
                        .markPrice());
        assertThat(mark.shortUpnl())
                .isEqualByComparingTo(
                        shortLeg.entryPrice().subtract(mark.shortMark()).multiply(shortLeg.size()));
        assertThat(mark.longVenueRatio()).isGreaterThan(rig.config.trading().minCollateralRatio());
        Leg longLeg = rig.leg(pair, Side.LONG);
        assertThat(longLeg.markPrice()).isEqualByComparingTo("60120.5");
        assertThat(longLeg.unrealizedPnl()).isEqualByComparingTo("0.5945");
        assertThat(rig.alertKinds()).isEmpty();
        assertThat(rig.pair(pair.id()).status()).isEqualTo(PairStatus.OPEN);
    }

    @Test
    void closesAtExpiryWithAReduceOnlyAskAndStoresThePairFigures() {
        rig.step();
        HedgePair pair = rig.onlyPair();
        rig.advance(Duration.ofSeconds(60));
        rig.step();
        rig.advance(Duration.between(rig.clock.instant(), pair.closeAt()));
        rig.step();

        HedgePair closed = rig.pair(pair.id());
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        assertThat(closed.closeReason()).isEqualTo("EXPIRED");
        assertThat(closed.closedAt()).isEqualTo(pair.closeAt());

        List<LoggedRequest> posts = backpack.orders();
        assertThat(posts).hasSize(2);
        JsonNode opening = LiveRig.json(posts.get(0));
        JsonNode closing = LiveRig.json(posts.get(1));
        OrderRecord close = rig.order(pair, BackpackExchange.VENUE, OrderPurpose.CLOSE);
        assertThat(closing.get("symbol").asText()).isEqualTo(BackpackVenue.SYMBOL);
        assertThat(closing.get("side").asText()).isEqualTo("Ask");
        assertThat(closing.get("orderType").asText()).isEqualTo("Market");
        assertThat(closing.get("reduceOnly").isBoolean())
                .as("reduceOnly is a JSON boolean")
                .isTrue();
        assertThat(closing.get("reduceOnly").booleanValue()).isTrue();
        assertThat(closing.get("quantity").asText())
                .isEqualTo(opening.get("quantity").asText())
                .isEqualTo("0.005");
        assertThat(closing.get("clientId").asText())
                .isEqualTo(close.clientId())
                .isNotEqualTo(opening.get("clientId").asText());
        assertThat(close.status()).isEqualTo(OrderStatus.FILLED);
        assertThat(close.venueOrderId()).isEqualTo(BackpackVenue.CLOSE_ORDER_ID);

        assertThat(sim.account().positions()).as("the simulated short is flat").isEmpty();
        assertThat(rig.order(pair, HibachiExchange.VENUE, OrderPurpose.CLOSE).status())
                .isEqualTo(OrderStatus.FILLED);
        List<Leg> legs = rig.store.legs(pair.id());
        assertThat(legs).allSatisfy(l -> {
            assertThat(l.status()).isEqualTo(LegStatus.CLOSED);
            assertThat(l.size()).isZero();
        });

        Leg longLeg = rig.leg(pair, Side.LONG);
        assertThat(longLeg.exitPrice()).isEqualByComparingTo("60119.5"); // 300.5975 / 0.005
        assertThat(longLeg.realizedPnl()).isEqualByComparingTo("0.5895"); // 0.005 x (60119.5 - 60001.6)
        assertThat(longLeg.fees()).isEqualByComparingTo("0.2402422"); // 0.1200032 + 0.120239
        // the 16:00 payment falls in (15:30, 16:30]; the 15:00 one does not
        assertThat(longLeg.funding()).isEqualByComparingTo("-0.015006");
        Leg shortLeg = rig.leg(pair, Side.SHORT);
        assertThat(shortLeg.funding()).isEqualByComparingTo("0");

        List<OrderRecord> simOrders = rig.store.orders(pair.id()).stream()
                .filter(o -> o.venue() == HibachiExchange.VENUE)
                .toList();
        BigDecimal simVolume = simOrders.stream()
                .map(o -> o.filledQty().multiply(o.avgPrice()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal simFees = simOrders.stream().map(OrderRecord::fee).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(simFees).isPositive();
        assertThat(closed.fees()).isEqualByComparingTo(new BigDecimal("0.2402422").add(simFees));
        assertThat(closed.volume()).isEqualByComparingTo(new BigDecimal("600.6055").add(simVolume));
        assertThat(closed.points()).isEqualByComparingTo(closed.volume().movePointLeft(3));
        assertThat(closed.funding()).isEqualByComparingTo("-0.015006");
        assertThat(closed.realizedPnl())
                .isEqualByComparingTo(longLeg.realizedPnl().add(shortLeg.realizedPnl()));

        // the cooldown runs from the close: nothing new yet
        rig.advance(Duration.ofMinutes(1));
        rig.step();
        assertThat(backpack.orders()).hasSize(2);
        assertThat(rig.onlyPair().id()).isEqualTo(pair.id());
    }
}
