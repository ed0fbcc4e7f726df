package dev.perptrader.cli;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.PairCost;
import dev.perptrader.domain.PairMark;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The cost of every ended pair of a book: its stored rows handed to {@link PairCost#of}. */
final class CostReader {
    /** The pairs whose figures are final: what they cost is counted. */
    static final Set<PairStatus> ENDED = EnumSet.of(PairStatus.CLOSED, PairStatus.ROLLED_BACK, PairStatus.FAILED);

    private CostReader() {}

    /**
     * Every ended pair's cost, oldest first; each fill's slippage reference is the monitor's mark
     * of the pair nearest the order (see {@link PairCost}).
     */
    static List<PairCost> pairCosts(Store store) {
        List<HedgePair> pairs = store.pairs(ENDED);
        Map<Long, List<Leg>> legs = store.legsOf(ENDED).stream().collect(Collectors.groupingBy(Leg::pairId));
        Map<Long, List<OrderRecord>> orders =
                store.ordersOf(ENDED).stream().collect(Collectors.groupingBy(OrderRecord::pairId));
        List<PairCost> costs = new ArrayList<>(pairs.size());
        for (HedgePair p : pairs) {
            List<OrderRecord> own = orders.getOrDefault(p.id(), List.of());
            Set<PairMark> marks = new LinkedHashSet<>();
            Set<Instant> asked = new HashSet<>(); // a pair's orders are often recorded at one instant
            for (OrderRecord o : own) {
                if (o.filledQty().signum() > 0 && o.avgPrice() != null && asked.add(o.createdAt())) {
                    marks.addAll(store.marksAround(p.id(), o.createdAt()));
                }
            }
            costs.add(PairCost.of(p, legs.getOrDefault(p.id(), List.of()), own, marks));
        }
        return costs;
    }
}
