package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.KeyProof;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.notify.AlertSinks;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code check}: validates the configuration and the keys, makes one account read per venue
 * (signed in live mode) and prints equity, free collateral, clock offset and the markets both
 * venues share. Trades nothing.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Validate config and keys, read each venue's account once, show shared markets. Trades nothing.")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--mode", paramLabel = "MODE", description = "sim, paper or live (default: from config)")
    String mode;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new HashMap<>();
        if (mode != null) {
            overrides.put("mode", mode);
        }
        AppConfig cfg = config.load(overrides);
        SecretFiles.check(cfg, config.sources());
        PrintWriter out = spec.commandLine().getOut();
        int failures = 0;
        // building the venues validates the keys (ConfigError, exit 2): only then is the configuration OK
        try (VenueSetup setup = VenueSetup.open(cfg, Clock.systemUTC())) {
            out.println("configuration OK (mode " + cfg.mode().configName() + "); effective values, secrets masked:");
            ConfigLoader.describe(cfg).lines().forEach(l -> out.println("  " + l));
            out.println("alert sinks ('perp-trader alerts test' sends each a test alert):");
            AlertSinks.describe(cfg.alerts()).forEach(l -> out.println("  " + l));
            out.println();
            Map<Venue, Set<String>> listed = new HashMap<>();
            // venue names in one column: "backpack:" and "hibachi: " as before, wider for longer names
            int width = cfg.trading().venues().stream()
                    .mapToInt(v -> v.configName().length() + 1)
                    .reduce(9, Math::max);
            for (Venue v : cfg.trading().venues()) {
                PerpExchange ex = setup.venues().get(v);
                try {
                    Map<String, MarketRules> markets = ex.markets();
                    Set<String> open = new TreeSet<>();
                    markets.forEach((asset, rules) -> {
                        if (rules.open()) {
                            open.add(asset);
                        }
                    });
                    listed.put(v, open);
                    AccountState account = ex.account();
                    out.printf(
                            "%-" + width + "s %d open perp markets, equity %s, free collateral %s, %d position(s),"
                                    + " clock offset %s%n",
                            v.configName() + ":",
                            open.size(),
                            Money.usd(account.equity()),
                            Money.usd(account.freeCollateral()),
                            account.positions().size(),
                            ex.clockOffset().map(CheckCommand::offset).orElse("n/a"));
                    if (cfg.mode() == Mode.LIVE) {
                        failures += proveKey(out, v, ex, width);
                    }
                } catch (ExchangeException e) {
                    failures++;
                    out.println(v.configName() + ": FAILED: " + e.getMessage());
                }
            }
            if (listed.size() == cfg.trading().venues().size()) {
                Set<String> shared =
                        new TreeSet<>(listed.get(cfg.trading().venues().get(0)));
                shared.retainAll(listed.get(cfg.trading().venues().get(1)));
                List<String> tradable = cfg.trading().markets().stream()
                        .filter(shared::contains)
                        .toList();
                out.println("markets both venues list: " + String.join(", ", shared));
                out.println("configured markets tradable on both: "
                        + (tradable.isEmpty() ? "NONE (check trading.markets)" : String.join(", ", tradable)));
                if (tradable.isEmpty()) {
                    failures++;
                }
            }
        }
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    /**
     * Asks the venue to verify our signing key with a signed request that cannot trade. A key the
     * venue refuses fails the check; a venue with no such request says so instead of "OK".
     */
    private static int proveKey(PrintWriter out, Venue v, PerpExchange ex, int width) {
        KeyProof proof = ex.proveKeys();
        String line = switch (proof.verdict()) {
            case PROVEN -> "signing key OK: " + proof.detail();
            case WRONG -> "signing key REFUSED: " + proof.detail();
            case CANNOT_PROVE -> "signing key NOT PROVEN (cannot tell without trading): " + proof.detail();
        };
        out.printf("%-" + width + "s %s%n", v.configName() + ":", line);
        return proof.verdict() == KeyProof.Verdict.WRONG ? 1 : 0;
    }

    private static String offset(Duration d) {
        return (d.isNegative() ? "" : "+") + d.toMillis() + " ms";
    }
}
