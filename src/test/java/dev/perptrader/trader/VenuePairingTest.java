package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.sim.SimVenue;
import dev.perptrader.exchange.sim.SimWorld;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Any two of the registered venues make a pair: the whole bot on the sim venues of each pairing
 * (Backpack+Hibachi, Backpack+Hyperliquid, Hibachi+Hyperliquid, either way round) opens a hedge
 * of equal legs on the configured venues and closes it at expiry; with direction = funding the
 * long goes where funding is cheaper per hour, whatever interval each venue settles on
 * (Backpack and Hyperliquid hourly, Hibachi every 8 hours).
 */
final class VenuePairingTest {
    private static final Venue BACKPACK = Venue.parse("backpack");
    private static final Venue HIBACHI = Venue.parse("hibachi");
    private static final Venue HYPERLIQUID = Venue.parse("hyperliquid");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Harness.START);
    private SimWorld world;
    private Store store;
    private Orchestrator orchestrator;

    @AfterEach
    void close() {
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (world != null) {
            world.close();
        }
        if (store != null) {
            store.close();
        }
    }

    static Stream<Arguments> pairings() {
        return Stream.of(
                Arguments.of(BACKPACK, HIBACHI),
                Arguments.of(HIBACHI, BACKPACK),
                Arguments.of(BACKPACK, HYPERLIQUID),
                Arguments.of(HYPERLIQUID, BACKPACK),
                Arguments.of(HIBACHI, HYPERLIQUID),
                Arguments.of(HYPERLIQUID, HIBACHI));
    }

    private Map<Venue, SimVenue> start(Venue first, Venue second, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Harness.baseEnv(dir));
        env.put("APP__TRADING__VENUES", first.configName() + "," + second.configName());
        env.putAll(extra);
        AppConfig config = ConfigLoader.load(null, false, dir, env, Map.of());
        world = SimWorld.open(config.sim(), clock);
        Map<Venue, SimVenue> sims = new TreeMap<>();
        Map<Venue, PerpExchange> byVenue = new TreeMap<>();
        for (Venue v : List.of(first, second)) {
            sims.put(v, world.venue(v));
            byVenue.put(v, world.venue(v));
        }
        store = Store.open(config.database().path());
        orchestrator = new Orchestrator(config, store, new Venues(byVenue), clock, new Random(7));
        return sims;
    }

    private HedgePair onlyPair() {
        List<HedgePair> all = store.pairs(EnumSet.allOf(PairStatus.class));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @ParameterizedTest(name = "{0} long, {1} short")
    @MethodSource("pairings")
    void anyTwoVenuesOpenEqualLegsAndCloseAtExpiry(Venue first, Venue second) {
        start(first, second, Map.of());

        orchestrator.step();

        HedgePair pair = onlyPair();
        assertThat(pair.status()).isEqualTo(PairStatus.OPEN);
        assertThat(pair.longVenue()).isEqualTo(first);
        assertThat(pair.shortVenue()).isEqualTo(second);
        List<Leg> legs = store.legs(pair.id());
        assertThat(legs).extracting(Leg::venue).containsExactlyInAnyOrder(first, second);
        assertThat(legs.get(0).size())
                .isPositive()
                .isEqualByComparingTo(legs.get(1).size());
        assertThat(world.venue(first)
                        .account()
                        .signedPosition(legs.stream()
                                .filter(l -> l.venue() == first)
                                .findFirst()
                                .orElseThrow()
                                .symbol()))
                .isEqualByComparingTo(pair.quantity());

        clock.advance(Duration.between(clock.instant(), pair.closeAt()));
        orchestrator.step();

        assertThat(store.pair(pair.id()).orElseThrow().status()).isEqualTo(PairStatus.CLOSED);
        assertThat(store.legs(pair.id())).allSatisfy(l -> assertThat(l.size()).isZero());
        for (Venue v : List.of(first, second)) {
            assertThat(world.venue(v).account().positions()).as(v.configName()).isEmpty();
        }
    }

    @Test
    void fundingDirectionComparesHourlyRatesAcrossTheThreeConventions() {
        Map<String, String> funding = Map.of(
                "APP__TRADING__DIRECTION", "funding",
                "APP__SIM__MAX_FUNDING_RATE", "0.001",
                "APP__SIM__VENUES__HIBACHI__FUNDING_INTERVAL_HOURS", "8",
                "APP__SIM__VENUES__HYPERLIQUID__FUNDING_INTERVAL_HOURS", "1",
                "APP__SIM__VENUES__BACKPACK__FUNDING_INTERVAL_HOURS", "1");

        // Hibachi's 0.0008 per 8 h (0.0001 an hour) is cheaper to be long on than Hyperliquid's
        // 0.0002 an hour, though the raw number is larger
        Map<Venue, SimVenue> sims = start(HYPERLIQUID, HIBACHI, funding);
        sims.get(HYPERLIQUID).setFundingRate("BTC", new BigDecimal("0.0002"));
        sims.get(HIBACHI).setFundingRate("BTC/USDT-P", new BigDecimal("0.0008"));
        orchestrator.step();
        assertThat(onlyPair().longVenue()).isEqualTo(HIBACHI);
        assertThat(onlyPair().shortVenue()).isEqualTo(HYPERLIQUID);
        close();

        // both hourly: the lower rate takes the long
        dir = dir.resolve("second");
        sims = start(BACKPACK, HYPERLIQUID, funding);
        sims.get(BACKPACK).setFundingRate("BTC_USDC_PERP", new BigDecimal("0.0003"));
        sims.get(HYPERLIQUID).setFundingRate("BTC", new BigDecimal("-0.0001"));
        orchestrator.step();
        assertThat(onlyPair().longVenue()).isEqualTo(HYPERLIQUID);
    }
}
