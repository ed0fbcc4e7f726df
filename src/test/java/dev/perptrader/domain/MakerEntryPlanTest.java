package dev.perptrader.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.MakerEntryPlan.Book;
import dev.perptrader.domain.MakerEntryPlan.Inputs;
import dev.perptrader.domain.MakerEntryPlan.Resting;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class MakerEntryPlanTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final MarketRules MAKER = new MarketRules(
            "BTC",
            "BTC_USDC_PERP",
            new BigDecimal("0.1"),
            new BigDecimal("0.00001"),
            new BigDecimal("0.00001"),
            BigDecimal.ZERO,
            true);
    private static final MarketRules HEDGE = new MarketRules(
            "BTC",
            "BTC/USDT-P",
            BigDecimal.ONE,
            new BigDecimal("0.0001"),
            new BigDecimal("0.0001"),
            BigDecimal.TEN,
            true);
    private static final Book BOOK = new Book(new BigDecimal("60000.04"), new BigDecimal("60010.06"));

    private static Inputs in(String filled, String hedged, Resting resting, Book book, OrderSide side, long secondsIn) {
        return new Inputs(
                new BigDecimal("0.0010"),
                new BigDecimal(filled),
                new BigDecimal(hedged),
                resting,
                book,
                side,
                MAKER,
                HEDGE,
                2,
                Duration.ofSeconds(30),
                T0,
                T0.plusSeconds(secondsIn));
    }

    private static Resting open(String price) {
        return new Resting(new BigDecimal(price), true);
    }

    @Test
    void restsABuyAtTheBidAndASellAtTheAskOnTheTick() {
        assertThat(MakerEntryPlan.next(in("0", "0", null, BOOK, OrderSide.BUY, 0)))
                .isEqualTo(new MakerEntryPlan.Place(new BigDecimal("0.001"), new BigDecimal("60000.0")));
        assertThat(MakerEntryPlan.next(in("0", "0", null, BOOK, OrderSide.SELL, 0)))
                .isEqualTo(new MakerEntryPlan.Place(new BigDecimal("0.001"), new BigDecimal("60010.1")));
    }

    @Test
    void aFillIsHedgedWhileTheOrderStillRests() {
        assertThat(MakerEntryPlan.next(in("0.0004", "0", open("60000"), BOOK, OrderSide.BUY, 5)))
                .isEqualTo(new MakerEntryPlan.Hedge(new BigDecimal("0.0004")));
    }

    @Test
    void aFillBelowTheHedgeVenuesStepOrMinimumWaitsForMore() {
        // 0.00005 is below Hibachi's step 0.0001; 0.0001 is $6 there, below its $10 minimum
        assertThat(MakerEntryPlan.next(in("0.00005", "0", open("60000"), BOOK, OrderSide.BUY, 5)))
                .isInstanceOf(MakerEntryPlan.Wait.class);
        assertThat(MakerEntryPlan.next(in("0.00015", "0", open("60000"), BOOK, OrderSide.BUY, 5)))
                .isInstanceOf(MakerEntryPlan.Wait.class);
        assertThat(MakerEntryPlan.next(in("0.00025", "0", open("60000"), BOOK, OrderSide.BUY, 5)))
                .isEqualTo(new MakerEntryPlan.Hedge(new BigDecimal("0.0002")));
    }

    @Test
    void theOrderFollowsABookThatMovedAwayByMoreThanTheRequoteTicks() {
        Book up2 = new Book(new BigDecimal("60000.2"), new BigDecimal("60010"));
        Book up3 = new Book(new BigDecimal("60000.3"), new BigDecimal("60010"));
        assertThat(MakerEntryPlan.next(in("0", "0", open("60000"), up2, OrderSide.BUY, 5)))
                .isInstanceOf(MakerEntryPlan.Wait.class);
        assertThat(MakerEntryPlan.next(in("0", "0", open("60000"), up3, OrderSide.BUY, 5)))
                .isInstanceOf(MakerEntryPlan.Cancel.class);
        // a book moving towards the order is no reason to move it
        Book down = new Book(new BigDecimal("59990"), new BigDecimal("60000.1"));
        assertThat(MakerEntryPlan.next(in("0", "0", open("60000"), down, OrderSide.BUY, 5)))
                .isInstanceOf(MakerEntryPlan.Wait.class);
    }

    @Test
    void atTheTimeoutWhatRestsIsCancelledThenTheRestTakenOrTheAttemptAbandoned() {
        assertThat(MakerEntryPlan.next(in("0.0003", "0.0003", open("60000"), BOOK, OrderSide.BUY, 30)))
                .isInstanceOf(MakerEntryPlan.Cancel.class);
        Resting ended = new Resting(new BigDecimal("60000"), false);
        assertThat(MakerEntryPlan.next(in("0.0003", "0.0003", ended, BOOK, OrderSide.BUY, 31)))
                .isEqualTo(new MakerEntryPlan.FinishWithTakers(new BigDecimal("0.0007")));
        assertThat(MakerEntryPlan.next(in("0", "0", ended, BOOK, OrderSide.BUY, 31)))
                .isInstanceOf(MakerEntryPlan.Abandon.class);
    }

    @Test
    void aCancelledOrderWithTimeLeftIsPlacedAgainForWhatIsLeft() {
        Resting ended = new Resting(new BigDecimal("60000"), false);
        assertThat(MakerEntryPlan.next(in("0.0003", "0.0003", ended, BOOK, OrderSide.BUY, 10)))
                .isEqualTo(new MakerEntryPlan.Place(new BigDecimal("0.0007"), new BigDecimal("60000.0")));
    }

    @Test
    void allFilledAndHedgedIsDone() {
        Resting filled = new Resting(new BigDecimal("60000"), false);
        assertThat(MakerEntryPlan.next(in("0.001", "0.001", filled, BOOK, OrderSide.BUY, 10)))
                .isInstanceOf(MakerEntryPlan.Done.class);
    }
}
