package dev.perptrader.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a hedge pair. Transitions not listed in {@link #next()} are refused.
 *
 * <pre>
 * OPENING ─► OPEN ─► CLOSING ─► CLOSED
 *    │         └──► UNHEDGED (a venue shrank one leg)
 *    │  └──► UNHEDGED ─► OPEN | ROLLED_BACK | CLOSING
 *    ├─► ROLLED_BACK
 *    └─► FAILED
 * </pre>
 */
public enum PairStatus {
    OPENING,
    OPEN,
    CLOSING,
    CLOSED,
    ROLLED_BACK,
    FAILED,
    UNHEDGED;

    public Set<PairStatus> next() {
        return switch (this) {
            case OPENING -> EnumSet.of(OPEN, ROLLED_BACK, FAILED, UNHEDGED);
            case OPEN -> EnumSet.of(CLOSING, UNHEDGED);
            case UNHEDGED -> EnumSet.of(OPEN, ROLLED_BACK, CLOSING);
            case CLOSING -> EnumSet.of(CLOSED);
            case CLOSED, ROLLED_BACK, FAILED -> EnumSet.noneOf(PairStatus.class);
        };
    }

    public boolean canMoveTo(PairStatus target) {
        return next().contains(target);
    }

    /** Throws {@link IllegalStateException} unless {@code this → target} is legal. */
    public PairStatus moveTo(PairStatus target) {
        if (!canMoveTo(target)) {
            throw new IllegalStateException("illegal pair transition " + this + " -> " + target);
        }
        return target;
    }

    public boolean isTerminal() {
        return next().isEmpty();
    }

    /** Pairs that may hold positions on a venue. */
    public static Set<PairStatus> active() {
        return EnumSet.of(OPENING, OPEN, CLOSING, UNHEDGED);
    }
}
