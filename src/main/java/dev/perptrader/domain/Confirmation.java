package dev.perptrader.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Whether a leg whose venue position disagreed with the book is really gone or resized: a pure
 * function of the leg, the reads of the venue's position taken since the disagreement was first
 * seen, and the venue's own fill history. One surprising reply is a question, not a fact: the
 * bot acts only on a {@link Confirmed} verdict.
 */
public final class Confirmation {
    private static final MathContext MC = MathContext.DECIMAL64;

    private Confirmation() {}

    /** What to do about a suspect leg now. */
    public sealed interface Verdict permits Cleared, Wait, Confirmed, Unexplained {}

    /** The latest read shows the leg as booked: it was a false alarm. */
    public record Cleared() implements Verdict {}

    /** Not enough reads, or not long enough, to decide. */
    public record Wait(String why) implements Verdict {}

    /**
     * The venue holds {@code venueHeld} of the leg (zero when gone) and its history explains the
     * rest: closed at {@code price} (null when no fill is known: use the last mark) with
     * {@code feeUsd}, by the venue itself when {@code liquidation}.
     */
    public record Confirmed(BigDecimal venueHeld, BigDecimal price, BigDecimal feeUsd, boolean liquidation, String how)
            implements Verdict {}

    /** Every read agrees on the difference, but the venue's history shows nothing that caused it. */
    public record Unexplained(String why) implements Verdict {}

    /** How a venue's signed position on a leg's market compares with the leg. */
    public enum Reading {
        /** The venue holds at least the leg, on the leg's side (any excess is not this leg's). */
        AGREES,
        /** Nothing on the venue. */
        EMPTY,
        /** The venue holds the other side. */
        FLIPPED,
        /** The leg's side, but less than the leg. */
        SMALLER;

        public static Reading of(Leg leg, BigDecimal venueSigned) {
            BigDecimal held = venueSigned.multiply(leg.side().sign());
            if (venueSigned.signum() == 0) {
                return leg.size().signum() == 0 ? AGREES : EMPTY;
            }
            if (held.signum() < 0) {
                return FLIPPED;
            }
            return held.compareTo(leg.size()) >= 0 ? AGREES : SMALLER;
        }
    }

    /**
     * Whether the confirming reads so far settle the question without the venue's history: a
     * {@link Cleared} verdict when the latest read shows the leg as booked, a {@link Wait} while
     * there are fewer than {@code requiredReads} reads or {@code window} has not passed since the
     * suspicion began; empty when every read disagreed and it is time to {@link #judge}.
     *
     * @param reads the venue's signed position on the leg's market, one per confirming read, oldest
     *              first
     */
    public static Optional<Verdict> progress(
            Leg leg, List<BigDecimal> reads, int requiredReads, Instant suspectSince, Instant now, Duration window) {
        if (!reads.isEmpty() && Reading.of(leg, reads.get(reads.size() - 1)) == Reading.AGREES) {
            return Optional.of(new Cleared());
        }
        if (reads.size() < requiredReads) {
            return Optional.of(new Wait(reads.size() + " of " + requiredReads + " confirming reads"));
        }
        if (now.isBefore(suspectSince.plus(window))) {
            return Optional.of(new Wait("confirming until " + suspectSince.plus(window)));
        }
        return Optional.empty();
    }

    /**
     * Judges a leg every confirming read disagreed with: {@link Confirmed} when the venue's history
     * shows fills the bot did not send that closed what is missing (or when the venue publishes no
     * history, on the reads alone), {@link Unexplained} otherwise.
     *
     * @param reads    the confirming reads, oldest first (the latest is what the venue holds)
     * @param history  the venue's fills on the market since the leg opened, or empty when the venue
     *                 publishes none
     * @param recorded whether a fill is one the book already counts (the bot's own order)
     */
    public static Verdict judge(
            Leg leg, List<BigDecimal> reads, Optional<List<VenueFill>> history, Predicate<VenueFill> recorded) {
        BigDecimal latest = reads.get(reads.size() - 1);
        BigDecimal venueHeld = latest.multiply(leg.side().sign()).max(BigDecimal.ZERO);
        BigDecimal gone = leg.size().subtract(venueHeld);
        String seen =
                "the venue read " + latest.stripTrailingZeros().toPlainString() + " in " + reads.size() + " reads";
        if (history.isEmpty()) {
            return new Confirmed(
                    venueHeld,
                    null,
                    BigDecimal.ZERO,
                    false,
                    seen + "; the venue publishes no fill history to check against");
        }
        OrderSide closing = leg.side().closing();
        List<VenueFill> explaining = new ArrayList<>();
        for (VenueFill f : history.get()) {
            if (f.side() == closing && f.symbol().equals(leg.symbol()) && !recorded.test(f)) {
                explaining.add(f);
            }
        }
        BigDecimal explained = explaining.stream().map(VenueFill::qty).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (explained.compareTo(gone) < 0) {
            return new Unexplained(seen + ", but its fill history shows "
                    + explained.stripTrailingZeros().toPlainString() + " closed by fills the bot did not send, not the "
                    + gone.stripTrailingZeros().toPlainString() + " missing");
        }
        // The newest fills that add up to what is missing are the ones that closed it.
        BigDecimal qty = BigDecimal.ZERO;
        BigDecimal notional = BigDecimal.ZERO;
        BigDecimal fee = BigDecimal.ZERO;
        boolean liquidation = false;
        for (int i = explaining.size() - 1; i >= 0 && qty.compareTo(gone) < 0; i--) {
            VenueFill f = explaining.get(i);
            BigDecimal take = f.qty().min(gone.subtract(qty));
            qty = qty.add(take);
            notional = notional.add(take.multiply(f.price()));
            fee = fee.add(f.feeUsd().multiply(take).divide(f.qty(), MC));
            liquidation |= f.liquidation();
        }
        BigDecimal price = qty.signum() == 0 ? null : notional.divide(qty, MC);
        return new Confirmed(
                venueHeld,
                price,
                fee,
                liquidation,
                seen + "; the venue's "
                        + (liquidation ? "liquidation" : "fill") + " history shows "
                        + qty.stripTrailingZeros().toPlainString()
                        + " closed"
                        + (price == null
                                ? ""
                                : " at " + price.stripTrailingZeros().toPlainString()));
    }
}
