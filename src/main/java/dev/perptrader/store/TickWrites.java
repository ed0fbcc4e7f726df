package dev.perptrader.store;

import dev.perptrader.domain.Leg;
import dev.perptrader.domain.Venue;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * For a book in memory ({@code simulate}): the monitor's writes of every tick, held here instead
 * of written at once. They are a leg's last mark and unrealized PnL, a venue's last read, why the
 * last open was held back (the opening gate), and a row of marks per pair: written each tick (the
 * gate at each open), they would make every tick a write and so leave the
 * {@link ReadMemo} nothing to keep. The {@link Store} lays the held leg marks over the legs it
 * reads, and writes what is held before any other write or read, so what every read returns is
 * what it would return had each been written at once. Marks rows wait until the hourly thinning
 * reaches them and are thinned then, so a year's rows are never deleted one by one. The rows the
 * thinning keeps wait too, until there are {@link #THINNED_BATCH} of them: written hourly, they
 * made the thinning a write every hour, and every write makes the {@link ReadMemo} forget. {@link
 * #takeAllMarks} hands over every row held for a read of marks or a save.
 */
final class TickWrites {
    /** A leg's last mark as the monitor stored it. */
    record LegMark(BigDecimal mark, BigDecimal upnl, long atMillis) {}

    /** A venue's reads since the last write: the last success, and a failure after it if any. */
    record VenueReads(Long okAt, Long failedAt, String error) {}

    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final Map<Long, LegMark> legMarks = new LinkedHashMap<>();
    private final Map<Venue, VenueReads> venueReads = new TreeMap<>();
    /** The opening gate's row, held; null if none is. */
    private Store.Gate gate;
    /** The lists {@link #overlay} made last, by the id of their first leg; forgotten with the marks. */
    private final Map<Long, Overlaid> overlaid = new HashMap<>();
    /** Marks rows in time order, packed: a month of them lives through many young collections. */
    private final HeldMarks marks = new HeldMarks();
    /**
     * Rows the thinning kept, not yet written: all older than any row in {@link #marks}, all newer
     * than any row in the table.
     */
    private final HeldMarks thinned = new HeldMarks();
    /** Per pair, the hour of the last row kept among those the thinning reached. */
    private final Map<Long, Long> lastThinnedHour = new HashMap<>();

    /** Rows the thinning kept that are written together: about six weeks of one pair's. */
    static final int THINNED_BATCH = 1000;

    /** Holds a leg's mark; the values are held as the database would give them back. */
    synchronized void legMark(long legId, BigDecimal mark, BigDecimal upnl, long atMillis) {
        legMarks.put(legId, new LegMark(Store.asStored(mark), Store.asStored(upnl), atMillis));
    }

    /** {@code v} as a column read back gives it: stored as its plain text without trailing zeros. */
    synchronized void venueReadOk(Venue venue, long atMillis) {
        venueReads.put(venue, new VenueReads(atMillis, null, null));
    }

    synchronized void venueReadFailed(Venue venue, long atMillis, String error) {
        VenueReads was = venueReads.get(venue);
        venueReads.put(venue, new VenueReads(was == null ? null : was.okAt(), atMillis, error));
    }

    /** Holds a marks row as the table would give it back (see {@link HeldMarks}). */
    synchronized void mark(Store.Mark m) {
        marks.add(m);
    }

    /** Whether a leg mark or a venue read waits to be written. */
    synchronized boolean holdsState() {
        return !legMarks.isEmpty() || !venueReads.isEmpty() || gate != null;
    }

    /** Holds why the last open was held back (the opening gate's one row), as the table would give it back. */
    synchronized void gate(Store.Gate checked) {
        gate = checked;
    }

    /** The opening gate held, null if none is. */
    synchronized Store.Gate heldGate() {
        return gate;
    }

    /** The held leg marks, venue reads and opening gate, handed over to be written (and no longer held). */
    synchronized State takeState() {
        State s = new State(new LinkedHashMap<>(legMarks), new TreeMap<>(venueReads), gate);
        legMarks.clear();
        overlaid.clear();
        venueReads.clear();
        gate = null;
        return s;
    }

    /** Whether a leg mark waits to be written. */
    synchronized boolean holdsLegMarks() {
        return !legMarks.isEmpty();
    }

    /** The held leg marks, in the order held, handed over to be written (and no longer held). */
    synchronized Map<Long, LegMark> takeLegMarks() {
        Map<Long, LegMark> out = new LinkedHashMap<>(legMarks);
        legMarks.clear();
        overlaid.clear();
        return out;
    }

    /** Leg marks, venue reads and the opening gate to write, in the order they were held (gate: null if none). */
    record State(Map<Long, LegMark> legMarks, Map<Venue, VenueReads> venueReads, Store.Gate gate) {}

    /** {@code leg} with its held mark laid over it, if one is held. */
    synchronized Leg overlay(Leg leg) {
        LegMark m = legMarks.get(leg.id());
        return m == null ? leg : withMark(leg, m);
    }

    /**
     * {@code legs} with their held marks laid over them. The trader reads a pair's legs several
     * times a tick: the list laid over last is handed out again while the legs (the same list) and
     * their held marks (the same values) are those it was made of.
     */
    synchronized List<Leg> overlay(List<Leg> legs) {
        if (legMarks.isEmpty() || legs.isEmpty()) {
            return legs;
        }
        long key = legs.get(0).id();
        Overlaid last = overlaid.get(key);
        if (last != null && last.of(legs, legMarks)) {
            return last.out();
        }
        List<Leg> out = new ArrayList<>(legs.size());
        LegMark[] used = new LegMark[legs.size()];
        for (int i = 0; i < legs.size(); i++) {
            Leg leg = legs.get(i);
            LegMark m = legMarks.get(leg.id());
            used[i] = m;
            out.add(m == null ? leg : withMark(leg, m));
        }
        List<Leg> made = List.copyOf(out);
        overlaid.put(key, new Overlaid(legs, used, made));
        return made;
    }

    /** A list {@link #overlay} made: of which legs, with which held marks (null: none). */
    private record Overlaid(List<Leg> in, LegMark[] marks, List<Leg> out) {
        boolean of(List<Leg> legs, Map<Long, LegMark> held) {
            if (legs != in) {
                return false;
            }
            for (int i = 0; i < marks.length; i++) {
                if (held.get(in.get(i).id()) != marks[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The unrealized PnL a leg would read: the held one, else {@code stored}. */
    synchronized BigDecimal unrealized(long legId, BigDecimal stored) {
        LegMark m = legMarks.get(legId);
        return m == null ? stored : m.upnl();
    }

    /**
     * Thins the held marks rows older than {@code beforeMillis} as {@link Store#thinMarks} thins
     * the table: the first row of each pair in each hour is kept (held, to be written later), the
     * rest dropped. Returns how many were dropped.
     */
    synchronized int thin(long beforeMillis) {
        int dropped = 0;
        while (!marks.isEmpty() && marks.oldestAt() < beforeMillis) {
            Store.Mark m = marks.takeOldest();
            long hour = Math.floorDiv(m.at().toEpochMilli(), HOUR);
            Long last = lastThinnedHour.get(m.pairId());
            if (last != null && last == hour) {
                dropped++;
            } else {
                lastThinnedHour.put(m.pairId(), hour);
                thinned.add(m);
            }
        }
        return dropped;
    }

    /** The rows the thinning kept, handed over to be written, once {@link #THINNED_BATCH} wait. */
    synchronized List<Store.Mark> takeThinnedBatch() {
        if (thinned.size() < THINNED_BATCH) {
            return List.of();
        }
        List<Store.Mark> out = thinned.all();
        thinned.clear();
        return out;
    }

    /**
     * Among the held rows of {@code pairId} with both marks: the latest at or before
     * {@code atMillis} ({@code before}), or the earliest at or after it; null if none. The rows
     * the thinning kept are older than the rest.
     */
    synchronized Store.Mark around(long pairId, long atMillis, boolean before) {
        HeldMarks newer = before ? marks : thinned;
        HeldMarks older = before ? thinned : marks;
        Store.Mark m = newer.around(pairId, atMillis, before);
        return m != null ? m : older.around(pairId, atMillis, before);
    }

    /** Every held marks row, oldest first, still held. */
    synchronized List<Store.Mark> heldMarks() {
        List<Store.Mark> out = new ArrayList<>(thinned.size() + marks.size());
        out.addAll(thinned.all());
        out.addAll(marks.all());
        return out;
    }

    /** Every held marks row, oldest first (those the thinning kept, then the rest), handed over. */
    synchronized List<Store.Mark> takeAllMarks() {
        List<Store.Mark> out = heldMarks();
        thinned.clear();
        marks.clear();
        return out;
    }

    /** {@code l} with {@code m}'s mark and unrealized PnL, as its row holds them once the mark is written. */
    static Leg withMark(Leg l, LegMark m) {
        return Store.leg(l, m.mark(), m.upnl(), l.funding(), l.status(), l.suspectSince(), l.suspectReason());
    }
}
