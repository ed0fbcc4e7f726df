package dev.perptrader.bench;

import dev.perptrader.domain.Venue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every request the local venues answered, in the order they were accepted: what the bench
 * measures from. Times are {@link System#nanoTime()}. Thread-safe.
 */
final class RequestLog {

    /**
     * One request.
     *
     * @param clientId      the order's client id (Backpack) or nonce (Hibachi) for an order
     *                      placement, else null
     * @param acceptedNanos when the request reached the venue's socket (on loopback, also when the
     *                      client sent it)
     * @param repliedNanos  when the reply was written back, one round trip later: when the client
     *                      has the answer
     */
    record Entry(
            Venue venue,
            String method,
            String path,
            String clientId,
            int status,
            long acceptedNanos,
            long repliedNanos) {

        boolean isOrder() {
            return clientId != null;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(Entry e) {
        entries.add(e);
    }

    /** A copy of every entry so far. */
    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Entries accepted in [{@code fromNanos}, {@code toNanos}]. */
    synchronized List<Entry> acceptedBetween(long fromNanos, long toNanos) {
        return entries.stream()
                .filter(e -> e.acceptedNanos() - fromNanos >= 0 && toNanos - e.acceptedNanos() >= 0)
                .toList();
    }

    /** The order placement with this client id on {@code venue}, if one arrived. */
    synchronized Optional<Entry> order(Venue venue, String clientId) {
        return entries.stream()
                .filter(e -> e.venue() == venue && clientId.equals(e.clientId()))
                .findFirst();
    }
}
