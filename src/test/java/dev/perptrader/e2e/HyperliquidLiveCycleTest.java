package dev.perptrader.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.LegStatus;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.backpack.BackpackTestAccess;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.exchange.hibachi.HibachiTestAccess;
import dev.perptrader.exchange.hyperliquid.HyperliquidTestAccess;
import dev.perptrader.testutil.StubServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hyperliquid paired with each of the other venues in live mode, every venue on its own WireMock
 * server: Backpack long with Hyperliquid short, and Hyperliquid long with Hibachi short. The full
 * cycle (open, a monitor tick, reduce-only close at expiry) and a rollback when Hyperliquid
 * refuses its leg. Every Hyperliquid action is answered only after the stub has recovered its
 * signer from the signature and found it to be the account's API wallet; after every test every
 * Backpack signature verifies with its public key and every Hibachi order carries its HMAC.
 */
final class HyperliquidLiveCycleTest {
    private static final Venue HYPERLIQUID = Venue.parse("hyperliquid");

    private final Extension signerCheck = HyperliquidTestAccess.signerCheck();

    @RegisterExtension
    final WireMockExtension backpackServer = StubServer.on();

    @RegisterExtension
    final WireMockExtension hibachiServer = StubServer.on();

    @RegisterExtension
    final WireMockExtension hyperliquidServer = StubServer.on(signerCheck);

    @TempDir
    Path dir;

    private LiveRig rig;
    private HyperliquidVenue hyperliquid;
    private BackpackVenue backpack;
    private HibachiVenue hibachi;

    /** Backpack long, Hyperliquid short. */
    private void backpackAndHyperliquid() {
        rig = new LiveRig(dir, List.of(BackpackExchange.VENUE, HYPERLIQUID));
        backpack = new BackpackVenue(backpackServer.getRuntimeInfo());
        backpack.install(rig.clock.instant());
        hyperliquid = new HyperliquidVenue(hyperliquidServer.getRuntimeInfo(), false);
        hyperliquid.install();
        PerpExchange bp = BackpackTestAccess.exchange(backpackServer.getRuntimeInfo(), rig.clock);
        PerpExchange hl = HyperliquidTestAccess.exchange(hyperliquidServer.getRuntimeInfo(), rig.clock);
        rig.start(List.of(bp, hl), List.of(backpack::clockIs));
    }

    /** Hyperliquid long, Hibachi short. */
    private void hyperliquidAndHibachi() {
        rig = new LiveRig(dir, List.of(HYPERLIQUID, HibachiExchange.VENUE));
        hibachi = new HibachiVenue(hibachiServer.getRuntimeInfo());
        hibachi.install(rig.clock.instant());
        hyperliquid = new HyperliquidVenue(hyperliquidServer.getRuntimeInfo(), true);
        hyperliquid.install();
        PerpExchange hb = HibachiTestAccess.hmacExchange(hibachiServer.getRuntimeInfo(), rig.clock);
        PerpExchange hl = HyperliquidTestAccess.exchange(hyperliquidServer.getRuntimeInfo(), rig.clock);
        rig.start(List.of(hl, hb), List.of(hibachi::clockIs));
    }

    @AfterEach
    void everySignatureVerifies() {
        try {
            List<LoggedRequest> actions = hyperliquid.actions();
            assertThat(actions).isNotEmpty();
            assertThat(HyperliquidTestAccess.recovered(signerCheck))
                    .as("every action's signer, recovered by the venue")
                    .hasSize(actions.size())
                    .containsOnly(HyperliquidTestAccess.AGENT);
            for (LoggedRequest r : hyperliquid.requests()) {
                JsonNode body = LiveRig.json(r);
                if (body.has("user")) {
                    assertThat(body.get("user").asText())
                            .as("reads are for the account, never the agent")
                            .isEqualTo(HyperliquidTestAccess.ACCOUNT);
                }
            }
            if (backpack != null) {
                assertThat(backpack.assertAllSignedRequestsVerify()).isPositive();
            }
            if (hibachi != null) {
                assertThat(hibachi.orders())
                        .isNotEmpty()
                        .allSatisfy(r -> assertThat(HibachiTestAccess.hmacVerifies(r.getBodyAsString()))
                                .isTrue());
            }
        } finally {
            rig.close();
        }
    }

    @Test
    void backpackLongAndHyperliquidShortOpenMarkAndCloseReduceOnly() {
        backpackAndHyperliquid();
        rig.step();

        HedgePair pair = rig.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(pair.longVenue()).isEqualTo(BackpackExchange.VENUE);
        assertThat(pair.shortVenue()).isEqualTo(HYPERLIQUID);
        assertThat(pair.quantity()).isEqualByComparingTo("0.005");
        JsonNode sell = order(hyperliquid.orders().get(0));
        assertThat(sell.path("b").asBoolean()).isFalse();
        assertThat(sell.path("r").asBoolean()).isFalse();
        assertThat(sell.path("s").asText()).isEqualTo("0.005");
        assertThat(sell.path("t").path("limit").path("tif").asText()).isEqualTo("Ioc");
        assertThat(sell.path("p").asText()).isEqualTo("59390"); // 59990 × 0.99
        assertThat(sell.path("c").asText())
                .isEqualTo(HyperliquidTestAccess.cloid(
                        rig.order(pair, HYPERLIQUID, OrderPurpose.OPEN).clientId()));
        Leg shortLeg = rig.leg(pair, Side.SHORT);
        assertThat(shortLeg.entryPrice()).isEqualByComparingTo(HyperliquidVenue.OPEN_PX);
        assertThat(shortLeg.fees()).isEqualByComparingTo("0.134978");
        assertThat(shortLeg.size())
                .isEqualByComparingTo(rig.leg(pair, Side.LONG).size());

        int states = hyperliquid.infos("clearinghouseState");
        rig.advance(Duration.ofSeconds(60));
        rig.step();
        assertThat(hyperliquid.infos("clearinghouseState") - states).isEqualTo(1);
        assertThat(rig.store.markCount(pair.id())).isEqualTo(1);
        assertThat(rig.store.latestMark(pair.id()).orElseThrow().shortMark()).isEqualByComparingTo("60115.0");
        assertThat(rig.alertKinds()).isEmpty();

        rig.advance(Duration.between(rig.clock.instant(), pair.closeAt()));
        rig.step();

        HedgePair closed = rig.pair(pair.id());
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        assertThat(hyperliquid.orders()).hasSize(2);
        JsonNode buy = order(hyperliquid.orders().get(1));
        assertThat(buy.path("b").asBoolean()).isTrue();
        assertThat(buy.path("r").asBoolean()).isTrue();
        assertThat(buy.path("s").asText()).isEqualTo("0.005");
        assertThat(rig.store.orders(pair.id()))
                .allSatisfy(o -> assertThat(o.status()).isEqualTo(OrderStatus.FILLED));
        assertThat(rig.store.legs(pair.id())).allSatisfy(l -> {
            assertThat(l.status()).isEqualTo(LegStatus.CLOSED);
            assertThat(l.size()).isZero();
        });
        shortLeg = rig.leg(pair, Side.SHORT);
        assertThat(shortLeg.exitPrice()).isEqualByComparingTo(HyperliquidVenue.CLOSE_PX);
        assertThat(shortLeg.realizedPnl()).isEqualByComparingTo("-0.62"); // -0.005 × (60114 − 59990)
        // hourly funding in (15:30, 16:30]: the 16:00 payment only
        assertThat(shortLeg.funding()).isEqualByComparingTo("0.00375");
        assertThat(shortLeg.fees()).isEqualByComparingTo("0.270235");
        assertThat(rig.alertKinds()).isEmpty();
    }

    @Test
    void hyperliquidLongAndHibachiShortOpenMarkAndCloseReduceOnly() {
        hyperliquidAndHibachi();
        rig.step();

        HedgePair pair = rig.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(pair.longVenue()).isEqualTo(HYPERLIQUID);
        assertThat(pair.shortVenue()).isEqualTo(HibachiExchange.VENUE);
        JsonNode buy = order(hyperliquid.orders().get(0));
        assertThat(buy.path("b").asBoolean()).isTrue();
        assertThat(buy.path("r").asBoolean()).isFalse();
        assertThat(buy.path("p").asText()).isEqualTo("60590"); // 59990 × 1.01
        assertThat(rig.leg(pair, Side.LONG).size())
                .isEqualByComparingTo(rig.leg(pair, Side.SHORT).size());

        rig.advance(Duration.ofSeconds(60));
        rig.step();
        assertThat(rig.store.markCount(pair.id())).isEqualTo(1);

        rig.advance(Duration.between(rig.clock.instant(), pair.closeAt()));
        rig.step();

        HedgePair closed = rig.pair(pair.id());
        assertThat(closed.status()).isEqualTo(PairStatus.CLOSED);
        JsonNode sell = order(hyperliquid.orders().get(1));
        assertThat(sell.path("b").asBoolean()).isFalse();
        assertThat(sell.path("r").asBoolean()).isTrue();
        assertThat(hibachi.orders()).hasSize(2);
        Leg longLeg = rig.leg(pair, Side.LONG);
        assertThat(longLeg.realizedPnl()).isEqualByComparingTo("0.62"); // 0.005 × (60114 − 59990)
        assertThat(longLeg.funding()).isEqualByComparingTo("-0.00375");
        assertThat(rig.alertKinds()).isEmpty();
    }

    @Test
    void whenHyperliquidRefusesItsLegTheBackpackLegIsRolledBack() {
        backpackAndHyperliquid();
        hyperliquid.refusesOrders();

        rig.step();

        HedgePair pair = rig.onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.ROLLED_BACK);
        assertThat(pair.closeReason()).contains("Insufficient margin");
        assertThat(hyperliquid.orders()).hasSize(1);
        OrderRecord refused = rig.order(pair, HYPERLIQUID, OrderPurpose.OPEN);
        assertThat(refused.status()).isEqualTo(OrderStatus.REJECTED);
        assertThat(rig.order(pair, BackpackExchange.VENUE, OrderPurpose.ROLLBACK)
                        .status())
                .isEqualTo(OrderStatus.FILLED);
        assertThat(rig.store.legs(pair.id()))
                .allSatisfy(l -> assertThat(l.size()).isZero());
    }

    /** The one order of an /exchange order action. */
    private static JsonNode order(LoggedRequest r) {
        return LiveRig.json(r).path("action").path("orders").get(0);
    }
}
