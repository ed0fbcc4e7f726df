package dev.perptrader.exchange.backpack;

import dev.perptrader.exchange.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records every wait and returns at once: tests never sleep. */
final class RecordingSleeper implements Sleeper {
    private final List<Duration> waits = new ArrayList<>();

    @Override
    public synchronized void sleep(Duration duration) {
        waits.add(duration);
    }

    synchronized List<Duration> waits() {
        return List.copyOf(waits);
    }
}
