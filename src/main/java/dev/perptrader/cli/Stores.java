package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.store.Store;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Helpers the read-only commands share. */
final class Stores {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private Stores() {
    }

    /** Opens the configured database; a missing file is a one-line error, not a new empty file. */
    static Store openExisting(AppConfig cfg) {
        if (!Files.exists(cfg.database().path())) {
            throw new UsageError("no database at " + cfg.database().path()
                    + " (nothing has run yet: start with 'perp-trader run', or set database.url)");
        }
        return Store.open(cfg.database().path());
    }

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
