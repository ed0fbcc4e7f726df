package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the trader reports to its {@link Telemetry}: completed ticks, order round trips, venue errors. */
final class TelemetryTest {
    @TempDir
    Path dir;

    private Harness h;
    private final Recorder seen = new Recorder();

    /** Everything reported, in order. */
    private static final class Recorder implements Telemetry {
        final List<Tick> ticks = new CopyOnWriteArrayList<>();
        final List<String> orders = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();

        @Override
        public void tickCompleted(Tick tick) {
            ticks.add(tick);
        }

        @Override
        public void orderRoundTrip(Venue venue, OrderPurpose purpose, Duration took) {
            orders.add(purpose + " " + venue.configName() + (took.isZero() ? "" : " took " + took));
        }

        @Override
        public void venueError(Venue venue, ExchangeError kind) {
            errors.add(kind + " " + venue.configName());
        }
    }

    @BeforeEach
    void botReportingToARecorder() {
        h = new Harness(dir);
        h.orchestrator.close();
        Map<Venue, PerpExchange> byVenue = new TreeMap<>();
        byVenue.put(BackpackExchange.VENUE, h.backpack);
        byVenue.put(HibachiExchange.VENUE, h.hibachi);
        h.orchestrator = new Orchestrator(h.config, h.store, new Venues(byVenue), h.clock, new Random(7), seen);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void everyMonitorTickReportsWhenItCompletedWithEachVenuesRatioAndUnrealizedPnl() {
        h.orchestrator.step(); // the first tick sees no pair; then the pair opens
        assertThat(seen.ticks).hasSize(1);
        Telemetry.Tick first = seen.ticks.get(0);
        assertThat(first.at()).isEqualTo(Harness.START);
        assertThat(first.took()).isZero();
        assertThat(first.collateralRatios()).as("no margin in use yet").isEmpty();
        assertThat(first.unrealizedPnl()).containsOnlyKeys(BackpackExchange.VENUE, HibachiExchange.VENUE);
        assertThat(first.unrealizedPnl().values()).allMatch(v -> v.signum() == 0);

        h.advance(Duration.ofSeconds(30));
        h.orchestrator.step();
        assertThat(seen.ticks).as("not due before monitor.interval_seconds").hasSize(1);

        h.backpack.bendMarks(m -> m.multiply(new BigDecimal("1.01")));
        h.hibachi.bendMarks(m -> m.multiply(new BigDecimal("1.01")));
        h.advance(Duration.ofSeconds(30));
        h.orchestrator.step();
        assertThat(seen.ticks).hasSize(2);
        Telemetry.Tick second = seen.ticks.get(1);
        assertThat(second.at()).isEqualTo(Harness.START.plusSeconds(60));
        assertThat(second.collateralRatios()).containsOnlyKeys(BackpackExchange.VENUE, HibachiExchange.VENUE);
        HedgePair pair = h.onlyPair();
        for (Leg leg : h.legs(pair)) {
            assertThat(leg.unrealizedPnl().signum()).as(leg.side().name()).isNotZero();
            assertThat(second.unrealizedPnl().get(leg.venue())).isEqualByComparingTo(leg.unrealizedPnl());
        }
    }

    @Test
    void aVenueThatCannotBeReadIsAVenueErrorAndIsLeftOutOfTheTick() {
        h.orchestrator.step();
        h.backpack.down(true);
        h.advance(Duration.ofSeconds(60));
        h.orchestrator.step();

        assertThat(seen.errors).contains("VENUE_DOWN backpack");
        Telemetry.Tick tick = seen.ticks.get(seen.ticks.size() - 1);
        assertThat(tick.unrealizedPnl()).containsOnlyKeys(HibachiExchange.VENUE);
        assertThat(tick.collateralRatios()).doesNotContainKey(BackpackExchange.VENUE);
    }

    @Test
    void everyOrderReportsItsRoundTripByVenueAndPurposeAndARefusalIsAVenueError() {
        h.orchestrator.step();
        assertThat(seen.orders).containsExactlyInAnyOrder("OPEN backpack", "OPEN hibachi");
        h.advance(Duration.ofMinutes(61));
        h.orchestrator.step();
        assertThat(h.onlyPair().status()).isEqualTo(PairStatus.CLOSED);
        assertThat(seen.orders)
                .containsExactlyInAnyOrder("OPEN backpack", "OPEN hibachi", "CLOSE backpack", "CLOSE hibachi");
        assertThat(seen.errors).isEmpty();

        seen.orders.clear();
        h.hibachi.failOrder(1, ExchangeError.INSUFFICIENT_MARGIN);
        h.advance(Duration.ofMinutes(10));
        h.orchestrator.step();
        assertThat(seen.errors).containsExactly("INSUFFICIENT_MARGIN hibachi");
        assertThat(seen.orders).containsExactlyInAnyOrder("OPEN backpack", "OPEN hibachi", "ROLLBACK backpack");
    }
}
