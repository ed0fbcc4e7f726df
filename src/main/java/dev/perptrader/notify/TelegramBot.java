package dev.perptrader.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the owner's commands by long polling {@code getUpdates} (no inbound port) on one daemon
 * thread, and answers through {@code sendMessage} on another, so a slow reply never holds up
 * reading. The polling thread catches everything, backs off on errors (doubling up to a minute)
 * and logs an outage once when it starts and once when it ends. Messages from chats that are not
 * allowed are ignored; the first from each such chat is logged at INFO by chat id only (never
 * the text), later ones at DEBUG.
 */
public final class TelegramBot implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TelegramBot.class);
    /** How long one getUpdates waits for a message before it returns empty. */
    static final Duration POLL_TIMEOUT = Duration.ofSeconds(25);

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final int MAX_IGNORED_CHATS_REMEMBERED = 1_000;

    private final TelegramApi api;
    private final TelegramCommands commands;
    private final Clock clock;
    private final Dispatcher.Sleeper sleeper;
    private final Thread poller;
    private final ExecutorService replies;
    private final Set<Long> ignoredChats = new HashSet<>();
    private volatile boolean closing;
    private long offset;
    private boolean failing;
    private Duration backoff = FIRST_BACKOFF;

    public TelegramBot(TelegramApi api, TelegramCommands commands, Clock clock) {
        this(api, commands, clock, Dispatcher.Sleeper.REAL);
    }

    TelegramBot(TelegramApi api, TelegramCommands commands, Clock clock, Dispatcher.Sleeper sleeper) {
        this.api = api;
        this.commands = commands;
        this.clock = clock;
        this.sleeper = sleeper;
        this.poller = new Thread(this::pollUntilClosed, "perp-trader-telegram");
        this.poller.setDaemon(true);
        this.replies = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "perp-trader-telegram-reply");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts reading commands. */
    public void start() {
        poller.start();
        LOG.info("telegram: reading commands (/help lists them)");
    }

    private void pollUntilClosed() {
        while (!closing) {
            try {
                if (!pollOnce()) {
                    sleeper.sleep(backoff);
                    backoff =
                            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * One getUpdates and the handling of what it returns; false if the Bot API could not be read
     * (the caller backs off). Never throws.
     */
    boolean pollOnce() {
        List<TelegramUpdate> updates;
        try {
            updates = api.getUpdates(offset, (int) POLL_TIMEOUT.toSeconds());
        } catch (DeliveryFailed e) {
            if (closing) {
                return true;
            }
            if (!failing) {
                failing = true;
                LOG.warn(
                        "telegram: cannot read commands ({}); retrying with backoff, logged again when it recovers",
                        e.getMessage());
            }
            return false;
        } catch (RuntimeException e) {
            LOG.error(
                    "telegram: reading commands failed unexpectedly ({}); retrying",
                    e.getClass().getSimpleName());
            return false;
        }
        if (failing) {
            failing = false;
            LOG.info("telegram: reading commands again");
        }
        backoff = FIRST_BACKOFF;
        for (TelegramUpdate u : updates) {
            offset = Math.max(offset, u.updateId() + 1);
            try {
                act(commands.handle(u, clock.instant()));
            } catch (RuntimeException e) {
                LOG.error(
                        "telegram: a command from chat {} failed: {}",
                        u.chatId(),
                        e.getClass().getSimpleName());
                reply(u.chatId(), "that command failed (" + e.getClass().getSimpleName() + "); see the bot's log");
            }
        }
        return true;
    }

    private void act(TelegramCommands.Outcome outcome) {
        if (outcome instanceof TelegramCommands.Outcome.Ignored i) {
            if (ignoredChats.size() >= MAX_IGNORED_CHATS_REMEMBERED) {
                ignoredChats.clear(); // many strangers: log each once again rather than grow without end
            }
            if (ignoredChats.add(i.chatId())) {
                LOG.info(
                        "telegram: ignored a message from chat {}: not alerts.telegram.chat_id or allowed_chat_ids"
                                + " (further ones from it are logged at DEBUG)",
                        i.chatId());
            } else {
                LOG.debug("telegram: ignored a message from chat {}", i.chatId());
            }
        } else if (outcome instanceof TelegramCommands.Outcome.Reply r) {
            reply(r.chatId(), r.text());
        } else if (outcome instanceof TelegramCommands.Outcome.Deferred d) {
            LOG.info("telegram: chat {} confirmed /closeall", d.chatId());
            reply(d.chatId(), d.ack());
            d.result()
                    .whenComplete((text, error) ->
                            reply(d.chatId(), error == null ? text : "close-all did not run: " + reason(error)));
        } else {
            throw new AssertionError(outcome);
        }
    }

    /** Queues a reply; sent on the reply thread, a failure logged (scrubbed). */
    private void reply(long chatId, String text) {
        try {
            replies.execute(() -> {
                try {
                    api.sendMessage(chatId, text);
                } catch (DeliveryFailed e) {
                    LOG.warn("telegram: could not reply to chat {}: {}", chatId, e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("telegram: stopping, reply to chat {} not sent", chatId);
        }
    }

    private static String reason(Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** Stops reading, cancels the poll in flight, and gives pending replies a few seconds. */
    @Override
    public void close() {
        closing = true;
        api.cancelPoll();
        poller.interrupt();
        try {
            poller.join(5_000);
            replies.shutdown();
            if (!replies.awaitTermination(5, TimeUnit.SECONDS)) {
                replies.shutdownNow();
            }
        } catch (InterruptedException e) {
            replies.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
