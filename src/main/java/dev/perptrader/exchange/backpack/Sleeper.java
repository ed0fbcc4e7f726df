package dev.perptrader.exchange.backpack;

import java.time.Duration;

/** Waits between retries and for pacing; tests pass one that records and returns at once. */
@FunctionalInterface
interface Sleeper {
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
