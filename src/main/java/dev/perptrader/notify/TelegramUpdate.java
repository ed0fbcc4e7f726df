package dev.perptrader.notify;

/**
 * One update from the Bot API's {@code getUpdates}: its id, the chat it came from and the
 * message's text ("" for anything that is not a text message; chat 0 when it names no chat).
 */
public record TelegramUpdate(long updateId, long chatId, String text) {
    public TelegramUpdate {
        if (text == null) {
            throw new IllegalArgumentException("text is null (use \"\")");
        }
    }
}
