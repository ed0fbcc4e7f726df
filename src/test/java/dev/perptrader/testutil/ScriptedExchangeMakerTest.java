package dev.perptrader.testutil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.LimitOrderRequest;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.sim.SimVenue;
import dev.perptrader.exchange.sim.SimWorld;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ScriptedExchange's maker hooks: failing a limit order, a cancel or a status read, before or after the venue, and holding one. */
final class ScriptedExchangeMakerTest {
    private static final String BTC = "BTC_USDC_PERP";

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:30:00Z");
    private SimWorld world;
    private SimVenue sim;
    private ScriptedExchange venue;

    @BeforeEach
    void open() {
        AppConfig.Sim params = new AppConfig.Sim(
                42,
                dir.resolve("sim.db"),
                new BigDecimal("10000"),
                new BigDecimal("0.0005"),
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                Duration.ofHours(1),
                new BigDecimal("0.0001"),
                new BigDecimal("0.05"),
                new BigDecimal("0.01"));
        world = SimWorld.open(params, clock);
        sim = world.venue(BackpackExchange.VENUE);
        venue = new ScriptedExchange(sim);
    }

    @AfterEach
    void close() {
        world.close();
    }

    private LimitOrderRequest bid() {
        BigDecimal below = venue.topOfBook(BTC).bid().subtract(BigDecimal.TEN);
        return new LimitOrderRequest(
                BTC, OrderSide.BUY, new BigDecimal("0.01"), below, true, false, venue.newClientId());
    }

    private static ExchangeError errorOf(Runnable call) {
        Throwable t = catchThrowable(call::run);
        assertThat(t).isInstanceOf(ExchangeException.class);
        return ((ExchangeException) t).error();
    }

    @Test
    void aLimitOrderFailedBeforeTheVenueNeverRests() {
        LimitOrderRequest order = bid();
        venue.failNextPlaceLimit(ExchangeError.VENUE_DOWN);

        assertThat(errorOf(() -> venue.placeLimitOrder(order))).isEqualTo(ExchangeError.VENUE_DOWN);

        assertThat(venue.restingOrder(BTC, order.clientId())).isEmpty();
        assertThat(venue.limitOrders()).containsExactly(order);
    }

    @Test
    void aLimitOrderFailedAfterTheVenueRestsAlthoughTheCallerHeardUnknownOutcome() {
        LimitOrderRequest order = bid();
        venue.failNextPlaceLimitAfterVenue(ExchangeError.UNKNOWN_OUTCOME);

        assertThat(errorOf(() -> venue.placeLimitOrder(order))).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);

        assertThat(venue.restingOrder(BTC, order.clientId()).orElseThrow().status())
                .isEqualTo(RestingOrder.Status.OPEN);
    }

    @Test
    void aCancelFailedBeforeTheVenueLeavesTheOrderAndOneFailedAfterCancelsIt() {
        LimitOrderRequest order = bid();
        venue.placeLimitOrder(order);

        venue.failNextCancel(ExchangeError.VENUE_DOWN);
        assertThat(errorOf(() -> venue.cancelOrder(BTC, order.clientId()))).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(venue.restingOrder(BTC, order.clientId()).orElseThrow().status())
                .isEqualTo(RestingOrder.Status.OPEN);

        venue.failNextCancelAfterVenue(ExchangeError.UNKNOWN_OUTCOME);
        assertThat(errorOf(() -> venue.cancelOrder(BTC, order.clientId()))).isEqualTo(ExchangeError.UNKNOWN_OUTCOME);
        assertThat(venue.restingOrder(BTC, order.clientId()).orElseThrow().status())
                .isEqualTo(RestingOrder.Status.CANCELLED);
        assertThat(venue.cancelCalls()).isEqualTo(2);
    }

    @Test
    void aHeldCancelLetsAFillInBeforeItReachesTheVenue() throws Exception {
        LimitOrderRequest order = bid();
        venue.placeLimitOrder(order);
        CountDownLatch release = new CountDownLatch(1);
        venue.holdNextCancel(release);

        CompletableFuture<Optional<RestingOrder>> cancel =
                CompletableFuture.supplyAsync(() -> venue.cancelOrder(BTC, order.clientId()));
        Deadline.await("cancel held", venue::holding);
        sim.fillResting(order.clientId(), new BigDecimal("0.004"));
        release.countDown();

        RestingOrder after = cancel.get().orElseThrow();
        assertThat(after.status()).isEqualTo(RestingOrder.Status.CANCELLED);
        assertThat(after.filledQty()).isEqualByComparingTo("0.004");
    }

    @Test
    void aStatusReadFailsOnceThenAnswers() {
        LimitOrderRequest order = bid();
        venue.placeLimitOrder(order);
        venue.failNextStatus(ExchangeError.VENUE_DOWN);

        assertThat(errorOf(() -> venue.restingOrder(BTC, order.clientId()))).isEqualTo(ExchangeError.VENUE_DOWN);
        assertThat(venue.restingOrder(BTC, order.clientId())).isPresent();
        assertThat(venue.statusCalls()).isEqualTo(2);
    }
}
