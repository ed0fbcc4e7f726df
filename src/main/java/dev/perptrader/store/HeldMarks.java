package dev.perptrader.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The marks rows a book in memory holds ({@link TickWrites}), packed into columns of primitives:
 * a month of every tick's rows is tens of thousands of rows that live for weeks, and held as
 * objects (a row, its instant and seven decimals, some of 34 digits) they were tens of megabytes
 * the collector copied at every young collection. Here a row is a time, a pair and seven
 * decimals each kept as an unscaled long and a scale, in arrays that grow and are compacted as
 * the oldest rows are taken; a decimal of more than 18 digits (none in practice: see
 * {@link #add}) is kept aside as it is. Rows are held in the order added, which is time order,
 * and are handed out as {@link Store.Mark}s made afresh.
 *
 * <p>A row is held as the table gives it back ({@link Store#asStored}, the ratios and the
 * divergence at the 4 decimals they are stored with), so every reader sees the same row whether
 * it is held here or already written. Not thread-safe: {@link TickWrites} guards it.
 */
final class HeldMarks {
    /** The decimals of a row, in {@link Store.Mark}'s order. */
    private static final int FIELDS = 7;
    /** A scale that says the decimal is null. */
    private static final int NULL = Integer.MIN_VALUE;
    /** A scale that says the decimal is kept aside, in {@link #wide}. */
    private static final int WIDE = Integer.MAX_VALUE;
    /** Digits an unscaled long always holds. */
    private static final int LONG_DIGITS = 18;

    private long[] at = new long[1024];
    private long[] pairId = new long[1024];
    private long[] unscaled = new long[1024 * FIELDS];
    private int[] scale = new int[1024 * FIELDS];
    /** Decimals too long for a long, by {@code row * FIELDS + field}. */
    private final Map<Long, BigDecimal> wide = new HashMap<>();
    /** Each pair's rows (as row numbers), oldest first. */
    private final Map<Long, PairRows> byPair = new HashMap<>();
    /** Row number of the column arrays' first slot; rows before it are gone. */
    private long base;
    /** Rows {@code [head, tail)} (row numbers) are held. */
    private long head;

    private long tail;

    /** One pair's held row numbers, in {@code rows[start, end)}. */
    private static final class PairRows {
        long[] rows = new long[64];
        int start;
        int end;

        void add(long row) {
            if (end == rows.length) {
                if (start > 0) {
                    System.arraycopy(rows, start, rows, 0, end - start);
                    end -= start;
                    start = 0;
                }
                if (end == rows.length) {
                    rows = Arrays.copyOf(rows, rows.length * 2);
                }
            }
            rows[end++] = row;
        }
    }

    /** A row held at the end (rows are added in time order). */
    void add(Store.Mark m) {
        if (tail - base == at.length) {
            makeRoom();
        }
        long row = tail++;
        int slot = (int) (row - base);
        at[slot] = m.at().toEpochMilli();
        pairId[slot] = m.pairId();
        put(row, 0, Store.asStored(m.longMark()));
        put(row, 1, Store.asStored(m.shortMark()));
        put(row, 2, Store.asStored(m.longUpnl()));
        put(row, 3, Store.asStored(m.shortUpnl()));
        put(row, 4, Store.asStored(Store.ratio(m.longVenueRatio())));
        put(row, 5, Store.asStored(Store.ratio(m.shortVenueRatio())));
        put(row, 6, Store.asStored(Store.ratio(m.divergence())));
        byPair.computeIfAbsent(m.pairId(), id -> new PairRows()).add(row);
    }

    boolean isEmpty() {
        return head == tail;
    }

    /** How many rows are held. */
    int size() {
        return (int) (tail - head);
    }

    /** The time of the oldest row held; only when not {@link #isEmpty}. */
    long oldestAt() {
        return at[(int) (head - base)];
    }

    /** The oldest row, no longer held; only when not {@link #isEmpty}. */
    Store.Mark takeOldest() {
        long row = head++;
        Store.Mark m = row(row);
        PairRows rows = byPair.get(m.pairId());
        rows.start++;
        if (rows.start == rows.end) {
            byPair.remove(m.pairId());
        }
        for (int f = 0; f < FIELDS; f++) {
            if (scale[(int) (row - base) * FIELDS + f] == WIDE) {
                wide.remove(row * FIELDS + f);
            }
        }
        return m;
    }

    /** Every row held, oldest first, still held. */
    List<Store.Mark> all() {
        List<Store.Mark> out = new ArrayList<>((int) (tail - head));
        for (long row = head; row < tail; row++) {
            out.add(row(row));
        }
        return out;
    }

    /** Lets go of every row. */
    void clear() {
        byPair.clear();
        wide.clear();
        base = tail;
        head = tail;
    }

    /**
     * Among {@code pairId}'s rows with both marks: the latest at or before {@code atMillis}
     * ({@code before}), or the earliest at or after it; null if none.
     */
    Store.Mark around(long pairId, long atMillis, boolean before) {
        PairRows held = byPair.get(pairId);
        if (held == null) {
            return null;
        }
        // the first row after atMillis (before) or at or after it (!before): rows are in time order
        int lo = held.start;
        int hi = held.end;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            long t = at[(int) (held.rows[mid] - base)];
            if (before ? t <= atMillis : t < atMillis) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (before) {
            for (int i = lo - 1; i >= held.start; i--) {
                if (bothMarks(held.rows[i])) {
                    return row(held.rows[i]);
                }
            }
        } else {
            for (int i = lo; i < held.end; i++) {
                if (bothMarks(held.rows[i])) {
                    return row(held.rows[i]);
                }
            }
        }
        return null;
    }

    private boolean bothMarks(long row) {
        int first = (int) (row - base) * FIELDS;
        return scale[first] != NULL && scale[first + 1] != NULL;
    }

    private void put(long row, int field, BigDecimal v) {
        int i = (int) (row - base) * FIELDS + field;
        if (v == null) {
            scale[i] = NULL;
        } else if (v.precision() <= LONG_DIGITS) {
            unscaled[i] = v.unscaledValue().longValue();
            scale[i] = v.scale();
        } else {
            scale[i] = WIDE;
            wide.put(row * FIELDS + field, v);
        }
    }

    private BigDecimal get(long row, int field) {
        int i = (int) (row - base) * FIELDS + field;
        int s = scale[i];
        if (s == NULL) {
            return null;
        }
        return s == WIDE ? wide.get(row * FIELDS + field) : BigDecimal.valueOf(unscaled[i], s);
    }

    private Store.Mark row(long row) {
        int slot = (int) (row - base);
        return new Store.Mark(
                pairId[slot],
                Instant.ofEpochMilli(at[slot]),
                get(row, 0),
                get(row, 1),
                get(row, 2),
                get(row, 3),
                get(row, 4),
                get(row, 5),
                get(row, 6));
    }

    /** Full columns: the rows taken are let go of, or, if fewer than half were, the columns grow. */
    private void makeRoom() {
        int taken = (int) (head - base);
        int held = (int) (tail - head);
        if (taken >= at.length / 2) {
            System.arraycopy(at, taken, at, 0, held);
            System.arraycopy(pairId, taken, pairId, 0, held);
            System.arraycopy(unscaled, taken * FIELDS, unscaled, 0, held * FIELDS);
            System.arraycopy(scale, taken * FIELDS, scale, 0, held * FIELDS);
            base = head;
        } else {
            int size = at.length * 2;
            at = Arrays.copyOf(at, size);
            pairId = Arrays.copyOf(pairId, size);
            unscaled = Arrays.copyOf(unscaled, size * FIELDS);
            scale = Arrays.copyOf(scale, size * FIELDS);
        }
    }
}
