package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code alerts}: the latest alerts, newest first. */
@Command(name = "alerts", mixinStandardHelpOptions = true, description = "Show the latest alerts, newest first.")
final class AlertsCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Mixin
    BookChoice choice;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "how many alerts (default 50)")
    int limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new UsageError("--limit must be at least 1, got " + limit);
        }
        AppConfig cfg = choice.load(config);
        Book book = choice.read(choice.locate(cfg), cfg);
        List<Store.AlertRow> alerts = book.store().alerts(limit);
        PrintWriter out = spec.commandLine().getOut();
        out.println(book.describe());
        if (alerts.isEmpty()) {
            out.println("no alerts");
        } else {
            Table t = new Table("TIME (UTC)", "LEVEL", "KIND", "PAIR", "VENUE", "MESSAGE");
            for (Store.AlertRow a : alerts) {
                t.row(Stores.time(a.at()), a.level(), a.kind(), a.pairId(),
                        a.venue() == null ? null : a.venue().toLowerCase(Locale.ROOT), a.message());
            }
            t.print(out);
        }
        out.flush();
        return 0;
    }
}
