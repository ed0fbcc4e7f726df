package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.store.Store;
import dev.perptrader.testutil.Pairs;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The opening decision over one snapshot: each check in its order, and which ones the owner hears of. */
final class OpeningPolicyTest {
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    /** A snapshot in which nothing holds opening back; each test changes what it is about. */
    private static final class Snap {
        Instant now = NOW;
        boolean stopping;
        boolean killSwitch;
        Instant nextOpenAt = NOW;
        BigDecimal todaysPnl = BigDecimal.ZERO;
        BigDecimal dailyLossLimit = new BigDecimal("250");
        Integer pairLimit;
        int openedThisRun;
        Optional<Store.Pause> pause = Optional.empty();
        List<HedgePair> active = List.of();
        int maxOpenPairs = 2;

        OpeningPolicy.Decision decide() {
            return OpeningPolicy.decide(new OpeningPolicy.Snapshot(
                    now,
                    stopping,
                    Path.of("STOP"),
                    killSwitch,
                    nextOpenAt,
                    todaysPnl,
                    dailyLossLimit,
                    pairLimit,
                    openedThisRun,
                    pause,
                    active,
                    maxOpenPairs));
        }

        OpeningPolicy.Decision.Hold held() {
            OpeningPolicy.Decision d = decide();
            assertThat(d).isInstanceOf(OpeningPolicy.Decision.Hold.class);
            return (OpeningPolicy.Decision.Hold) d;
        }

        boolean tries() {
            return decide() instanceof OpeningPolicy.Decision.Try;
        }
    }

    private static HedgePair pair(long id, PairStatus status) {
        return Pairs.btc(id, status, NOW);
    }

    @Test
    void opensWhenNothingHoldsItBack() {
        assertThat(new Snap().tries()).isTrue();
    }

    @Test
    void aStoppingBotOpensNothingAndSaysNothing() {
        Snap s = new Snap();
        s.stopping = true;
        assertThat(s.held().alert()).isNull();
    }

    @Test
    void theKillSwitchHoldsWithAWarningNamingTheFile() {
        Snap s = new Snap();
        s.killSwitch = true;
        OpeningPolicy.Decision.Hold hold = s.held();
        assertThat(hold.alert().kind()).isEqualTo(AlertKind.KILL_SWITCH);
        assertThat(hold.alert().level()).isEqualTo(Alerts.Level.WARN);
        assertThat(hold.alert().message()).contains("kill-switch file STOP exists");
    }

    @Test
    void theCooldownHoldsQuietlyUntilItsEnd() {
        Snap s = new Snap();
        s.nextOpenAt = NOW.plusSeconds(1);
        assertThat(s.held().alert()).isNull();
        s.now = NOW.plusSeconds(1);
        assertThat(s.tries()).isTrue();
    }

    @Test
    void aLossOfExactlyTheDailyLimitHoldsAndOneCentLessDoesNot() {
        Snap s = new Snap();
        s.todaysPnl = new BigDecimal("-250");
        assertThat(s.held().alert().kind()).isEqualTo(AlertKind.DAILY_LOSS_LIMIT);
        s.todaysPnl = new BigDecimal("-249.99");
        assertThat(s.tries()).isTrue();
        s.todaysPnl = new BigDecimal("-100000");
        s.dailyLossLimit = BigDecimal.ZERO; // no limit
        assertThat(s.tries()).isTrue();
    }

    @Test
    void thePairsFlagHoldsOnceThatManyOpenedInThisRun() {
        Snap s = new Snap();
        s.pairLimit = 3;
        s.openedThisRun = 3;
        assertThat(s.held().alert()).isNull();
        s.openedThisRun = 2;
        assertThat(s.tries()).isTrue();
    }

    @Test
    void aStoredPauseHoldsWithAnErrorGivingItsCause() {
        Snap s = new Snap();
        s.pause = Optional.of(new Store.Pause("paused from Telegram", NOW));
        OpeningPolicy.Decision.Hold hold = s.held();
        assertThat(hold.alert().kind()).isEqualTo(AlertKind.OPENING_PAUSED);
        assertThat(hold.alert().level()).isEqualTo(Alerts.Level.ERROR);
        assertThat(hold.alert().message()).contains("paused from Telegram");
    }

    @Test
    void aPairMidWayHoldsEvenWithRoomForMore() {
        Snap s = new Snap();
        s.maxOpenPairs = 5;
        for (PairStatus midWay : List.of(PairStatus.OPENING, PairStatus.UNHEDGED)) {
            s.active = List.of(pair(1, midWay));
            assertThat(s.held().alert()).as(midWay.name()).isNull();
        }
        s.active = List.of(pair(1, PairStatus.CLOSING));
        assertThat(s.tries()).isTrue();
    }

    @Test
    void asManyActivePairsAsAllowedHolds() {
        Snap s = new Snap();
        s.active = List.of(pair(1, PairStatus.OPEN), pair(2, PairStatus.CLOSING));
        assertThat(s.held().why()).contains("trading.max_open_pairs 2");
        s.active = List.of(pair(1, PairStatus.OPEN));
        assertThat(s.tries()).isTrue();
    }

    @Test
    void theKillSwitchIsReportedBeforeAPause() {
        Snap s = new Snap();
        s.killSwitch = true;
        s.pause = Optional.of(new Store.Pause("two rollbacks", NOW));
        assertThat(s.held().alert().kind()).isEqualTo(AlertKind.KILL_SWITCH);
    }
}
