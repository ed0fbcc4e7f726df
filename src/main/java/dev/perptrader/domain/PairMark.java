package dev.perptrader.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/** Both legs' marks of a pair at one moment, as the monitor saw them. */
public record PairMark(Instant at, BigDecimal longMark, BigDecimal shortMark) {
    public PairMark {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(longMark, "longMark");
        Objects.requireNonNull(shortMark, "shortMark");
    }

    /** The mark of the leg on {@code side}. */
    public BigDecimal mark(Side side) {
        return side == Side.LONG ? longMark : shortMark;
    }

    /** The mark nearest in time to {@code at}; of two as near, the earlier. Empty without marks. */
    public static Optional<PairMark> nearest(Collection<PairMark> marks, Instant at) {
        PairMark best = null;
        long bestGap = Long.MAX_VALUE;
        for (PairMark m : marks) {
            long gap = Math.abs(m.at().toEpochMilli() - at.toEpochMilli());
            if (gap < bestGap || (gap == bestGap && m.at().isBefore(best.at()))) {
                best = m;
                bestGap = gap;
            }
        }
        return Optional.ofNullable(best);
    }
}
