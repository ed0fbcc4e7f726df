package dev.perptrader.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.LegStatus;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.store.Store;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The health decision as a plain function of a snapshot and an instant: every rule, at its edges. */
final class HealthTest {
    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final Health.Rules RULES = new Health.Rules(INTERVAL, Duration.ofMinutes(5));
    private static final List<Venue> VENUES = List.of(BackpackExchange.VENUE, HibachiExchange.VENUE);
    private static final Duration MS = Duration.ofMillis(1);

    /** A bot that ticked at {@code tick} and read both venues then. */
    private static Health.Snapshot ticking(Instant tick) {
        return new Health.Snapshot(
                START,
                Optional.of(tick),
                VENUES,
                List.of(ok(BackpackExchange.VENUE, tick), ok(HibachiExchange.VENUE, tick)),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.empty(),
                Optional.empty());
    }

    private static Store.VenueRead ok(Venue v, Instant at) {
        return new Store.VenueRead(v, Optional.of(at), Optional.empty(), Optional.empty());
    }

    private static Store.VenueRead failing(Venue v, Instant lastOk, Instant failedAt) {
        return new Store.VenueRead(
                v, Optional.ofNullable(lastOk), Optional.of(failedAt), Optional.of("connection refused"));
    }

    private static Health.Snapshot with(Health.Snapshot s, List<Store.VenueRead> reads) {
        return new Health.Snapshot(
                s.startedAt(),
                s.lastTickAt(),
                s.venues(),
                reads,
                s.pause(),
                s.unhedgedPairs(),
                s.suspectLegs(),
                s.unreadable(),
                s.stoppedAt());
    }

    private static Leg suspectLeg(long pairId, Venue venue, Side side, Instant since) {
        BigDecimal one = BigDecimal.ONE;
        return new Leg(
                7,
                pairId,
                venue,
                "BTC_USDC_PERP",
                side,
                one,
                one,
                BigDecimal.ZERO,
                new BigDecimal("60000"),
                null,
                null,
                null,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                LegStatus.OPEN,
                since,
                "the venue shows no position");
    }

    @Test
    void aBotThatTicksAndReadsBothVenuesIsHealthy() {
        Instant now = START.plusSeconds(90);
        Health h = Health.of(ticking(START.plusSeconds(60)), now, RULES);

        assertThat(h.ok()).isTrue();
        assertThat(h.reasons()).isEmpty();
        assertThat(h.checkedAt()).isEqualTo(now);
        assertThat(h.lastTickAgeSeconds()).isEqualTo(30);
        assertThat(h.venues())
                .extracting(Health.VenueHealth::reach)
                .containsExactly(Health.Reach.REACHABLE, Health.Reach.REACHABLE);
        assertThat(h.venues()).allMatch(v -> v.unreachableSince().isEmpty() && v.unreachableSeconds() == 0);
    }

    @Test
    void aLastTickOlderThanThreeIntervalsIsUnhealthyAndExactlyThreeIsNot() {
        Instant tick = START.plusSeconds(60);
        Instant limit = tick.plus(INTERVAL.multipliedBy(3));

        assertThat(Health.of(ticking(tick), limit, RULES).ok()).isTrue();
        Health late = Health.of(ticking(tick), limit.plus(MS), RULES);
        assertThat(late.ok()).isFalse();
        assertThat(late.reasons())
                .containsExactly("no monitor tick completed for 180 s (limit 180 s: 3 monitor intervals)");
        assertThat(Health.of(ticking(tick), tick.plus(Duration.ofHours(1)), RULES)
                        .reasons())
                .containsExactly("no monitor tick completed for 3600 s (limit 180 s: 3 monitor intervals)");
    }

    @Test
    void beforeTheFirstTickTheAgeCountsFromTheStart() {
        Health.Snapshot none = new Health.Snapshot(
                START,
                Optional.empty(),
                VENUES,
                List.of(),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.empty(),
                Optional.empty());

        Health young = Health.of(none, START.plusSeconds(180), RULES);
        assertThat(young.ok()).isTrue();
        assertThat(young.lastTickAt()).isEmpty();
        assertThat(young.lastTickAgeSeconds()).isEqualTo(180);
        assertThat(young.venues())
                .extracting(Health.VenueHealth::reach)
                .containsExactly(Health.Reach.NOT_READ, Health.Reach.NOT_READ);

        assertThat(Health.of(none, START.plusSeconds(181), RULES).reasons())
                .containsExactly(
                        "no monitor tick completed since the start 181 s ago (limit 180 s: 3 monitor intervals)");
    }

    @Test
    void aVenueUnreachableForLongerThanTheLimitIsUnhealthyCountedFromItsLastGoodRead() {
        Instant lastOk = START.plusSeconds(600);
        Instant now = lastOk.plus(Duration.ofMinutes(5));
        Health.Snapshot s = with(
                ticking(now.minusSeconds(10)),
                List.of(
                        ok(BackpackExchange.VENUE, now.minusSeconds(10)),
                        failing(HibachiExchange.VENUE, lastOk, now.minusSeconds(10))));

        Health atLimit = Health.of(s, now, RULES);
        assertThat(atLimit.ok()).isTrue();
        Health.VenueHealth hibachi = atLimit.venues().get(1);
        assertThat(hibachi.reach()).isEqualTo(Health.Reach.UNREACHABLE);
        assertThat(hibachi.unreachableSince()).contains(lastOk);
        assertThat(hibachi.unreachableSeconds()).isEqualTo(300);
        assertThat(hibachi.lastOkAt()).contains(lastOk);
        assertThat(hibachi.lastError()).contains("connection refused");

        Health past = Health.of(s, now.plus(MS), RULES);
        assertThat(past.ok()).isFalse();
        assertThat(past.reasons())
                .containsExactly("venue hibachi unreachable for 300 s (limit 300 s): connection refused");
    }

    @Test
    void aVenueLastReadBeforeThisRunOrNeverCountsAsUnreachableSinceTheStart() {
        Instant now = START.plus(Duration.ofMinutes(5));
        Health.Snapshot s = with(
                ticking(now.minusSeconds(10)),
                List.of(
                        failing(BackpackExchange.VENUE, START.minus(Duration.ofDays(2)), now.minusSeconds(10)),
                        failing(HibachiExchange.VENUE, null, now.minusSeconds(10))));

        Health h = Health.of(s, now, RULES);
        assertThat(h.ok()).isTrue();
        assertThat(h.venues())
                .extracting(v -> v.unreachableSince().orElseThrow())
                .containsExactly(START, START);
        assertThat(h.venues().get(0).lastOkAt()).contains(START.minus(Duration.ofDays(2)));
        assertThat(h.venues().get(1).lastOkAt()).isEmpty();

        assertThat(Health.of(s, now.plusSeconds(1), RULES).reasons())
                .containsExactly(
                        "venue backpack unreachable for 301 s (limit 300 s): connection refused",
                        "venue hibachi unreachable for 301 s (limit 300 s): connection refused");
    }

    @Test
    void aVenueWithoutAReadRowIsNotReadYetAndReadsOfUnconfiguredVenuesAreIgnored() {
        Instant now = START.plusSeconds(30);
        Health h = Health.of(
                with(ticking(now), List.of(ok(BackpackExchange.VENUE, now))),
                now,
                new Health.Rules(INTERVAL, Duration.ofMinutes(5)));
        assertThat(h.ok()).isTrue();
        assertThat(h.venues())
                .extracting(Health.VenueHealth::venue)
                .containsExactly(BackpackExchange.VENUE, HibachiExchange.VENUE);
        assertThat(h.venues().get(1).reach()).isEqualTo(Health.Reach.NOT_READ);

        Health.Snapshot oneVenue = new Health.Snapshot(
                START,
                Optional.of(now),
                List.of(BackpackExchange.VENUE),
                List.of(ok(BackpackExchange.VENUE, now), failing(HibachiExchange.VENUE, null, START)),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.empty(),
                Optional.empty());
        Health later = Health.of(oneVenue, now.plus(Duration.ofMinutes(2)), RULES);
        assertThat(later.ok()).isTrue();
        assertThat(later.venues()).extracting(Health.VenueHealth::venue).containsExactly(BackpackExchange.VENUE);
    }

    @Test
    void anUnhedgedPairOrASuspectLegIsUnhealthyAtOnce() {
        Instant now = START.plusSeconds(61);
        Health.Snapshot t = ticking(now);
        Leg leg = suspectLeg(4, HibachiExchange.VENUE, Side.SHORT, now.minusSeconds(5));
        Health.Snapshot s = new Health.Snapshot(
                START,
                t.lastTickAt(),
                VENUES,
                t.reads(),
                Optional.empty(),
                List.of(3L),
                List.of(leg),
                Optional.empty(),
                Optional.empty());

        Health h = Health.of(s, now, RULES);
        assertThat(h.ok()).isFalse();
        assertThat(h.unhedgedPairs()).containsExactly(3L);
        assertThat(h.suspectLegs()).containsExactly(leg);
        assertThat(h.reasons())
                .containsExactly(
                        "pair 3 is UNHEDGED",
                        "pair 4 SHORT leg on hibachi is SUSPECT since 2026-03-02T10:00:56Z: the venue shows no position");
    }

    @Test
    void aPauseOnOpeningIsReportedButNotUnhealthy() {
        Instant now = START.plusSeconds(61);
        Health.Snapshot t = ticking(now);
        Store.Pause pause = new Store.Pause("hibachi refused the signature", START);
        Health.Snapshot s = new Health.Snapshot(
                START,
                t.lastTickAt(),
                VENUES,
                t.reads(),
                Optional.of(pause),
                List.of(),
                List.of(),
                Optional.empty(),
                Optional.empty());

        Health h = Health.of(s, now, RULES);
        assertThat(h.ok()).isTrue();
        assertThat(h.pause()).contains(pause);
    }

    @Test
    void anUnreadableDatabaseOrAStoppedBotIsUnhealthy() {
        Instant now = START.plusSeconds(61);
        Health.Snapshot t = ticking(now);
        Health.Snapshot unreadable = new Health.Snapshot(
                START,
                t.lastTickAt(),
                VENUES,
                List.of(),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.of("database is locked"),
                Optional.empty());
        assertThat(Health.of(unreadable, now, RULES).reasons())
                .containsExactly("cannot read the database: database is locked");

        Health.Snapshot stopped = new Health.Snapshot(
                START,
                t.lastTickAt(),
                VENUES,
                t.reads(),
                Optional.empty(),
                List.of(),
                List.of(),
                Optional.empty(),
                Optional.of(now));
        assertThat(Health.of(stopped, now, RULES).reasons()).containsExactly("perp-trader stopped at " + now);
    }

    @Test
    void everyReasonIsListedInOrder() {
        Instant tick = START.plusSeconds(60);
        Instant now = tick.plus(Duration.ofMinutes(10));
        Health.Snapshot s = new Health.Snapshot(
                START,
                Optional.of(tick),
                VENUES,
                List.of(ok(BackpackExchange.VENUE, tick), failing(HibachiExchange.VENUE, START, tick)),
                Optional.empty(),
                List.of(2L),
                List.of(suspectLeg(2, BackpackExchange.VENUE, Side.LONG, tick)),
                Optional.empty(),
                Optional.empty());

        assertThat(Health.of(s, now, RULES).reasons())
                .containsExactly(
                        "no monitor tick completed for 600 s (limit 180 s: 3 monitor intervals)",
                        "venue hibachi unreachable for 660 s (limit 300 s): connection refused",
                        "pair 2 is UNHEDGED",
                        "pair 2 LONG leg on backpack is SUSPECT since 2026-03-02T10:01:00Z: the venue shows no position");
    }

    @Test
    void aClockSetBackReadsAsNoTimeAtAll() {
        Instant tick = START.plusSeconds(60);
        Health h = Health.of(ticking(tick), tick.minusSeconds(30), RULES);
        assertThat(h.ok()).isTrue();
        assertThat(h.lastTickAgeSeconds()).isZero();
    }

    @Test
    void rulesNeedPositiveLimitsAndHealthItsReasons() {
        assertThatThrownBy(() -> new Health.Rules(Duration.ZERO, Duration.ofMinutes(5)))
                .hasMessage("monitorInterval <= 0: PT0S");
        assertThatThrownBy(() -> new Health.Rules(INTERVAL, Duration.ofSeconds(-1)))
                .hasMessage("venueDownAfter <= 0: PT-1S");
        assertThat(RULES.tickStaleAfter()).isEqualTo(Duration.ofMinutes(3));
        assertThatThrownBy(() -> new Health(
                        false,
                        START,
                        START,
                        Optional.empty(),
                        0,
                        List.of(),
                        Optional.empty(),
                        List.of(),
                        List.of(),
                        List.of()))
                .hasMessage("ok = false but reasons = []");
    }

    @Test
    void theJsonNamesEveryFieldLikeStatusDoes() throws Exception {
        Instant tick = START.plusSeconds(60);
        Instant now = tick.plus(Duration.ofMinutes(10));
        Store.Pause pause = new Store.Pause("2 pairs in a row rolled back", START.plusSeconds(5));
        Health.Snapshot s = new Health.Snapshot(
                START,
                Optional.of(tick),
                VENUES,
                List.of(ok(BackpackExchange.VENUE, tick), failing(HibachiExchange.VENUE, START, tick)),
                Optional.of(pause),
                List.of(2L),
                List.of(suspectLeg(2, BackpackExchange.VENUE, Side.LONG, tick)),
                Optional.empty(),
                Optional.empty());

        JsonNode json = new ObjectMapper().readTree(HealthJson.of(Health.of(s, now, RULES)));

        assertThat(json.get("status").asText()).isEqualTo("unhealthy");
        assertThat(json.get("checked_at").asText()).isEqualTo("2026-03-02T10:11:00Z");
        assertThat(json.get("started_at").asText()).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(json.get("last_tick_at").asText()).isEqualTo("2026-03-02T10:01:00Z");
        assertThat(json.get("last_tick_age_seconds").asLong()).isEqualTo(600);
        JsonNode backpack = json.get("venues").get(0);
        assertThat(backpack.get("venue").asText()).isEqualTo("backpack");
        assertThat(backpack.get("reachable").asBoolean()).isTrue();
        assertThat(backpack.get("unreachable_since").isNull()).isTrue();
        JsonNode hibachi = json.get("venues").get(1);
        assertThat(hibachi.get("reachable").asBoolean()).isFalse();
        assertThat(hibachi.get("last_ok_at").asText()).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(hibachi.get("unreachable_since").asText()).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(hibachi.get("unreachable_seconds").asLong()).isEqualTo(660);
        assertThat(hibachi.get("last_error").asText()).isEqualTo("connection refused");
        assertThat(json.get("opening").get("state").asText()).isEqualTo("paused");
        assertThat(json.get("opening").get("cause").asText()).isEqualTo("2 pairs in a row rolled back");
        assertThat(json.get("opening").get("paused_at").asText()).isEqualTo("2026-03-02T10:00:05Z");
        assertThat(json.get("unhedged_pairs").get(0).asLong()).isEqualTo(2);
        JsonNode leg = json.get("suspect_legs").get(0);
        assertThat(leg.get("pair_id").asLong()).isEqualTo(2);
        assertThat(leg.get("side").asText()).isEqualTo("LONG");
        assertThat(leg.get("venue").asText()).isEqualTo("backpack");
        assertThat(leg.get("suspect_since").asText()).isEqualTo("2026-03-02T10:01:00Z");
        assertThat(leg.get("suspect_reason").asText()).isEqualTo("the venue shows no position");
        assertThat(json.get("reasons")).hasSize(4);

        JsonNode healthy = new ObjectMapper()
                .readTree(HealthJson.of(Health.of(
                        new Health.Snapshot(
                                START,
                                Optional.empty(),
                                VENUES,
                                List.of(),
                                Optional.empty(),
                                List.of(),
                                List.of(),
                                Optional.empty(),
                                Optional.empty()),
                        START.plusNanos(123_456_789),
                        RULES)));
        assertThat(healthy.get("status").asText()).isEqualTo("ok");
        assertThat(healthy.get("checked_at").asText()).as("to the millisecond").isEqualTo("2026-03-02T10:00:00.123Z");
        assertThat(healthy.get("last_tick_at").isNull()).isTrue();
        assertThat(healthy.get("venues").get(0).get("reachable").isNull()).isTrue();
        assertThat(healthy.get("opening").get("state").asText()).isEqualTo("allowed");
        assertThat(healthy.get("reasons")).isEmpty();
    }
}
