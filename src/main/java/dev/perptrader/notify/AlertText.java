package dev.perptrader.notify;

import dev.perptrader.trader.Alert;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** An alert as a short plain text, the same for Telegram, Slack and Discord. */
final class AlertText {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private AlertText() {}

    /**
     * Three lines: {@code ERROR UNHEDGED pair 3 on hibachi}, the message, the time (UTC); pair and
     * venue only when the alert has them.
     */
    static String of(Alert a) {
        StringBuilder head = new StringBuilder().append(a.level()).append(' ').append(a.kind());
        if (a.pairId() != null) {
            head.append(" pair ").append(a.pairId());
        }
        if (a.venue() != null) {
            head.append(" on ").append(a.venue().configName());
        }
        return head + "\n" + a.message() + "\n" + TIME.format(a.at());
    }

    /** The text cut to {@code max} characters, ending in "..." when cut. */
    static String atMost(String text, int max) {
        if (max < 4) {
            throw new IllegalArgumentException("max < 4: " + max);
        }
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
