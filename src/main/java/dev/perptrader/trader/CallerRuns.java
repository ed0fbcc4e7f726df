package dev.perptrader.trader;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An executor that runs each task at once on the thread that hands it over. For a trader on a
 * virtual clock ({@code simulate}), where an order takes no time: sending both legs from threads of
 * their own buys nothing there, and costs a thread handoff and contended locks at every order.
 * Code that sends on it must not wait for another of its tasks from inside a task (see
 * {@link HedgeManager}'s opening gate).
 */
final class CallerRuns extends AbstractExecutorService {
    private volatile boolean shutdown;

    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("shut down");
        }
        task.run();
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    /** Every task ended before {@link #execute} returned. */
    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }
}
