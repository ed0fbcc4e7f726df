package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Mode;
import dev.perptrader.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * How a command on an existing book (status, history, alerts, report, close-all, recover, resume)
 * finds it: {@code --db FILE} when given; else {@code database.url} when set; else, with {@code
 * --mode M}, M's own file; else the one per-mode file that exists in the working directory
 * (several: the user must choose). The book's recorded mode, not the configured one, is the mode
 * the command acts in.
 */
final class BookChoice {
    /** The order per-mode files are looked for and listed in: the one with real money first. */
    private static final List<Mode> MODES = List.of(Mode.LIVE, Mode.SIM, Mode.PAPER);

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            description = "sim, paper or live: use that mode's database (needed only when several exist here)")
    String mode;

    @Option(
            names = "--db",
            paramLabel = "FILE",
            description = "this database file (a simulate output, a copy), instead of database.url")
    Path db;

    /** The configuration, with {@code --mode} and {@code --db} (as database.url) applied when given. */
    AppConfig load(ConfigOption config) {
        Map<String, String> overrides = new HashMap<>();
        if (mode != null) {
            overrides.put("mode", mode);
        }
        if (db != null) {
            overrides.put("database.url", db.toAbsolutePath().toString());
        }
        return config.load(overrides);
    }

    /** The book's file; a missing file, or a choice left to make, is a one-line {@link UsageError}. */
    Path locate(AppConfig cfg) {
        Path configured = cfg.database().path();
        if (db != null) {
            if (!Files.isRegularFile(configured)) {
                throw new UsageError("no database at " + configured + " (--db)");
            }
            return configured;
        }
        if (!cfg.database().isModeDefault() || mode != null) {
            if (!Files.exists(configured)) {
                throw new UsageError("no database at " + configured
                        + " (nothing has run yet: start with 'perp-trader run', or set database.url)");
            }
            return configured;
        }
        List<Mode> found = new ArrayList<>();
        for (Mode m : MODES) {
            if (Files.exists(configured.resolveSibling(AppConfig.Database.defaultFile(m)))) {
                found.add(m);
            }
        }
        Path folder = configured.toAbsolutePath().getParent();
        if (found.isEmpty()) {
            throw new UsageError("no database in " + folder + " (looked for " + names(MODES, false)
                    + "): nothing has run here yet; start with 'perp-trader run', or set database.url");
        }
        if (found.size() > 1) {
            throw new UsageError("several databases in " + folder + ": " + names(found, true)
                    + "; choose one with --mode "
                    + found.stream().map(Mode::configName).collect(Collectors.joining("|")) + ", or set database.url");
        }
        return configured.resolveSibling(AppConfig.Database.defaultFile(found.get(0)));
    }

    /** Opens the book at {@code file}; with {@code --mode}, the book must be of that mode. */
    Book open(Path file, AppConfig cfg) {
        return book(file, cfg, Store.open(file));
    }

    /** As {@link #open}, read-only: for commands that only read, beside a running bot. */
    Book read(Path file, AppConfig cfg) {
        return book(file, cfg, Store.openForReading(file));
    }

    private Book book(Path file, AppConfig cfg, Store store) {
        Optional<Mode> recorded = store.mode();
        if (mode != null && recorded.isPresent() && recorded.get() != cfg.mode()) {
            throw new UsageError(file + " is a " + recorded.get().configName() + " database, not "
                    + cfg.mode().configName()
                    + ": leave out --mode (the database's own mode is used), or set database.url");
        }
        return new Book(file, store, recorded);
    }

    /**
     * The configuration to act on {@code book} with: the book's mode (the configured one while
     * the book records none) and the book's file, whatever the configuration said.
     */
    static AppConfig acting(ConfigOption config, Book book, AppConfig cfg) {
        Mode m = book.mode().orElse(cfg.mode());
        if (m == cfg.mode() && book.file().equals(cfg.database().path())) {
            return cfg;
        }
        return config.load(Map.of(
                "mode",
                m.configName(),
                "database.url",
                book.file().toAbsolutePath().toString()));
    }

    private static String names(List<Mode> modes, boolean withMode) {
        return modes.stream()
                .map(m -> AppConfig.Database.defaultFile(m) + (withMode ? " (" + m.configName() + ")" : ""))
                .collect(Collectors.joining(", "));
    }
}
