package dev.perptrader.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perptrader.config.AppConfig;
import dev.perptrader.store.Store;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code alerts}: the latest alerts, newest first, as a table or as JSON named like the {@code alerts}
 * columns; {@code alerts test} ({@link AlertsTestCommand}) tries the sinks.
 */
@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        subcommands = AlertsTestCommand.class,
        description = {
            "Show the latest alerts, newest first.",
            "'alerts test' sends a test alert to every configured sink (webhook, Telegram)."
        })
final class AlertsCommand implements Callable<Integer> {
    enum Format {
        table,
        json
    }

    @Mixin
    ConfigOption config;

    @Mixin
    BookChoice choice;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "how many alerts (default 50)")
    int limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table (default) or json")
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            throw new UsageError("--limit must be at least 1, got " + limit);
        }
        AppConfig cfg = choice.load(config);
        Book book = choice.read(choice.locate(cfg), cfg);
        List<Store.AlertRow> alerts = book.store().alerts(limit);
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            // stdout stays machine-readable
            PrintWriter err = spec.commandLine().getErr();
            err.println(book.describe());
            err.flush();
            out.println(json(alerts));
        } else {
            out.println(book.describe());
            table(alerts, out);
        }
        out.flush();
        return 0;
    }

    private static void table(List<Store.AlertRow> alerts, PrintWriter out) {
        if (alerts.isEmpty()) {
            out.println("no alerts");
            return;
        }
        Table t = new Table("AT", "LEVEL", "KIND", "PAIR_ID", "VENUE", "MESSAGE");
        for (Store.AlertRow a : alerts) {
            t.row(Stores.time(a.at()), a.level(), a.kind(), a.pairId(), venue(a), a.message());
        }
        t.print(out);
    }

    private static String json(List<Store.AlertRow> alerts) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ArrayNode arr = root.putArray("alerts");
        for (Store.AlertRow a : alerts) {
            ObjectNode n = arr.addObject();
            n.put("id", a.id());
            n.put("at", a.at().toString());
            n.put("level", a.level());
            n.put("kind", a.kind());
            n.put("pair_id", a.pairId());
            n.put("venue", venue(a));
            n.put("message", a.message());
        }
        return mapper.writeValueAsString(root);
    }

    /** The venue by its config name ("backpack"), as configured. */
    private static String venue(Store.AlertRow a) {
        return a.venue() == null ? null : a.venue().toLowerCase(Locale.ROOT);
    }
}
