package dev.perptrader.exchange.backpack;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Backpack client order ids: uint32 values, as decimal strings.
 *
 * <p>Each id is max(previous + 1, now in 10 ms units), taken modulo 2^32. Within one process the
 * sequence strictly increases, so an id repeats only after 2^32 ids. Across restarts a new
 * process starts from the clock, above every id the previous run issued unless that run issued
 * ids faster than 100 per second for long enough to run ahead of the clock (a hedge bot sends a
 * few orders an hour) or the system clock was stepped back. The modulus wraps every
 * 2^32 × 10 ms ≈ 497 days, when an id could meet one used about 16 months earlier.
 */
final class ClientIds {
    static final long UINT32_SPACE = 1L << 32;

    private final Clock clock;
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

    ClientIds(Clock clock) {
        this.clock = clock;
    }

    String next() {
        long now = clock.millis() / 10;
        long id = last.updateAndGet(prev -> prev == Long.MIN_VALUE ? now : Math.max(prev + 1, now));
        return Long.toString(Math.floorMod(id, UINT32_SPACE));
    }

    /** The uint32 a client id string stands for, or -1 when it is not one. */
    static long parse(String clientId) {
        if (clientId == null
                || clientId.isEmpty()
                || clientId.length() > 10
                || !clientId.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        long v = Long.parseLong(clientId);
        return v < UINT32_SPACE ? v : -1;
    }
}
