package dev.perptrader.ops;

import dev.perptrader.trader.Telemetry;
import java.util.Optional;

/** The last completed monitor tick, as the trader reported it; read by the health check and the metrics. */
public final class LastTick implements Telemetry {
    private volatile Tick last;

    @Override
    public void tickCompleted(Tick tick) {
        last = tick;
    }

    public Optional<Tick> get() {
        return Optional.ofNullable(last);
    }
}
