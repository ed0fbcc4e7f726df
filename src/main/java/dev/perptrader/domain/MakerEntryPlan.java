package dev.perptrader.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a maker-first entry does next: a pure function of what it knows now. The maker leg rests a
 * post-only order at the best price on its passive side; every fill of it is hedged at once with
 * a taker order of exactly that quantity on the other venue (a fill below the other venue's
 * minimum, or off its step, waits until the fills not yet hedged reach it); the resting order is
 * moved when the book moves away from it; at the timeout what rests is cancelled, and what is
 * left is finished with taker orders on both venues, or, if nothing filled, the attempt ends with
 * nothing open.
 */
public final class MakerEntryPlan {
    private MakerEntryPlan() {}

    /**
     * What the entry knows.
     *
     * @param target        the pair's quantity
     * @param makerFilled   filled on the maker venue so far, over all its resting orders
     * @param hedged        filled on the hedge venue so far
     * @param resting       the order resting now (as last read), or null when none rests
     * @param book          the maker venue's book as last read
     * @param side          the maker leg's order side
     * @param makerRules    the maker venue's market
     * @param hedgeRules    the hedge venue's market
     * @param requoteTicks  how far (in ticks) the book may move away before the order follows
     * @param timeout       how long the entry may rest orders
     */
    public record Inputs(
            BigDecimal target,
            BigDecimal makerFilled,
            BigDecimal hedged,
            Resting resting,
            Book book,
            OrderSide side,
            MarketRules makerRules,
            MarketRules hedgeRules,
            int requoteTicks,
            Duration timeout,
            Instant startedAt,
            Instant now) {
        public Inputs {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(makerFilled, "makerFilled");
            Objects.requireNonNull(hedged, "hedged");
            Objects.requireNonNull(side, "side");
        }

        boolean timedOut() {
            return !now.isBefore(startedAt.plus(timeout));
        }
    }

    /** The resting order: its price and whether it is still on the book. */
    public record Resting(BigDecimal price, boolean open) {}

    /** The best bid and ask. */
    public record Book(BigDecimal bid, BigDecimal ask) {}

    public sealed interface Step permits Hedge, Place, Cancel, FinishWithTakers, Abandon, Done, Wait {}

    /** Send a taker order of {@code qty} on the hedge venue now. */
    public record Hedge(BigDecimal qty) implements Step {}

    /** Rest a post-only order of {@code qty} at {@code price}. */
    public record Place(BigDecimal qty, BigDecimal price) implements Step {}

    /** Cancel the resting order ({@code why}: the book moved, or the timeout). */
    public record Cancel(String why) implements Step {}

    /** The timeout passed with some filled: take {@code qty} more on both venues. */
    public record FinishWithTakers(BigDecimal qty) implements Step {}

    /** The timeout passed with nothing filled: end with nothing open. */
    public record Abandon() implements Step {}

    /** All of the target filled and hedged, or nothing more to do: settle the pair. */
    public record Done() implements Step {}

    /** Poll the resting order again. */
    public record Wait() implements Step {}

    public static Step next(Inputs in) {
        BigDecimal unhedged = in.makerFilled().subtract(in.hedged());
        BigDecimal price = in.book() != null ? mid(in.book()) : null;
        if (unhedged.signum() > 0) {
            BigDecimal qty = in.hedgeRules().floorQty(unhedged);
            if (qty.signum() > 0 && (price == null || in.hedgeRules().meetsMinimums(qty, price))) {
                return new Hedge(qty);
            }
            // below the hedge venue's minimum or step: it waits for more fills; if none can come,
            // the pair's settling trims the maker leg to what was hedged
        }
        if (in.resting() != null && in.resting().open()) {
            if (in.timedOut()) {
                return new Cancel("rested " + in.timeout().toSeconds() + " s (trading.maker_timeout_seconds)");
            }
            if (in.book() != null
                    && movedAway(in.side(), in.resting().price(), in.book(), in.makerRules(), in.requoteTicks())) {
                return new Cancel("the book moved more than " + in.requoteTicks() + " ticks away");
            }
            return new Wait();
        }
        BigDecimal left = in.target().subtract(in.makerFilled());
        if (left.signum() <= 0) {
            return new Done();
        }
        if (in.timedOut()) {
            if (in.makerFilled().signum() == 0 && in.hedged().signum() == 0) {
                return new Abandon();
            }
            BigDecimal qty = Quantities.commonQuantity(left, in.makerRules(), in.hedgeRules());
            if (price == null
                    || !in.makerRules().meetsMinimums(qty, price)
                    || !in.hedgeRules().meetsMinimums(qty, price)) {
                return new Done();
            }
            return new FinishWithTakers(qty);
        }
        BigDecimal qty = in.makerRules().floorQty(left);
        if (in.book() == null || qty.signum() == 0) {
            return new Done();
        }
        return new Place(qty, passivePrice(in.side(), in.book(), in.makerRules()));
    }

    /** The best price on the passive side: the bid to buy, the ask to sell, on the market's tick. */
    public static BigDecimal passivePrice(OrderSide side, Book book, MarketRules rules) {
        BigDecimal raw = side == OrderSide.BUY ? book.bid() : book.ask();
        RoundingMode mode = side == OrderSide.BUY ? RoundingMode.FLOOR : RoundingMode.CEILING;
        // on the tick, at the tick's scale (never in exponent form)
        return raw.divide(rules.tickSize(), 0, mode).multiply(rules.tickSize());
    }

    /**
     * Whether the passive side moved away from a resting order by more than {@code ticks}: a buy
     * whose bid rose above it, a sell whose ask fell below it.
     */
    public static boolean movedAway(OrderSide side, BigDecimal price, Book book, MarketRules rules, int ticks) {
        BigDecimal away = side == OrderSide.BUY ? book.bid().subtract(price) : price.subtract(book.ask());
        return away.compareTo(rules.tickSize().multiply(BigDecimal.valueOf(ticks))) > 0;
    }

    private static BigDecimal mid(Book b) {
        return b.bid().add(b.ask()).divide(BigDecimal.valueOf(2), Money.MC);
    }
}
