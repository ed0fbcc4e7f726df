package dev.perptrader.trader;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the loop may try to open a pair now: a plain function of one {@link Snapshot}. The
 * checks run in a fixed order and the first that holds opening back decides, with the alert to
 * raise (if any). A {@link Decision.Try} still passes the exposure gate (which reads the venues)
 * before an order is sent.
 */
final class OpeningPolicy {
    private static final Set<PairStatus> MID_WAY = EnumSet.of(PairStatus.OPENING, PairStatus.UNHEDGED);

    private OpeningPolicy() {}

    /**
     * What the decision reads. {@code todaysPnl} is today's (UTC) realized net PnL plus open
     * pairs' unrealized PnL; {@code dailyLossLimit} 0 means no limit; {@code pairLimit} is the
     * {@code --pairs} flag (null: none).
     */
    record Snapshot(
            Instant now,
            boolean stopping,
            Path killSwitchFile,
            boolean killSwitchPresent,
            Instant nextOpenAt,
            BigDecimal todaysPnl,
            BigDecimal dailyLossLimit,
            Integer pairLimit,
            int openedThisRun,
            Optional<Store.Pause> pause,
            List<HedgePair> active,
            int maxOpenPairs) {
        Snapshot {
            active = List.copyOf(active);
        }
    }

    /** Try to open, or hold (with the alert to raise, if the reason is one the owner must see). */
    sealed interface Decision permits Decision.Try, Decision.Hold {
        record Try() implements Decision {}

        /** Not now; {@code alert} is null when holding back is the normal course (cooldown, full). */
        record Hold(String why, Alert alert) implements Decision {}

        /** The alert a hold raises. */
        record Alert(AlertKind kind, Alerts.Level level, String message) {}
    }

    static Decision decide(Snapshot s) {
        if (s.stopping()) {
            return hold("stopping");
        }
        if (s.killSwitchPresent()) {
            return hold(
                    "kill switch",
                    AlertKind.KILL_SWITCH,
                    Alerts.Level.WARN,
                    "kill-switch file " + s.killSwitchFile()
                            + " exists: no new pairs; open pairs are still monitored and closed");
        }
        if (s.now().isBefore(s.nextOpenAt())) {
            return hold("cooldown until " + s.nextOpenAt());
        }
        BigDecimal limit = s.dailyLossLimit();
        if (limit.signum() != 0 && s.todaysPnl().compareTo(limit.negate()) <= 0) {
            return hold(
                    "daily loss limit",
                    AlertKind.DAILY_LOSS_LIMIT,
                    Alerts.Level.WARN,
                    "today's PnL "
                            + Money.usd(s.todaysPnl()) + " reached the daily loss limit of " + limit
                            + " USD: no new pairs until 00:00 UTC; open pairs are still monitored and closed");
        }
        if (s.pairLimit() != null && s.openedThisRun() >= s.pairLimit()) {
            return hold("--pairs " + s.pairLimit() + " opened");
        }
        if (s.pause().isPresent()) {
            Store.Pause p = s.pause().get();
            return hold(
                    "paused",
                    AlertKind.OPENING_PAUSED,
                    Alerts.Level.ERROR,
                    "opening paused since " + p.pausedAt() + ": " + p.cause());
        }
        if (s.active().stream().anyMatch(p -> MID_WAY.contains(p.status()))) {
            return hold("a pair is mid-way");
        }
        if (s.active().size() >= s.maxOpenPairs()) {
            return hold(s.active().size() + " pair(s) active, trading.max_open_pairs " + s.maxOpenPairs());
        }
        return new Decision.Try();
    }

    private static Decision hold(String why) {
        return new Decision.Hold(why, null);
    }

    private static Decision hold(String why, AlertKind kind, Alerts.Level level, String message) {
        return new Decision.Hold(why, new Decision.Alert(kind, level, message));
    }
}
