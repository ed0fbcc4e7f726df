package dev.perptrader.cli;

import dev.perptrader.domain.Mode;
import dev.perptrader.store.Store;
import java.nio.file.Path;
import java.util.Optional;

/** An existing database (the bot's book), opened, and the mode it records (empty: no pair yet). */
record Book(Path file, Store store, Optional<Mode> mode) {
    /** "live database /home/me/perp_trader.db": the line a command prints before it reads or acts. */
    String describe() {
        return mode.map(m -> m.configName() + " database " + file)
                .orElse("database " + file + " (no mode recorded yet: it holds no pair)");
    }
}
