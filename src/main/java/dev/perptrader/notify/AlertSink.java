package dev.perptrader.notify;

import dev.perptrader.trader.Alert;

/** Somewhere an alert can be sent: a webhook, a Telegram chat. */
public interface AlertSink {
    /** How logs and {@code alerts test} name the sink, e.g. "webhook (slack)"; never a URL or token. */
    String name();

    /**
     * Sends one alert and returns once the receiver accepted it.
     *
     * @throws DeliveryFailed when it did not; the message names no secret
     */
    void deliver(Alert alert) throws DeliveryFailed;
}
