/**
 * Reaching the owner outside the process: alert sinks (a webhook, Telegram) delivered in the
 * background by one {@link dev.perptrader.notify.Dispatcher} per sink, and the owner's Telegram
 * commands. Depends on {@code config} and {@code trader.Alert} only; the trader never imports it
 * (sinks listen through {@code Alerts.addListener}, commands act through {@link
 * dev.perptrader.notify.OwnerControl}, which the command line wires). Secrets (the bot token, the
 * webhook URL) never reach a log line or an exception message: every error text is built here and
 * scrubbed by a {@link dev.perptrader.notify.Redactor}.
 */
package dev.perptrader.notify;
