package dev.perptrader.domain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
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

    /**
     * What several legs sharing one market on one venue come to ({@link #judgeShared}): a verdict
     * per leg id, and whether the difference could not be told to one pair, so every pair on the
     * market must be closed.
     */
    public record Shared(Map<Long, Verdict> byLeg, boolean closeEvery) {
        public Shared {
            byLeg = Map.copyOf(byLeg);
        }
    }

    /**
     * The part of a venue's signed position on a market that is left for one leg once the other
     * legs on that market and venue ({@code others}: legs of other pairs on the same asset) have
     * taken theirs. Venues net positions per market, so with others the venue holds their sum:
     * every leg on the market then reads {@link Reading#AGREES} exactly when the venue holds at
     * least the sum, and none does when it holds less. With no others it is the venue's position.
     */
    public static BigDecimal leftFor(BigDecimal venueSigned, Collection<Leg> others) {
        BigDecimal taken = BigDecimal.ZERO;
        for (Leg other : others) {
            taken = taken.add(other.signedSize());
        }
        return venueSigned.subtract(taken);
    }

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
            return of(leg.side(), leg.size(), venueSigned);
        }

        /** How the venue compares with {@code size} held on {@code side} (one leg, or several together). */
        public static Reading of(Side side, BigDecimal size, BigDecimal venueSigned) {
            BigDecimal held = side.signed(venueSigned);
            if (venueSigned.signum() == 0) {
                return size.signum() == 0 ? AGREES : EMPTY;
            }
            if (held.signum() < 0) {
                return FLIPPED;
            }
            return held.compareTo(size) >= 0 ? AGREES : SMALLER;
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
        List<VenueFill> explaining = explaining(leg.symbol(), leg.side(), history.get(), recorded);
        BigDecimal explained = explaining.stream().map(VenueFill::qty).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (explained.compareTo(gone) < 0) {
            return new Unexplained(seen + ", but its fill history shows "
                    + explained.stripTrailingZeros().toPlainString() + " closed by fills the bot did not send, not the "
                    + gone.stripTrailingZeros().toPlainString() + " missing");
        }
        Closing c = newestUpTo(explaining, gone);
        return new Confirmed(venueHeld, c.price(), c.fee(), c.liquidation(), seen + "; " + c.how());
    }

    /**
     * Judges legs that share one market on one venue (several pairs on one asset, all on one side
     * there: the venue holds their sum as one position) once every confirming read found less
     * than that sum. It asks what {@link #judge} asks of one leg: the venue's fill history must
     * show fills the bot did not send that closed what is missing, else every leg is
     * {@link Unexplained} (acted on by no one); a venue that publishes no history is believed on
     * the reads alone. A netted position does not say which pair lost what, so the loss is told to
     * legs only where that is certain:
     *
     * <ul>
     *   <li>nothing is left on the venue: every leg is gone;
     *   <li>exactly one leg's size is missing: that leg is gone (the first in {@code legs} when
     *       several have that size: their quantities are the same) and the others are cleared;
     *   <li>anything else cannot be told to one pair: it is taken from the legs in the order given
     *       and {@link Shared#closeEvery} asks for every pair on the market to be closed, partners
     *       included, so that no leg is left naked on a guess.
     * </ul>
     *
     * <p>Legs on both sides of one market (the bot never opens them so) are {@link Unexplained}.
     *
     * @param legs     the legs on the market, each holding a position, in the order a loss is
     *                 taken from them
     * @param reads    the venue's signed position on the market, one per confirming read, oldest
     *                 first (the latest is what the venue holds)
     * @param history  the venue's fills on the market since the oldest of the legs' pairs opened,
     *                 or empty when the venue publishes none
     * @param recorded whether a fill is one the book already counts (the bot's own order)
     */
    public static Shared judgeShared(
            List<Leg> legs, List<BigDecimal> reads, Optional<List<VenueFill>> history, Predicate<VenueFill> recorded) {
        Side side = legs.get(0).side();
        BigDecimal sum = legs.stream().map(Leg::size).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal latest = reads.get(reads.size() - 1);
        BigDecimal venueHeld = latest.multiply(side.sign()).max(BigDecimal.ZERO);
        BigDecimal gone = sum.subtract(venueHeld);
        String seen = "the venue read " + latest.stripTrailingZeros().toPlainString() + " in " + reads.size()
                + " reads where " + legs.size() + " pairs' legs hold "
                + sum.stripTrailingZeros().toPlainString()
                + " together";
        if (legs.stream().anyMatch(l -> l.side() != side)) {
            return every(legs, l -> new Unexplained(seen + ", on both sides of one market"));
        }
        if (gone.signum() <= 0) {
            return every(legs, l -> new Cleared());
        }
        Closing closing;
        if (history.isEmpty()) {
            closing = new Closing(null, BigDecimal.ZERO, false, "the venue publishes no fill history to check against");
        } else {
            List<VenueFill> explaining = explaining(legs.get(0).symbol(), side, history.get(), recorded);
            BigDecimal explained = explaining.stream().map(VenueFill::qty).reduce(BigDecimal.ZERO, BigDecimal::add);
            if (explained.compareTo(gone) < 0) {
                String why = seen + ", but its fill history shows "
                        + explained.stripTrailingZeros().toPlainString()
                        + " closed by fills the bot did not send, not the "
                        + gone.stripTrailingZeros().toPlainString() + " missing";
                return every(legs, l -> new Unexplained(why));
            }
            closing = newestUpTo(explaining, gone);
        }
        String how = seen + "; " + closing.how();
        if (venueHeld.signum() == 0) {
            return every(legs, l -> closing.confirm(l, BigDecimal.ZERO, l.size(), gone, how + "; nothing is left"));
        }
        Optional<Leg> one =
                legs.stream().filter(l -> l.size().compareTo(gone) == 0).findFirst();
        if (one.isPresent()) {
            long id = one.get().id();
            return every(
                    legs,
                    l -> l.id() == id
                            ? closing.confirm(l, BigDecimal.ZERO, gone, gone, how + ": exactly this leg's size")
                            : new Cleared());
        }
        Map<Long, Verdict> out = new LinkedHashMap<>();
        BigDecimal left = gone;
        for (Leg l : legs) {
            BigDecimal take = l.size().min(left);
            left = left.subtract(take);
            out.put(
                    l.id(),
                    take.signum() == 0
                            ? new Cleared()
                            : closing.confirm(
                                    l,
                                    l.size().subtract(take),
                                    take,
                                    gone,
                                    how + ": no one leg is that size, so it cannot be told to one pair"));
        }
        return new Shared(out, true);
    }

    private static Shared every(List<Leg> legs, Function<Leg, Verdict> verdict) {
        Map<Long, Verdict> out = new LinkedHashMap<>();
        legs.forEach(l -> out.put(l.id(), verdict.apply(l)));
        return new Shared(out, false);
    }

    /**
     * What closed the missing quantity: its average price (null when no fill is known), its fee,
     * whether the venue liquidated, and how that was found.
     */
    private record Closing(BigDecimal price, BigDecimal fee, boolean liquidation, String how) {
        /** {@code leg} confirmed down to {@code venueHeld}, with its {@code part} of the closing's fee. */
        Confirmed confirm(Leg leg, BigDecimal venueHeld, BigDecimal part, BigDecimal whole, String why) {
            BigDecimal share =
                    fee.signum() == 0 ? BigDecimal.ZERO : fee.multiply(part).divide(whole, MC);
            return new Confirmed(venueHeld, price, share, liquidation, why);
        }
    }

    /** Fills on {@code symbol} on the side that closes a {@code side} position, that the bot did not send. */
    private static List<VenueFill> explaining(
            String symbol, Side side, List<VenueFill> history, Predicate<VenueFill> recorded) {
        OrderSide closing = side.closing();
        List<VenueFill> out = new ArrayList<>();
        for (VenueFill f : history) {
            if (f.side() == closing && f.symbol().equals(symbol) && !recorded.test(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** The newest of {@code explaining} that add up to {@code gone} are the ones that closed it. */
    private static Closing newestUpTo(List<VenueFill> explaining, BigDecimal gone) {
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
        return new Closing(
                price,
                fee,
                liquidation,
                "the venue's "
                        + (liquidation ? "liquidation" : "fill") + " history shows "
                        + qty.stripTrailingZeros().toPlainString()
                        + " closed"
                        + (price == null
                                ? ""
                                : " at " + price.stripTrailingZeros().toPlainString()));
    }
}
