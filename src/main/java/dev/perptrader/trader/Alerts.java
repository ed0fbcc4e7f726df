package dev.perptrader.trader;

import dev.perptrader.domain.Venue;
import dev.perptrader.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises alerts: a line on the {@code alerts} logger starting {@code ALERT <KIND>}, and a row in
 * the alerts table. The same kind at the same level for the same pair and venue repeats at most
 * once per {@code repeatEvery}, except UNHEDGED, which is raised every time (a naked leg must not
 * go quiet). A condition that escalates (a WARN that becomes an ERROR) is raised at once: the
 * lower level's throttle never hides it.
 *
 * <p>Every alert that is emitted is then handed to each listener (sinks, metrics) on the raising
 * thread: a listener must only enqueue, never block, and one that throws is logged and skipped.
 */
public final class Alerts {
    private static final Logger LOG = LoggerFactory.getLogger("alerts");
    private static final Set<AlertKind> NEVER_THROTTLED = EnumSet.of(AlertKind.UNHEDGED);

    public enum Level {
        WARN,
        ERROR
    }

    private final Store store;
    private final Clock clock;
    private final Duration repeatEvery;
    private final Map<String, Instant> lastRaised = new ConcurrentHashMap<>();
    private final List<Consumer<Alert>> listeners = new CopyOnWriteArrayList<>();

    public Alerts(Store store, Clock clock, Duration repeatEvery) {
        this.store = store;
        this.clock = clock;
        this.repeatEvery = repeatEvery;
    }

    /** Adds a listener for every emitted alert; it runs on the raising thread and must not block. */
    public void addListener(Consumer<Alert> listener) {
        listeners.add(listener);
    }

    /** Returns true if the alert was emitted, false if throttled. */
    public boolean raise(AlertKind kind, Level level, Long pairId, Venue venue, String message) {
        return raise(kind, level, pairId, venue, null, message);
    }

    /**
     * As {@link #raise(AlertKind, Level, Long, Venue, String)}, throttled separately per
     * {@code subject} (e.g. the market of an orphan position).
     */
    public boolean raise(AlertKind kind, Level level, Long pairId, Venue venue, String subject, String message) {
        Instant now = clock.instant();
        String key = key(kind, level, pairId, venue, subject);
        if (!NEVER_THROTTLED.contains(kind)) {
            Instant last = lastRaised.get(key);
            if (last != null && now.isBefore(last.plus(repeatEvery))) {
                return false;
            }
        }
        lastRaised.put(key, now);
        String line = "ALERT " + kind + " pair=" + (pairId == null ? "-" : pairId) + " venue="
                + (venue == null ? "-" : venue.configName()) + " " + message;
        if (level == Level.ERROR) {
            LOG.error(line);
        } else {
            LOG.warn(line);
        }
        store.insertAlert(now, level.name(), kind.name(), pairId, venue, message);
        Alert alert = new Alert(now, level, kind, pairId, venue, message);
        for (Consumer<Alert> listener : listeners) {
            try {
                listener.accept(alert);
            } catch (RuntimeException e) {
                LOG.warn("alert listener failed: {}", e.toString());
            }
        }
        return true;
    }

    /** Forgets the throttle for a condition that ended, so its return is reported at once. */
    public void clear(AlertKind kind, Long pairId, Venue venue) {
        if (lastRaised.isEmpty()) {
            return; // the monitor clears every tick; most ticks nothing was ever raised
        }
        for (Level level : Level.values()) {
            lastRaised.remove(key(kind, level, pairId, venue, null));
        }
    }

    private static String key(AlertKind kind, Level level, Long pairId, Venue venue, String subject) {
        return kind + "/" + level + "/" + pairId + "/" + venue + "/" + subject;
    }
}
