package dev.perptrader.trader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Venue;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The opening decision over one snapshot: each check in its order, and which ones the owner hears of. */
final class OpeningPolicyTest {
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    private static final Path STOP = Path.of("STOP");

    /** Everything allows opening: no limit hit, nothing active, cooldown over. */
    private static OpeningPolicy.Snapshot allowed() {
        return new OpeningPolicy.Snapshot(
                NOW,
                false,
                STOP,
                false,
                NOW,
                BigDecimal.ZERO,
                new BigDecimal("250"),
                null,
                0,
                Optional.empty(),
                List.of(),
                2);
    }

    private static HedgePair pair(long id, PairStatus status) {
        return new HedgePair(
                id,
                "BTC",
                Venue.BACKPACK,
                Venue.HIBACHI,
                Mode.SIM,
                BigDecimal.ONE,
                new BigDecimal("0.01"),
                new BigDecimal("600"),
                status,
                3_600_000L,
                NOW,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    private static OpeningPolicy.Decision.Hold held(OpeningPolicy.Snapshot s) {
        OpeningPolicy.Decision d = OpeningPolicy.decide(s);
        assertThat(d).isInstanceOf(OpeningPolicy.Decision.Hold.class);
        return (OpeningPolicy.Decision.Hold) d;
    }

    @Test
    void opensWhenNothingHoldsItBack() {
        assertThat(OpeningPolicy.decide(allowed())).isInstanceOf(OpeningPolicy.Decision.Try.class);
    }

    @Test
    void aStoppingBotOpensNothingAndSaysNothing() {
        var hold = held(new OpeningPolicy.Snapshot(
                NOW,
                true,
                STOP,
                false,
                NOW,
                BigDecimal.ZERO,
                new BigDecimal("250"),
                null,
                0,
                Optional.empty(),
                List.of(),
                2));
        assertThat(hold.alert()).isNull();
    }

    @Test
    void theKillSwitchHoldsWithAWarningNamingTheFile() {
        var hold = held(new OpeningPolicy.Snapshot(
                NOW,
                false,
                STOP,
                true,
                NOW,
                BigDecimal.ZERO,
                new BigDecimal("250"),
                null,
                0,
                Optional.empty(),
                List.of(),
                2));
        assertThat(hold.alert().kind()).isEqualTo(AlertKind.KILL_SWITCH);
        assertThat(hold.alert().level()).isEqualTo(Alerts.Level.WARN);
        assertThat(hold.alert().message()).contains("kill-switch file STOP exists");
    }

    @Test
    void theCooldownHoldsQuietlyUntilItsEnd() {
        var later = new OpeningPolicy.Snapshot(
                NOW,
                false,
                STOP,
                false,
                NOW.plusSeconds(1),
                BigDecimal.ZERO,
                new BigDecimal("250"),
                null,
                0,
                Optional.empty(),
                List.of(),
                2);
        assertThat(held(later).alert()).isNull();
        var atEnd = new OpeningPolicy.Snapshot(
                NOW.plusSeconds(1),
                false,
                STOP,
                false,
                NOW.plusSeconds(1),
                BigDecimal.ZERO,
                new BigDecimal("250"),
                null,
                0,
                Optional.empty(),
                List.of(),
                2);
        assertThat(OpeningPolicy.decide(atEnd)).isInstanceOf(OpeningPolicy.Decision.Try.class);
    }

    @Test
    void aLossOfExactlyTheDailyLimitHoldsAndOneCentLessDoesNot() {
        var atLimit = new OpeningPolicy.Snapshot(
                NOW,
                false,
                STOP,
                false,
                NOW,
                new BigDecimal("-250"),
                new BigDecimal("250"),
                null,
                0,
                Optional.empty(),
                List.of(),
                2);
        assertThat(held(atLimit).alert().kind()).isEqualTo(AlertKind.DAILY_LOSS_LIMIT);
        var under = new OpeningPolicy.Snapshot(
                NOW,
                false,
                STOP,
                false,
                NOW,
                new BigDecimal("-249.99"),
                new BigDecimal("250"),
                null,
                0,
                Optional.empty(),
                List.of(),
                2);
        assertThat(OpeningPolicy.decide(under)).isInstanceOf(OpeningPolicy.Decision.Try.class);
        var noLimit = new OpeningPolicy.Snapshot(
                NOW,
                false,
                STOP,
                false,
                NOW,
                new BigDecimal("-100000"),
                BigDecimal.ZERO,
                null,
                0,
                Optional.empty(),
                List.of(),
                2);
        assertThat(OpeningPolicy.decide(noLimit)).isInstanceOf(OpeningPolicy.Decision.Try.class);
    }

    @Test
    void thePairsFlagHoldsOnceThatManyOpenedInThisRun() {
        var reached = new OpeningPolicy.Snapshot(
                NOW,
                false,
                STOP,
                false,
                NOW,
                BigDecimal.ZERO,
                new BigDecimal("250"),
                3,
                3,
                Optional.empty(),
                List.of(),
                2);
        assertThat(held(reached).alert()).isNull();
        var notYet = new OpeningPolicy.Snapshot(
                NOW,
                false,
                STOP,
                false,
                NOW,
                BigDecimal.ZERO,
                new BigDecimal("250"),
                3,
                2,
                Optional.empty(),
                List.of(),
                2);
        assertThat(OpeningPolicy.decide(notYet)).isInstanceOf(OpeningPolicy.Decision.Try.class);
    }

    @Test
    void aStoredPauseHoldsWithAnErrorGivingItsCause() {
        var paused = new OpeningPolicy.Snapshot(
                NOW,
                false,
                STOP,
                false,
                NOW,
                BigDecimal.ZERO,
                new BigDecimal("250"),
                null,
                0,
                Optional.of(new Store.Pause("paused from Telegram", NOW)),
                List.of(),
                2);
        var hold = held(paused);
        assertThat(hold.alert().kind()).isEqualTo(AlertKind.OPENING_PAUSED);
        assertThat(hold.alert().level()).isEqualTo(Alerts.Level.ERROR);
        assertThat(hold.alert().message()).contains("paused from Telegram");
    }

    @Test
    void aPairMidWayHoldsEvenWithRoomForMore() {
        for (PairStatus midWay : List.of(PairStatus.OPENING, PairStatus.UNHEDGED)) {
            var s = new OpeningPolicy.Snapshot(
                    NOW,
                    false,
                    STOP,
                    false,
                    NOW,
                    BigDecimal.ZERO,
                    new BigDecimal("250"),
                    null,
                    0,
                    Optional.empty(),
                    List.of(pair(1, midWay)),
                    5);
            assertThat(held(s).alert()).as(midWay.name()).isNull();
        }
        var closing = new OpeningPolicy.Snapshot(
                NOW,
                false,
                STOP,
                false,
                NOW,
                BigDecimal.ZERO,
                new BigDecimal("250"),
                null,
                0,
                Optional.empty(),
                List.of(pair(1, PairStatus.CLOSING)),
                5);
        assertThat(OpeningPolicy.decide(closing)).isInstanceOf(OpeningPolicy.Decision.Try.class);
    }

    @Test
    void asManyActivePairsAsAllowedHolds() {
        var full = new OpeningPolicy.Snapshot(
                NOW,
                false,
                STOP,
                false,
                NOW,
                BigDecimal.ZERO,
                new BigDecimal("250"),
                null,
                0,
                Optional.empty(),
                List.of(pair(1, PairStatus.OPEN), pair(2, PairStatus.CLOSING)),
                2);
        assertThat(held(full).why()).contains("trading.max_open_pairs 2");
        var room = new OpeningPolicy.Snapshot(
                NOW,
                false,
                STOP,
                false,
                NOW,
                BigDecimal.ZERO,
                new BigDecimal("250"),
                null,
                0,
                Optional.empty(),
                List.of(pair(1, PairStatus.OPEN)),
                2);
        assertThat(OpeningPolicy.decide(room)).isInstanceOf(OpeningPolicy.Decision.Try.class);
    }

    @Test
    void theKillSwitchIsReportedBeforeAPause() {
        var both = new OpeningPolicy.Snapshot(
                NOW,
                false,
                STOP,
                true,
                NOW,
                BigDecimal.ZERO,
                new BigDecimal("250"),
                null,
                0,
                Optional.of(new Store.Pause("two rollbacks", NOW)),
                List.of(),
                2);
        assertThat(held(both).alert().kind()).isEqualTo(AlertKind.KILL_SWITCH);
    }
}
