package dev.perptrader.domain;

import java.math.BigDecimal;
import java.util.List;

/**
 * What to do with a pair that is OPENING or UNHEDGED: a pure function of its snapshot and the
 * two markets' rules. The trader carries out the decision and persists the transition.
 */
public final class Settlement {
    private Settlement() {}

    public sealed interface Decision permits Wait, Opened, RolledBack, Failed, Repair, Unhedged {}

    /** Orders whose outcome is not known yet: look them up again later. */
    public record Wait(List<OrderRecord> unsettled) implements Decision {}

    /** Both legs hold {@code qty}. */
    public record Opened(BigDecimal qty) implements Decision {}

    /** Nothing is held, and something had filled: the pair was rolled back. */
    public record RolledBack() implements Decision {}

    /** Nothing ever filled. */
    public record Failed() implements Decision {}

    /**
     * The legs differ: bring each leg above {@code target} down to it reduce-only (a TRIM, or a
     * ROLLBACK when the target is zero).
     */
    public record Repair(BigDecimal target) implements Decision {
        public OrderPurpose purpose() {
            return target.signum() == 0 ? OrderPurpose.ROLLBACK : OrderPurpose.TRIM;
        }
    }

    /** The legs still differ after a repair: retried later. */
    public record Unhedged() implements Decision {}

    /** The first decision about a pair: wait, end it, or repair it. */
    public static Decision decide(PairSnapshot s, MarketRules longRules, MarketRules shortRules) {
        if (!s.unsettled().isEmpty()) {
            return new Wait(s.unsettled());
        }
        Decision settled = settled(s);
        return settled != null ? settled : new Repair(repairTarget(s, longRules, shortRules));
    }

    /** After a repair was carried out: ended, hedged, or still unhedged. */
    public static Decision afterRepair(PairSnapshot s) {
        Decision settled = settled(s);
        return settled != null ? settled : new Unhedged();
    }

    private static Decision settled(PairSnapshot s) {
        BigDecimal longHeld = s.leg(Side.LONG).size();
        BigDecimal shortHeld = s.leg(Side.SHORT).size();
        if (longHeld.signum() == 0 && shortHeld.signum() == 0) {
            boolean anyFilled = s.orders().stream().anyMatch(o -> o.filledQty().signum() > 0);
            return anyFilled ? new RolledBack() : new Failed();
        }
        if (longHeld.compareTo(shortHeld) == 0) {
            return new Opened(longHeld);
        }
        return null;
    }

    /**
     * The size both legs can be brought to with reduce-only orders: the smaller leg, rounded down
     * to the common step; zero when that is below either venue's minimum.
     */
    static BigDecimal repairTarget(PairSnapshot s, MarketRules longRules, MarketRules shortRules) {
        Leg longLeg = s.leg(Side.LONG);
        Leg shortLeg = s.leg(Side.SHORT);
        BigDecimal smaller = longLeg.size().min(shortLeg.size());
        if (smaller.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal target = Quantities.commonQuantity(smaller, longRules, shortRules);
        // a leg whose fill is not priced yet has no entry: the pair's sizing price stands in
        BigDecimal price = longLeg.entryPrice() != null
                ? longLeg.entryPrice()
                : shortLeg.entryPrice() != null
                        ? shortLeg.entryPrice()
                        : s.pair().notional().divide(s.pair().quantity(), Money.MC);
        if (!longRules.meetsMinimums(target, price) || !shortRules.meetsMinimums(target, price)) {
            return BigDecimal.ZERO;
        }
        return target;
    }
}
