package dev.perptrader.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The owner's Telegram commands as a plain function: {@link #handle} decides, from one update and
 * the time, whether to ignore it, what to reply, and what to ask of the bot ({@link OwnerControl}).
 * Only the owner's chat (alerts.telegram.chat_id) and alerts.telegram.allowed_chat_ids are
 * obeyed. {@code /closeall} needs a one-time code: the first {@code /closeall} answers with six
 * random digits, valid {@link #CODE_VALIDITY}, and only {@code /closeall CODE} from the same chat
 * closes anything; a wrong code uses the code up. Used by one thread (the poller).
 */
public final class TelegramCommands {
    static final Duration CODE_VALIDITY = Duration.ofMinutes(2);
    static final int DEFAULT_HISTORY = 5;
    static final int MAX_HISTORY = 50;

    static final String HELP = """
            perp-trader commands:
            /status - open pairs, and whether opening is allowed or paused
            /history [n] - the last n closed pairs (default 5) with net PnL and a total
            /pause - stop opening new pairs (open pairs are still monitored and closed)
            /resume - allow opening again (lifts any pause, as 'perp-trader resume' does)
            /closeall - close every open pair now and pause opening; asks for a one-time code first
            /help - this list""";

    /** What to do with one update. */
    public sealed interface Outcome {
        /** From a chat that is not allowed: nothing is done and nothing replied. */
        record Ignored(long chatId) implements Outcome {}

        /** Reply {@code text} to the chat. */
        record Reply(long chatId, String text) implements Outcome {}

        /** Reply {@code ack} now, and {@code result}'s text when the trading loop has acted. */
        record Deferred(long chatId, String ack, CompletableFuture<String> result) implements Outcome {}
    }

    private record Pending(String code, Instant expires) {}

    private final long ownerChatId;
    private final Set<Long> allowed;
    private final OwnerControl control;
    private final RandomGenerator random;
    private final Map<Long, Pending> pending = new HashMap<>();

    /**
     * @param random where one-time codes come from: a {@code SecureRandom} outside tests
     */
    public TelegramCommands(
            long ownerChatId, Collection<Long> allowedChatIds, OwnerControl control, RandomGenerator random) {
        this.ownerChatId = ownerChatId;
        this.allowed = Set.copyOf(allowedChatIds);
        this.control = control;
        this.random = random;
    }

    /** True if commands from {@code chatId} are obeyed. */
    public boolean allowed(long chatId) {
        return chatId != 0 && (chatId == ownerChatId || allowed.contains(chatId));
    }

    public Outcome handle(TelegramUpdate update, Instant now) {
        long chat = update.chatId();
        if (!allowed(chat)) {
            return new Outcome.Ignored(chat);
        }
        String[] words = update.text().strip().split("\\s+");
        String command = words[0].toLowerCase(Locale.ROOT);
        int at = command.indexOf('@'); // "/status@MyBot" in groups
        if (at > 0) {
            command = command.substring(0, at);
        }
        String arg = words.length > 1 ? words[1] : null;
        if (words.length > 2) {
            return reply(chat, "too many words: " + command + " takes at most one; /help lists the commands");
        }
        return switch (command) {
            case "/status" -> arg != null ? reply(chat, "/status takes nothing") : reply(chat, control.status(now));
            case "/history" -> history(chat, arg);
            case "/pause" ->
                arg != null
                        ? reply(chat, "/pause takes nothing")
                        : reply(chat, control.pause("paused from Telegram by chat " + chat, now));
            case "/resume" -> arg != null ? reply(chat, "/resume takes nothing") : reply(chat, control.resume(now));
            case "/closeall" -> arg == null ? newCode(chat, now) : confirm(chat, arg, now);
            case "/help", "/start" -> reply(chat, HELP);
            default ->
                reply(
                        chat,
                        command.startsWith("/")
                                ? "unknown command " + shown(command) + "; /help lists them"
                                : "send a command; /help lists them");
        };
    }

    private Outcome history(long chat, String arg) {
        int n = DEFAULT_HISTORY;
        if (arg != null) {
            try {
                n = Integer.parseInt(arg);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_HISTORY) {
                return reply(chat, "usage: /history [n], n from 1 to " + MAX_HISTORY);
            }
        }
        return reply(chat, control.history(n));
    }

    private Outcome newCode(long chat, Instant now) {
        String code = String.format("%06d", random.nextInt(1_000_000));
        pending.put(chat, new Pending(code, now.plus(CODE_VALIDITY)));
        return reply(
                chat,
                "This closes every open pair now (reduce-only) and pauses opening until /resume."
                        + " To confirm, send within " + CODE_VALIDITY.toMinutes() + " minutes:\n/closeall " + code);
    }

    private Outcome confirm(long chat, String code, Instant now) {
        Pending p = pending.remove(chat); // one guess per code
        if (p == null) {
            return reply(chat, "no close-all is waiting for a code: nothing closed. Send /closeall first.");
        }
        if (!now.isBefore(p.expires())) {
            return reply(chat, "that code expired: nothing closed. Send /closeall for a new one.");
        }
        if (!MessageDigest.isEqual(
                p.code().getBytes(StandardCharsets.US_ASCII), code.getBytes(StandardCharsets.UTF_8))) {
            return reply(chat, "wrong code: nothing closed. Send /closeall for a new one.");
        }
        CompletableFuture<String> result = control.closeAll("requested from Telegram by chat " + chat);
        return new Outcome.Deferred(
                chat, "closing every open pair and pausing opening; I will reply when done.", result);
    }

    private static Outcome reply(long chat, String text) {
        return new Outcome.Reply(chat, text);
    }

    /** A command word the user typed, kept short in a reply. */
    private static String shown(String word) {
        return word.length() <= 32 ? word : word.substring(0, 32) + "...";
    }
}
