package dev.perptrader.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a pair's points are estimated, per venue: volume-weighted (points per 1000 USD of filled
 * volume) and open-interest-time-weighted (points per 1000 USD of open interest held for one
 * hour). Every venue has its rates.
 */
public record PointsModel(Map<Venue, Rates> venues) {
    private static final BigDecimal THOUSAND = new BigDecimal("1000");
    private static final BigDecimal HOUR_MILLIS = new BigDecimal("3600000");
    /** 1000 USD × one hour in milliseconds: the divisor of every term once both are in USD·ms. */
    private static final BigDecimal PER_1000_USD_HOUR = THOUSAND.multiply(HOUR_MILLIS);

    /** One venue's rates, each >= 0. */
    public record Rates(BigDecimal per1000UsdVolume, BigDecimal per1000UsdOiHour) {
        public static final Rates NONE = new Rates(BigDecimal.ZERO, BigDecimal.ZERO);

        public Rates {
            Objects.requireNonNull(per1000UsdVolume, "per1000UsdVolume");
            Objects.requireNonNull(per1000UsdOiHour, "per1000UsdOiHour");
            if (per1000UsdVolume.signum() < 0) {
                throw new IllegalArgumentException("per1000UsdVolume < 0: " + per1000UsdVolume.toPlainString());
            }
            if (per1000UsdOiHour.signum() < 0) {
                throw new IllegalArgumentException("per1000UsdOiHour < 0: " + per1000UsdOiHour.toPlainString());
            }
        }

        /** Volume only, no OI-time: the model before OI-time rates existed. */
        public static Rates volumeOnly(BigDecimal per1000UsdVolume) {
            return new Rates(per1000UsdVolume, BigDecimal.ZERO);
        }
    }

    public PointsModel {
        TreeMap<Venue, Rates> copy = new TreeMap<>();
        for (Venue v : Venue.values()) {
            Rates r = venues.get(v);
            if (r == null) {
                throw new IllegalArgumentException("no points rates for " + v.configName());
            }
            copy.put(v, r);
        }
        venues = Collections.unmodifiableMap(copy);
    }

    /** Every venue on {@code rates}. */
    public static PointsModel uniform(Rates rates) {
        Objects.requireNonNull(rates, "rates");
        Map<Venue, Rates> all = new TreeMap<>();
        for (Venue v : Venue.values()) {
            all.put(v, rates);
        }
        return new PointsModel(all);
    }

    /** The rates {@code venue} earns at. */
    public Rates rates(Venue venue) {
        return venues.get(Objects.requireNonNull(venue, "venue"));
    }

    /**
     * A pair's estimated points, rounded once to 8 places (HALF_EVEN): the sum over its fills of
     * quantity × price × the fill's venue's volume rate / 1000, plus the sum over its legs of
     * open interest (opened quantity × entry price) × hours held × the leg's venue's OI rate /
     * 1000. A leg is held from {@code openedAt} (the pair's, null when it never opened: then no
     * leg earns OI-time) to {@code endedAt}; an end before the open counts as no time. Fills
     * without a price or quantity and legs without an entry price add nothing.
     */
    public BigDecimal points(List<Leg> legs, List<OrderRecord> orders, Instant openedAt, Instant endedAt) {
        // every term in points × 1000 USD × hour-milliseconds, divided once at the end
        BigDecimal sum = BigDecimal.ZERO;
        for (OrderRecord o : orders) {
            if (o.avgPrice() != null && o.filledQty().signum() > 0) {
                BigDecimal volume = o.filledQty().multiply(o.avgPrice());
                sum = sum.add(
                        volume.multiply(rates(o.venue()).per1000UsdVolume()).multiply(HOUR_MILLIS));
            }
        }
        BigDecimal heldMillis = heldMillis(openedAt, endedAt);
        if (heldMillis.signum() > 0) {
            for (Leg leg : legs) {
                if (leg.entryPrice() != null && leg.openedQty().signum() > 0) {
                    BigDecimal openInterest = leg.openedQty().multiply(leg.entryPrice());
                    sum = sum.add(openInterest
                            .multiply(heldMillis)
                            .multiply(rates(leg.venue()).per1000UsdOiHour()));
                }
            }
        }
        return sum.divide(PER_1000_USD_HOUR, 8, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal heldMillis(Instant openedAt, Instant endedAt) {
        if (openedAt == null || endedAt == null || !endedAt.isAfter(openedAt)) {
            return BigDecimal.ZERO;
        }
        return BigDecimal.valueOf(Duration.between(openedAt, endedAt).toMillis());
    }
}
