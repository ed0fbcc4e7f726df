package dev.perptrader.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Time formatting the read-only commands share. */
final class Stores {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Stores() {}

    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    /** "3h12m", "45s", "-2m" (overdue). */
    static String span(Duration d) {
        String sign = d.isNegative() ? "-" : "";
        d = d.abs();
        if (d.toHours() > 0) {
            return sign + d.toHours() + "h" + String.format("%02dm", d.toMinutesPart());
        }
        if (d.toMinutes() > 0) {
            return sign + d.toMinutes() + "m" + String.format("%02ds", d.toSecondsPart());
        }
        return sign + d.toSeconds() + "s";
    }
}
