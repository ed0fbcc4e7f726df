package dev.perptrader.notify;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * What the owner's Telegram commands may do to the running bot, each returning the reply to send.
 * Implemented where the book and the trading loop are wired together (the command line); called
 * on the Telegram thread, so every method must be safe from a thread that is not the trading
 * loop's.
 */
public interface OwnerControl {
    /** Open pairs and whether opening is allowed, held back or paused; a few short lines. */
    String status(Instant now);

    /** The last {@code n} closed pairs with their net PnL, and a total line. */
    String history(int n);

    /** Pauses opening with {@code cause} (the same stored pause the circuit breaker writes). */
    String pause(String cause, Instant now);

    /** Lifts a pause on opening, as {@code perp-trader resume} does. */
    String resume(Instant now);

    /**
     * Asks the trading loop to close every open pair and pause opening; completes with the reply
     * once the loop has done it (exceptionally if the bot stopped first).
     */
    CompletableFuture<String> closeAll(String reason);
}
