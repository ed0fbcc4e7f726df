package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.store.InstanceLock;
import dev.perptrader.store.Store;
import dev.perptrader.trader.Orchestrator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code recover}: what {@code run} does first, alone: resolve every pair a crash left mid-way
 * (orders looked up by client id, rollbacks, trims, closes finished), then exit. Opens nothing.
 */
@Command(
        name = "recover",
        mixinStandardHelpOptions = true,
        description = "Resolve pairs a crash left OPENING, UNHEDGED or CLOSING, then exit. Opens nothing.")
final class RecoverCommand implements Callable<Integer> {
    private static final Set<PairStatus> MID_WAY =
            EnumSet.of(PairStatus.OPENING, PairStatus.UNHEDGED, PairStatus.CLOSING);

    @Mixin
    ConfigOption config;

    @Mixin
    BookChoice choice;

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
            // the database's mode, whatever the configured one: a live book is recovered on the live venues
            AppConfig cfg = BookChoice.acting(config, book, configured);
            out.println(book.describe());
            List<HedgePair> before = store.pairs(MID_WAY);
            if (before.isEmpty()) {
                out.println("nothing to recover");
                out.flush();
                return 0;
            }
            out.flush();
            SecretFiles.check(cfg, config.sources());
            store.checkWritable();
            try (VenueSetup setup = VenueSetup.open(cfg, Clock.systemUTC());
                    Orchestrator orchestrator = setup.orchestrator(cfg, store)) {
                orchestrator.recover();
                // a leg whose close was refused because it is already flat is confirmed over the window
                orchestrator.confirmSuspects(cfg.reconcile().confirmWindow().plusSeconds(5), Duration.ofSeconds(1));
            }
            int left = 0;
            for (HedgePair p : before) {
                PairStatus now = store.pair(p.id()).orElseThrow().status();
                left += MID_WAY.contains(now) ? 1 : 0;
                out.printf("pair %d %s: %s -> %s%n", p.id(), p.asset(), p.status(), now);
            }
            out.flush();
            return left == 0 ? 0 : 1;
        }
    }
}
