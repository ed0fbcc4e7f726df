package dev.perptrader.domain;

import java.util.List;
import java.util.Optional;

/** A pair, its legs and its orders, read together once; decisions are made from this. */
public record PairSnapshot(HedgePair pair, List<Leg> legs, List<OrderRecord> orders) {
    public PairSnapshot {
        legs = List.copyOf(legs);
        orders = List.copyOf(orders);
    }

    public Leg leg(Side side) {
        return legs.stream()
                .filter(l -> l.side() == side)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("pair " + pair.id() + " has no " + side + " leg"));
    }

    /**
     * Whether {@code leg} is being confirmed flat: it is SUSPECT and the venue refused its latest
     * reduce-only close. No new close goes out for it meanwhile; with the reads, the refusal is the
     * second sign from the venue that nothing is left.
     */
    public boolean confirmingFlat(Leg leg) {
        if (!leg.suspect()) {
            return false;
        }
        return orders.stream()
                .filter(o -> o.legId() == leg.id() && o.purpose() == OrderPurpose.CLOSE)
                .reduce((first, second) -> second)
                .map(last -> last.status() == OrderStatus.REJECTED)
                .orElse(false);
    }

    /** Orders the venue has not answered for yet (PENDING or UNKNOWN). */
    public List<OrderRecord> unsettled() {
        return orders.stream().filter(o -> !o.status().settled()).toList();
    }

    /**
     * Whether every order's fill is priced (its average price and fee read): only then are the
     * legs' money figures complete, and only then may the pair end with its result.
     */
    public boolean priced() {
        return orders.stream().allMatch(OrderRecord::priced);
    }

    /** Why the opening orders failed, from their errors; "legs filled unequally" when none failed outright. */
    public String failureReason() {
        return orders.stream()
                .filter(o -> o.purpose() == OrderPurpose.OPEN && o.error() != null)
                .map(OrderRecord::error)
                .reduce((a, b) -> a + "; " + b)
                .orElse("legs filled unequally");
    }

    /** The venue whose opening orders filled nothing, if one did. */
    public Optional<Venue> failedVenue() {
        List<OrderRecord> opens =
                orders.stream().filter(o -> o.purpose() == OrderPurpose.OPEN).toList();
        return opens.stream()
                .map(OrderRecord::venue)
                .filter(v -> opens.stream()
                        .noneMatch(o -> o.venue() == v && o.filledQty().signum() > 0))
                .findFirst();
    }
}
