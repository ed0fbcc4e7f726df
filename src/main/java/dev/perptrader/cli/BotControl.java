package dev.perptrader.cli;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.notify.OwnerControl;
import dev.perptrader.store.Store;
import dev.perptrader.trader.Orchestrator;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The owner's Telegram commands acting on the running bot: reads and the stored pause go straight
 * to the book (as {@code status}, {@code history} and {@code resume} do); closing every pair is
 * handed to the trading loop ({@link Orchestrator#requestCloseAll}).
 */
final class BotControl implements OwnerControl {
    private final Store store;
    private final Orchestrator orchestrator;

    BotControl(Store store, Orchestrator orchestrator) {
        this.store = store;
        this.orchestrator = orchestrator;
    }

    @Override
    public String status(Instant now) {
        StringBuilder out = new StringBuilder("opening: ").append(StatusCommand.opening(store));
        List<HedgePair> pairs = store.pairs(PairStatus.active());
        if (pairs.isEmpty()) {
            return out.append("\nno open pairs").toString();
        }
        out.append('\n').append(pairs.size()).append(" pair(s):");
        for (HedgePair p : pairs) {
            out.append("\n#")
                    .append(p.id())
                    .append(' ')
                    .append(p.asset())
                    .append(' ')
                    .append(p.status())
                    .append(": long ")
                    .append(p.longVenue().configName())
                    .append(", short ")
                    .append(p.shortVenue().configName())
                    .append(", notional ")
                    .append(Money.usd(p.notional()));
            unrealized(store.legs(p.id()))
                    .ifPresent(u -> out.append(", unrealized ").append(Money.usd(u)));
            if (store.legs(p.id()).stream().anyMatch(Leg::suspect)) {
                out.append(", a leg SUSPECT");
            }
            if (p.closeAt() != null) {
                out.append(", closes in ").append(Stores.span(Duration.between(now, p.closeAt())));
            }
        }
        return out.toString();
    }

    /** The legs' last unrealized PnL summed, if the monitor has marked any. */
    private static Optional<BigDecimal> unrealized(List<Leg> legs) {
        return legs.stream().map(Leg::unrealizedPnl).filter(u -> u != null).reduce(BigDecimal::add);
    }

    @Override
    public String history(int n) {
        List<HedgePair> pairs = store.closedPairs(n);
        if (pairs.isEmpty()) {
            return "no closed pairs yet";
        }
        StringBuilder out = new StringBuilder("last ").append(pairs.size()).append(" closed pair(s), newest first:");
        Figures total = Figures.NONE;
        for (HedgePair p : pairs) {
            Figures f = Figures.of(p);
            total = total.plus(f);
            out.append("\n#")
                    .append(p.id())
                    .append(' ')
                    .append(p.asset())
                    .append(" closed ")
                    .append(Stores.time(p.closedAt()))
                    .append(" (")
                    .append(p.closeReason())
                    .append("): net ")
                    .append(Money.usd(f.netPnl()));
        }
        return out.append("\ntotal of these ")
                .append(total.pairs())
                .append(": net ")
                .append(Money.usd(total.netPnl()))
                .append(", fees ")
                .append(Money.usd(total.fees()))
                .append(", volume ")
                .append(Money.usd(total.volume()))
                .toString();
    }

    @Override
    public String pause(String cause, Instant now) {
        if (store.pauseOpening(cause, now)) {
            return "opening paused: no new pair opens until /resume; open pairs are still monitored and closed";
        }
        Store.Pause p = store.openingPause().orElseThrow();
        return "opening was already paused since " + Stores.time(p.pausedAt()) + ": " + p.cause();
    }

    @Override
    public String resume(Instant now) {
        return store.resumeOpening(now)
                .map(p -> "opening resumed; it was paused since " + Stores.time(p.pausedAt()) + ": " + p.cause()
                        + "\nif the cause persists, the next failure pauses opening again")
                .orElse("opening was not paused; nothing to resume");
    }

    @Override
    public CompletableFuture<String> closeAll(String reason) {
        return orchestrator.requestCloseAll(reason).thenApply(BotControl::report);
    }

    /** "close-all: 2 pair(s)", one line per pair as it ended, and the pause now in force. */
    static String report(Orchestrator.CloseAllReport r) {
        StringBuilder out = new StringBuilder();
        if (r.pairs().isEmpty()) {
            out.append("close-all: there were no open pairs");
        } else {
            out.append("close-all: ").append(r.pairs().size()).append(" pair(s)");
            for (HedgePair p : r.pairs()) {
                out.append("\n#")
                        .append(p.id())
                        .append(' ')
                        .append(p.asset())
                        .append(' ')
                        .append(p.status());
                if (p.status() == PairStatus.CLOSED) {
                    out.append(", net ").append(Money.usd(Figures.of(p).netPnl()));
                } else {
                    out.append(" (the bot keeps retrying it every step)");
                }
            }
        }
        out.append(r.pause().map(p -> "\nopening paused: " + p.cause()).orElse("\nopening is NOT paused"));
        return out.toString();
    }
}
