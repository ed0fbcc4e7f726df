package dev.perptrader.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The collateral ratios seen, per venue and over all venues: how many readings, their average,
 * lowest and highest. A venue's ratio is one figure per monitor tick however many pairs were open
 * on it, so a tick counts once per venue (see {@link Builder#add}).
 */
public record CollateralStats(Optional<RatioStats> overall, Map<Venue, RatioStats> byVenue) {
    public CollateralStats {
        Map<Venue, RatioStats> copy = new TreeMap<>();
        copy.putAll(byVenue);
        byVenue = Collections.unmodifiableMap(copy);
    }

    /** Readings of one venue, or of all. */
    public record RatioStats(long readings, BigDecimal average, BigDecimal min, BigDecimal max) {
        public RatioStats {
            if (readings < 1) {
                throw new IllegalArgumentException("readings < 1: " + readings);
            }
        }
    }

    /** Adds readings one at a time, so a long history need not be held in memory. */
    public static final class Builder {
        private final Sum overall = new Sum();
        private final Map<Venue, Sum> byVenue = new TreeMap<>();
        private final Map<Venue, Instant> lastAt = new TreeMap<>();

        /**
         * Adds one reading, given in time order: a reading of a venue at the same instant as that
         * venue's previous one is the same tick seen through another pair, and is skipped.
         * Returns whether it counted.
         */
        public boolean add(VenueRatio r) {
            if (r.at().equals(lastAt.put(r.venue(), r.at()))) {
                return false;
            }
            overall.add(r.ratio());
            byVenue.computeIfAbsent(r.venue(), v -> new Sum()).add(r.ratio());
            return true;
        }

        public CollateralStats build() {
            Map<Venue, RatioStats> venues = new TreeMap<>();
            byVenue.forEach((v, s) -> venues.put(v, s.stats()));
            return new CollateralStats(overall.n == 0 ? Optional.empty() : Optional.of(overall.stats()), venues);
        }
    }

    private static final class Sum {
        private long n;
        private BigDecimal total = BigDecimal.ZERO;
        private BigDecimal min;
        private BigDecimal max;

        void add(BigDecimal ratio) {
            n++;
            total = total.add(ratio);
            min = min == null ? ratio : min.min(ratio);
            max = max == null ? ratio : max.max(ratio);
        }

        RatioStats stats() {
            return new RatioStats(n, Money.divide(total, BigDecimal.valueOf(n)), min, max);
        }
    }
}
