package dev.perptrader.bench;

import dev.perptrader.trader.Alert;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Counts the alerts a run raised, by kind. Thread-safe. */
final class AlertCounter implements Consumer<Alert> {
    private final Map<String, Integer> counts = new TreeMap<>();

    @Override
    public synchronized void accept(Alert alert) {
        counts.merge(alert.kind().name(), 1, Integer::sum);
    }

    synchronized Map<String, Integer> counts() {
        return Map.copyOf(counts);
    }
}
