package dev.perptrader.notify;

import dev.perptrader.trader.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sink the test controls: it records what it accepted, fails the next N attempts on request,
 * and can hold every delivery on a gate the test opens, saying when one is waiting there.
 */
final class ScriptedSink implements AlertSink {
    private final String name;
    private final List<Alert> accepted = new ArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile CountDownLatch gate;
    private volatile String failure = "HTTP 503 Service Unavailable";

    ScriptedSink(String name) {
        this.name = name;
    }

    /** Holds every delivery until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** True while a delivery is held at the gate. */
    boolean holding() {
        return waiting.get() > 0;
    }

    void failNext(int n, String message) {
        failure = message;
        failuresLeft.set(n);
    }

    int attempts() {
        return attempts.get();
    }

    List<Alert> accepted() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Alert alert) throws DeliveryFailed {
        attempts.incrementAndGet();
        CountDownLatch g = gate;
        if (g != null) {
            waiting.incrementAndGet();
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeliveryFailed("interrupted");
            } finally {
                waiting.decrementAndGet();
            }
        }
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new DeliveryFailed(failure);
        }
        synchronized (accepted) {
            accepted.add(alert);
        }
    }
}
