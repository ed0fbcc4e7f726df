package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static dev.perptrader.exchange.sim.SimOrders.sell;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.Side;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SimConcurrencyTest {
    private static final int ROUNDS = 50;

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:00:00Z");

    @Test
    void twoThreadsTradeBothVenuesAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (SimWorld world = SimWorld.open(new SimParams(dir).build(), clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            bp.ensureLeverage(BP_BTC, dec("5"));
            hb.ensureLeverage(HB_BTC, dec("5"));
            CyclicBarrier barrier = new CyclicBarrier(2);

            Callable<List<Fill>> bpFirst = () -> trade(barrier, bp, hb);
            Callable<List<Fill>> hbFirst = () -> trade(barrier, hb, bp);
            Future<List<Fill>> a = pool.submit(bpFirst);
            Future<List<Fill>> b = pool.submit(hbFirst);
            List<Fill> fills = new ArrayList<>(a.get(60, TimeUnit.SECONDS));
            fills.addAll(b.get(60, TimeUnit.SECONDS));

            Set<String> ids = new HashSet<>();
            fills.forEach(f -> ids.add(f.clientId()));
            assertThat(ids).hasSize(4 * ROUNDS);
            assertThat(bp.orderCount()).isEqualTo(2 * ROUNDS);
            assertThat(hb.orderCount()).isEqualTo(2 * ROUNDS);
            AccountState.Position longLeg = bp.account().position(BP_BTC).orElseThrow();
            AccountState.Position shortLeg = hb.account().position(HB_BTC).orElseThrow();
            assertThat(longLeg.side()).isEqualTo(Side.LONG);
            assertThat(longLeg.qty()).isEqualByComparingTo("0.2");
            assertThat(shortLeg.side()).isEqualTo(Side.SHORT);
            assertThat(shortLeg.qty()).isEqualByComparingTo("0.2");
            // 100 fees of 0.002 × 60030 × 0.0005 on top of 100 × 0.002 × 30 slippage
            assertThat(bp.account().equity()).isEqualByComparingTo("9987.9970");
            assertThat(fills)
                    .allSatisfy(f -> assertThat(bp.lookupOrder(f.symbol(), f.clientId())
                                    .or(() -> hb.lookupOrder(f.symbol(), f.clientId())))
                            .contains(f));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Each round: wait for the other thread, then one order on each venue, in this thread's order. */
    private List<Fill> trade(CyclicBarrier barrier, SimVenue first, SimVenue second) throws Exception {
        List<Fill> fills = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            barrier.await(30, TimeUnit.SECONDS);
            fills.add(place(first));
            fills.add(place(second));
            first.account();
            if (first.venue() == BackpackExchange.VENUE && i % 10 == 0) {
                clock.advance(Duration.ofMinutes(1));
            }
        }
        return fills;
    }

    private static Fill place(SimVenue venue) {
        return venue.venue() == BackpackExchange.VENUE
                ? venue.placeMarketOrder(buy(venue, BP_BTC, "0.002"))
                : venue.placeMarketOrder(sell(venue, HB_BTC, "0.002"));
    }
}
