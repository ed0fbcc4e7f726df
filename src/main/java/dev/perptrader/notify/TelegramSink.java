package dev.perptrader.notify;

import dev.perptrader.trader.Alert;

/** Sends each alert as a plain-text message to the owner's chat (alerts.telegram.chat_id). */
public final class TelegramSink implements AlertSink {
    private final TelegramApi api;
    private final long chatId;

    public TelegramSink(TelegramApi api, long chatId) {
        this.api = api;
        this.chatId = chatId;
    }

    @Override
    public String name() {
        return "telegram";
    }

    @Override
    public void deliver(Alert alert) throws DeliveryFailed {
        api.sendMessage(chatId, AlertText.of(alert));
    }
}
