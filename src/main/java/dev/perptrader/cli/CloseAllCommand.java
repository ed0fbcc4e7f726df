package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.store.InstanceLock;
import dev.perptrader.store.Store;
import dev.perptrader.trader.Orchestrator;
import java.io.Console;
import java.io.PrintWriter;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code close-all}: unwind every open pair now, reduce-only, and report what happened. */
@Command(
        name = "close-all",
        mixinStandardHelpOptions = true,
        description =
                "Close every open pair now (reduce-only, pairs concurrently) and report. The bot must be stopped.")
final class CloseAllCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Mixin
    BookChoice choice;

    @Option(names = "--dry-run", description = "only list what would be closed")
    boolean dryRun;

    @Option(names = "--yes", description = "do not ask for confirmation")
    boolean yes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AppConfig configured = choice.load(config);
        PrintWriter out = spec.commandLine().getOut();
        Path file = choice.locate(configured);
        try (InstanceLock lock = InstanceLock.acquire(file)) {
            Book book = choice.open(file, configured);
            Store store = book.store();
            // the database's mode, whatever the configured one: a live book is closed on the live venues
            AppConfig cfg = BookChoice.acting(config, book, configured);
            out.println(book.describe());
            List<HedgePair> active = store.pairs(PairStatus.active());
            if (active.isEmpty()) {
                out.println("nothing to close: no open pairs");
                out.flush();
                return 0;
            }
            if (!dryRun) {
                SecretFiles.check(cfg, config.sources());
                store.checkWritable();
                if (!yes && System.console() == null) {
                    // refused before a word about closing: there is no terminal to ask on
                    throw notConfirmed(cfg.mode());
                }
            }
            out.println((dryRun ? "would close " : "closing ") + active.size() + " pair(s):");
            for (HedgePair p : active) {
                out.printf("  pair %d %s %s:", p.id(), p.asset(), p.status());
                for (Leg l : store.legs(p.id())) {
                    out.printf(
                            " %s %s %s",
                            l.side(), l.size().toPlainString(), l.venue().configName());
                }
                out.println();
            }
            out.flush();
            if (dryRun) {
                return 0;
            }
            if (!yes && !confirmed(active.size(), cfg.mode())) {
                throw notConfirmed(cfg.mode());
            }
            int stillOpen = 0;
            try (VenueSetup setup = VenueSetup.open(cfg, Clock.systemUTC());
                    Orchestrator orchestrator = setup.orchestrator(cfg, store)) {
                for (HedgePair p :
                        orchestrator.closeAll("CLOSE_ALL", 5, cfg.closer().retryBase())) {
                    boolean done = p.status().isTerminal();
                    stillOpen += done ? 0 : 1;
                    out.printf(
                            "  pair %d %s: %s%s%n",
                            p.id(),
                            p.asset(),
                            p.status(),
                            p.status() == PairStatus.CLOSED
                                    ? " net "
                                            + p.realizedPnl()
                                                    .subtract(p.fees())
                                                    .add(p.funding())
                                                    .setScale(2, RoundingMode.HALF_EVEN)
                                    : "");
                }
            }
            out.println(
                    stillOpen == 0
                            ? "all pairs are flat"
                            : stillOpen + " pair(s) not flat yet: see 'perp-trader alerts'; 'run' keeps retrying them");
            out.flush();
            return stillOpen == 0 ? 0 : 1;
        }
    }

    private static UsageError notConfirmed(Mode mode) {
        return new UsageError("close-all sends reduce-only market orders on " + mode.configName()
                + " venues: confirm at the prompt or add --yes (see what it would do with --dry-run)");
    }

    private static boolean confirmed(int pairs, Mode mode) {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        String answer =
                console.readLine("Close %d %s pair(s) now with market orders? [y/N] ", pairs, mode.configName());
        return answer != null
                && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    }
}
