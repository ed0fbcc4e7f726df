package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.notify.AlertSinks;
import dev.perptrader.trader.Alert;
import dev.perptrader.trader.AlertKind;
import dev.perptrader.trader.Alerts;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code alerts test}: sends one WARN alert of kind TEST to every configured sink, now, and says
 * per sink whether it was delivered. The alert is not stored or logged as an alert: no database is
 * needed. Exit 0 if every sink took it, 1 if one failed or none is configured.
 */
@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Send one test alert (kind TEST, WARN) to every configured sink and report each.",
            "Exit 0 if all delivered, 1 if any failed or none is configured."
        })
final class AlertsTestCommand implements Callable<Integer> {
    static final String NONE =
            "no alert sinks configured (set alerts.webhook.url or alerts.telegram.bot_token + chat_id)";

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    private final Clock clock;

    AlertsTestCommand() {
        this(Clock.systemUTC());
    }

    AlertsTestCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        AppConfig cfg = config.load(Map.of());
        PrintWriter out = spec.commandLine().getOut();
        try (AlertSinks sinks = AlertSinks.fromConfig(cfg.alerts(), clock)) {
            if (sinks.isEmpty()) {
                out.println(NONE);
                out.flush();
                return 1;
            }
            Alert alert = new Alert(
                    clock.instant(),
                    Alerts.Level.WARN,
                    AlertKind.TEST,
                    null,
                    null,
                    "test alert from 'perp-trader alerts test': this sink works");
            List<AlertSinks.TestResult> results = sinks.test(alert);
            results.forEach(r -> out.println(r.line()));
            out.flush();
            return results.stream().allMatch(AlertSinks.TestResult::delivered) ? 0 : 1;
        }
    }
}
