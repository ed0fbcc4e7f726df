package dev.perptrader.store;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * For a book in memory ({@code simulate}): the {@code hedge_pairs}, {@code positions} and
 * {@code orders} tables themselves, row by row, every column as the table would give it back. The
 * Store writes these rows here instead of sending a statement (each of its writes says, beside its
 * SQL, what it does to the row), and the trader's many reads of pairs, legs and orders are lookups.
 * The rows go into the database's tables only when something reads those tables with SQL, or the
 * book is saved ({@link #takeChanged}).
 *
 * <p>A write hands over rows as the statement would leave them; they wait until the write ends
 * ({@link #commit}), and a write that fails is forgotten ({@link #abort}) with the ids it took, as
 * SQLite rolls back a transaction and its AUTOINCREMENT counter. Inside the write, {@link #txPair},
 * {@link #txOrder}, {@link #txLeg} and {@link #txUnaccounted} read as the transaction sees the
 * table, its own changes included. {@code UNIQUE (venue, client_id)} of orders is kept here. Only a
 * process that alone writes the book may keep its rows here: a book in memory is one.
 *
 * <p>Reads take the committed rows from any thread; writes hand rows over on the writing thread,
 * under the Store's write lock.
 */
final class BookRows {
    /** A {@code hedge_pairs} row: the pair, and the columns {@link HedgePair} does not carry. */
    record PairRow(
            HedgePair pair,
            BigDecimal netPnl,
            long updatedAt,
            BigDecimal makerExposure,
            Integer makerFills,
            Long makerWorstHedgeMs) {}

    /** A {@code positions} row: the leg, and the columns {@link Leg} does not carry. */
    record LegRow(Leg leg, String openClientId, String closeClientId, long updatedAt) {}

    /**
     * An {@code orders} row: the order, and whether its fill is in its leg's money figures
     * ({@code accounted}); {@code reduce_only} is its purpose's.
     */
    record OrderRow(OrderRecord order, boolean accounted) {}

    /** The rows written since the last {@link #takeChanged}, each table's by id. */
    record Changed(List<PairRow> pairs, List<LegRow> legs, List<OrderRow> orders) {
        boolean isEmpty() {
            return pairs.isEmpty() && legs.isEmpty() && orders.isEmpty();
        }
    }

    /** As the tables' reads order them: a pair's legs LONG first; pairs that ended by close time, then id. */
    private static final Comparator<Leg> LONG_FIRST = Comparator.comparing(l -> l.side() == Side.LONG ? 0 : 1);

    private record Ended(long closedAtMillis, long id) implements Comparable<Ended> {
        @Override
        public int compareTo(Ended o) {
            int c = Long.compare(closedAtMillis, o.closedAtMillis);
            return c != 0 ? c : Long.compare(id, o.id);
        }
    }

    private static final Set<PairStatus> ACTIVE = PairStatus.active();

    // the committed rows
    private final Map<Long, PairRow> pairs = new HashMap<>();
    private final Map<Long, LegRow> legs = new HashMap<>();
    private final Map<Long, OrderRow> orders = new HashMap<>();
    /** {@code venue config name + " " + client_id} of every order. */
    private final Set<String> clientIds = new HashSet<>();
    /** The last id each table gave (AUTOINCREMENT). */
    private long lastPairId;

    private long lastLegId;
    private long lastOrderId;
    /** Ids of rows written since the last {@link #takeChanged}. */
    private final TreeSet<Long> changedPairs = new TreeSet<>();

    private final TreeSet<Long> changedLegs = new TreeSet<>();
    private final TreeSet<Long> changedOrders = new TreeSet<>();
    /** Each pair's legs, LONG first, as an immutable list. */
    private final Map<Long, List<Leg>> legsByPair = new HashMap<>();
    /** Each pair's orders by id, as an immutable list. */
    private final Map<Long, List<OrderRecord>> ordersByPair = new HashMap<>();
    /** Each leg's orders not yet accounted ({@code accounted = 0}), by id. */
    private final Map<Long, TreeMap<Long, OrderRecord>> unaccountedByLeg = new HashMap<>();

    private final TreeMap<Long, OrderRecord> unpriced = new TreeMap<>();
    private final TreeMap<Long, HedgePair> active = new TreeMap<>();
    /** The pairs with a close time, by close time and id. */
    private final TreeMap<Ended, PairRow> ended = new TreeMap<>();

    // what the reads hand out, made again when a commit changed what they are made of
    private List<HedgePair> activePairs = List.of();
    /** The active pairs in a set of statuses (as a bit mask of their ordinals), as asked. */
    private final Map<Integer, List<HedgePair>> activeByMask = new HashMap<>();

    private List<Leg> activeLegs = List.of();
    private Map<Long, List<Leg>> activeLegsByPair = Map.of();
    private List<OrderRecord> unpricedList = List.of();
    /** The last {@link #netPnlEndedSince} asked and its answer; forgotten when a pair row with a close time is written. */
    private Instant netPnlSince;

    private BigDecimal netPnlSum;

    // handed over by the write under way, in the order written
    private final Map<Long, PairRow> pendingPairs = new LinkedHashMap<>();
    private final Map<Long, LegRow> pendingLegs = new LinkedHashMap<>();
    private final Map<Long, OrderRow> pendingOrders = new LinkedHashMap<>();
    private final Set<String> pendingClientIds = new HashSet<>();
    private long pendingPairId;
    private long pendingLegId;
    private long pendingOrderId;

    // ------------------------------------------------------------------ the write under way

    /** The id the next new pair row takes. */
    synchronized long newPairId() {
        pendingPairId = Math.max(pendingPairId, lastPairId) + 1;
        return pendingPairId;
    }

    synchronized long newLegId() {
        pendingLegId = Math.max(pendingLegId, lastLegId) + 1;
        return pendingLegId;
    }

    /**
     * The id a new order row takes; its client id must be new on its venue ({@code UNIQUE (venue,
     * client_id)}), else a {@link StoreException} and the write fails.
     */
    synchronized long newOrderId(String venue, String clientId) {
        String key = venue + " " + clientId;
        if (clientIds.contains(key) || !pendingClientIds.add(key)) {
            throw new StoreException("an order with client id " + clientId + " on " + venue
                    + " is recorded already: a client id is never used twice");
        }
        pendingOrderId = Math.max(pendingOrderId, lastOrderId) + 1;
        return pendingOrderId;
    }

    synchronized void wrotePair(PairRow row) {
        pendingPairs.put(row.pair().id(), row);
    }

    synchronized void wroteLeg(LegRow row) {
        pendingLegs.put(row.leg().id(), row);
    }

    synchronized void wroteOrder(OrderRow row) {
        pendingOrders.put(row.order().id(), row);
    }

    /** The pair row as the write under way sees it; null if there is none. */
    synchronized PairRow txPair(long id) {
        PairRow row = pendingPairs.get(id);
        return row != null ? row : pairs.get(id);
    }

    /** The leg row as the write under way sees it; null if there is none. */
    synchronized LegRow txLegRow(long id) {
        LegRow row = pendingLegs.get(id);
        return row != null ? row : legs.get(id);
    }

    /** The order row as the write under way sees it; null if there is none. */
    synchronized OrderRow txOrderRow(long id) {
        OrderRow row = pendingOrders.get(id);
        return row != null ? row : orders.get(id);
    }

    /** The order as the write under way sees it; null if there is none. */
    synchronized OrderRecord txOrder(long id) {
        OrderRow row = txOrderRow(id);
        return row == null ? null : row.order();
    }

    /** The leg as the write under way sees it; null if there is none. */
    synchronized Leg txLeg(long id) {
        LegRow row = txLegRow(id);
        return row == null ? null : row.leg();
    }

    /** The leg's orders not yet accounted, by id, as the write under way sees them. */
    synchronized List<OrderRecord> txUnaccounted(long legId) {
        TreeMap<Long, OrderRecord> committed = unaccountedByLeg.get(legId);
        TreeMap<Long, OrderRecord> out = committed == null ? new TreeMap<>() : new TreeMap<>(committed);
        for (OrderRow row : pendingOrders.values()) {
            OrderRecord o = row.order();
            if (o.legId() != legId) {
                continue;
            }
            if (row.accounted()) {
                out.remove(o.id());
            } else {
                out.put(o.id(), o);
            }
        }
        return new ArrayList<>(out.values());
    }

    /** The write under way committed: what it handed over becomes the book's rows. */
    synchronized void commit() {
        boolean activeChanged = false;
        for (PairRow row : pendingPairs.values()) {
            activeChanged |= commitPair(row);
        }
        for (LegRow row : pendingLegs.values()) {
            activeChanged |= commitLeg(row);
        }
        boolean unpricedChanged = false;
        for (OrderRow row : pendingOrders.values()) {
            unpricedChanged |= commitOrder(row);
        }
        changedPairs.addAll(pendingPairs.keySet());
        changedLegs.addAll(pendingLegs.keySet());
        changedOrders.addAll(pendingOrders.keySet());
        clientIds.addAll(pendingClientIds);
        lastPairId = Math.max(lastPairId, pendingPairId);
        lastLegId = Math.max(lastLegId, pendingLegId);
        lastOrderId = Math.max(lastOrderId, pendingOrderId);
        if (activeChanged) {
            remakeActive();
        }
        if (unpricedChanged) {
            unpricedList = List.copyOf(unpriced.values());
        }
        clearPending();
    }

    /** The write under way rolled back: what it handed over is forgotten. */
    synchronized void abort() {
        clearPending();
    }

    private void clearPending() {
        pendingPairs.clear();
        pendingLegs.clear();
        pendingOrders.clear();
        pendingClientIds.clear();
        pendingPairId = 0;
        pendingLegId = 0;
        pendingOrderId = 0;
    }

    /** The committed rows written since the last call, each table's by id, for the database's tables. */
    synchronized Changed takeChanged() {
        List<PairRow> p = new ArrayList<>(changedPairs.size());
        changedPairs.forEach(id -> p.add(pairs.get(id)));
        List<LegRow> l = new ArrayList<>(changedLegs.size());
        changedLegs.forEach(id -> l.add(legs.get(id)));
        List<OrderRow> o = new ArrayList<>(changedOrders.size());
        changedOrders.forEach(id -> o.add(orders.get(id)));
        changedPairs.clear();
        changedLegs.clear();
        changedOrders.clear();
        return new Changed(p, l, o);
    }

    /** Rows {@link #takeChanged} handed over that did not go in: they are changed still. */
    synchronized void changedAgain(Changed c) {
        c.pairs().forEach(r -> changedPairs.add(r.pair().id()));
        c.legs().forEach(r -> changedLegs.add(r.leg().id()));
        c.orders().forEach(r -> changedOrders.add(r.order().id()));
    }

    /** Whether rows were written since the last {@link #takeChanged}. */
    synchronized boolean changed() {
        return !changedPairs.isEmpty() || !changedLegs.isEmpty() || !changedOrders.isEmpty();
    }

    /** Whether the active pairs or their legs changed. */
    private boolean commitPair(PairRow row) {
        HedgePair p = row.pair();
        PairRow before = pairs.put(p.id(), row);
        if (before != null && before.pair().closedAt() != null) {
            ended.remove(new Ended(before.pair().closedAt().toEpochMilli(), p.id()));
        }
        if (p.closedAt() != null) {
            ended.put(new Ended(p.closedAt().toEpochMilli(), p.id()), row);
        }
        if (p.closedAt() != null || (before != null && before.pair().closedAt() != null)) {
            netPnlSince = null;
        }
        boolean wasActive = active.containsKey(p.id());
        if (ACTIVE.contains(p.status())) {
            active.put(p.id(), p);
            return true;
        }
        return wasActive && active.remove(p.id()) != null;
    }

    /** Whether the leg belongs to an active pair. */
    private boolean commitLeg(LegRow row) {
        Leg leg = row.leg();
        legs.put(leg.id(), row);
        List<Leg> now = new ArrayList<>(2);
        for (Leg other : legsByPair.getOrDefault(leg.pairId(), List.of())) {
            if (other.id() != leg.id()) {
                now.add(other);
            }
        }
        now.add(leg);
        now.sort(LONG_FIRST);
        legsByPair.put(leg.pairId(), List.copyOf(now));
        return active.containsKey(leg.pairId());
    }

    /** Whether the unpriced orders changed. */
    private boolean commitOrder(OrderRow row) {
        OrderRecord o = row.order();
        orders.put(o.id(), row);
        List<OrderRecord> mine = ordersByPair.getOrDefault(o.pairId(), List.of());
        List<OrderRecord> now = new ArrayList<>(mine.size() + 1);
        boolean replaced = false;
        for (OrderRecord other : mine) {
            if (other.id() == o.id()) {
                now.add(o);
                replaced = true;
            } else {
                now.add(other);
            }
        }
        if (!replaced) {
            now.add(o);
            now.sort(Comparator.comparingLong(OrderRecord::id));
        }
        ordersByPair.put(o.pairId(), List.copyOf(now));
        TreeMap<Long, OrderRecord> waiting = unaccountedByLeg.get(o.legId());
        if (!row.accounted()) {
            if (waiting == null) {
                waiting = new TreeMap<>();
                unaccountedByLeg.put(o.legId(), waiting);
            }
            waiting.put(o.id(), o);
        } else if (waiting != null) {
            waiting.remove(o.id());
            if (waiting.isEmpty()) {
                unaccountedByLeg.remove(o.legId());
            }
        }
        boolean was = unpriced.containsKey(o.id());
        if (!o.priced()) {
            unpriced.put(o.id(), o);
            return true;
        }
        return was && unpriced.remove(o.id()) != null;
    }

    private void remakeActive() {
        activePairs = List.copyOf(active.values());
        activeByMask.clear();
        List<Leg> all = new ArrayList<>();
        Map<Long, List<Leg>> byPair = new HashMap<>();
        for (Long id : active.keySet()) {
            List<Leg> mine = legsByPair.get(id);
            if (mine != null) {
                all.addAll(mine);
                byPair.put(id, mine);
            }
        }
        activeLegs = List.copyOf(all);
        activeLegsByPair = Map.copyOf(byPair);
    }

    // ------------------------------------------------------------------ committed reads

    synchronized HedgePair pair(long id) {
        PairRow row = pairs.get(id);
        return row == null ? null : row.pair();
    }

    synchronized PairRow pairRow(long id) {
        return pairs.get(id);
    }

    /** The active pairs (OPENING, OPEN, CLOSING, UNHEDGED) by id. */
    synchronized List<HedgePair> activePairs() {
        return activePairs;
    }

    /**
     * The active pairs whose status is in {@code mask} (bit {@code 1 << ordinal} per status), by
     * id; the trader asks for the same few sets many times between two writes.
     */
    synchronized List<HedgePair> activePairs(int mask) {
        List<HedgePair> kept = activeByMask.get(mask);
        if (kept != null) {
            return kept;
        }
        List<HedgePair> out = new ArrayList<>(activePairs.size());
        for (HedgePair p : activePairs) {
            if ((mask & (1 << p.status().ordinal())) != 0) {
                out.add(p);
            }
        }
        List<HedgePair> made = List.copyOf(out);
        activeByMask.put(mask, made);
        return made;
    }

    /** The legs of the active pairs, by pair id, LONG first. */
    synchronized List<Leg> activeLegs() {
        return activeLegs;
    }

    /** {@link #activeLegs} by pair. */
    synchronized Map<Long, List<Leg>> activeLegsByPair() {
        return activeLegsByPair;
    }

    /** The pair's legs, LONG first (none: empty). */
    synchronized List<Leg> legs(long pairId) {
        return legsByPair.getOrDefault(pairId, List.of());
    }

    /** The pair's orders by id (none: empty). */
    synchronized List<OrderRecord> orders(long pairId) {
        return ordersByPair.getOrDefault(pairId, List.of());
    }

    synchronized OrderRecord order(long id) {
        OrderRow row = orders.get(id);
        return row == null ? null : row.order();
    }

    /** Orders whose fill's price and fee are not read yet, by id. */
    synchronized List<OrderRecord> unpriced() {
        return unpricedList;
    }

    /** Sum of {@code net_pnl} over the pairs closed at or after {@code since} that have one. */
    synchronized BigDecimal netPnlEndedSince(Instant since) {
        // asked at every step with the same instant until the day turns: kept until a pair ends
        if (since.equals(netPnlSince)) {
            return netPnlSum;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (PairRow row : endedSince(since).values()) {
            if (row.netPnl() != null) {
                sum = sum.add(row.netPnl());
            }
        }
        netPnlSince = since;
        netPnlSum = sum;
        return sum;
    }

    /** The pairs closed at or after {@code since}, by close time, then id. */
    synchronized List<HedgePair> pairsEndedSince(Instant since) {
        List<HedgePair> out = new ArrayList<>();
        for (PairRow row : endedSince(since).values()) {
            out.add(row.pair());
        }
        return List.copyOf(out);
    }

    private Map<Ended, PairRow> endedSince(Instant since) {
        return ended.tailMap(new Ended(since.toEpochMilli(), Long.MIN_VALUE), true);
    }
}
