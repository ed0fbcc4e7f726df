package dev.perptrader.exchange;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Calls run on other threads: where they run, and waiting for them as if they had run here. */
public final class Futures {
    private Futures() {}

    /**
     * The call's result; a call that threw a RuntimeException (an {@link ExchangeException} above
     * all) rethrows it here as it was, not wrapped in a CompletionException.
     */
    public static <T> T join(CompletableFuture<T> call) {
        try {
            return call.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * Daemon threads named {@code name} for a client's calls asked at once (a read beside
     * another); created as needed, an idle one ends after 60 s.
     */
    public static ExecutorService daemonPool(String name) {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
