package dev.perptrader.store;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * For a book in memory ({@code simulate}): what the trader's frequent reads returned, kept until
 * the next write. A simulated day asks the same few questions (is opening paused, why was the
 * last open held back) a thousand times between two writes; each answer is read once. Every write marks
 * the memo at its start and at its end, and a read taken while a write is under way, or that a
 * write overlapped, is returned but not kept, so a kept answer is always what the database
 * holds. Only a process that alone writes the book may use it: a book in memory is one.
 * Values must be immutable.
 */
final class ReadMemo {
    private final Map<Object, Object> values = new HashMap<>();
    private long generation;
    private int writing;

    /** A write begins: nothing read from now until it ends is kept. */
    synchronized void writeStarted() {
        generation++;
        writing++;
        values.clear();
    }

    /** A write ended (committed or rolled back). */
    synchronized void writeEnded() {
        generation++;
        writing--;
        values.clear();
    }

    /** The kept answer to {@code key}, null when none is kept (or a write is under way). */
    synchronized Object kept(Object key) {
        return writing == 0 ? values.get(key) : null;
    }

    /** {@code read}'s answer to {@code key} (after {@link #kept} had none), kept if no write overlapped it. */
    <T> T readAndKeep(Object key, Supplier<T> read) {
        long seen;
        synchronized (this) {
            seen = writing == 0 ? generation : -1;
        }
        T value = read.get();
        synchronized (this) {
            if (seen == generation && writing == 0) {
                values.put(key, value);
            }
        }
        return value;
    }
}
