package dev.perptrader.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Each rule of the crash test's {@link Invariants} on a book that keeps it and on one that
 * breaks it: a pair OPEN on BTC (long Backpack, short Hibachi, 0.01 each) and a pair CLOSED on
 * SOL, with the venues' own records to match.
 */
final class InvariantsTest {
    private static final String BP = "backpack";
    private static final String HB = "hibachi";
    private static final String BTC_BP = "BTC_USDC_PERP";
    private static final String BTC_HB = "BTC/USDT-P";
    private static final String SOL_BP = "SOL_USDC_PERP";
    private static final String SOL_HB = "SOL/USDT-P";

    private final List<Book.Pair> pairs =
            new ArrayList<>(List.of(new Book.Pair(1, "BTC", "OPEN"), new Book.Pair(2, "SOL", "CLOSED")));
    private final List<Book.LegRow> legs = new ArrayList<>(List.of(
            new Book.LegRow(11, 1, BP, BTC_BP, "LONG", dec("0.01")),
            new Book.LegRow(12, 1, HB, BTC_HB, "SHORT", dec("0.01")),
            new Book.LegRow(21, 2, BP, SOL_BP, "LONG", dec("0")),
            new Book.LegRow(22, 2, HB, SOL_HB, "SHORT", dec("0"))));
    private final List<Book.OrderRow> orders = new ArrayList<>(List.of(
            order(101, 1, 11, BP, BTC_BP, "c1", "OPEN", "BUY", "0.01", "FILLED", "0.01"),
            order(102, 1, 12, HB, BTC_HB, "n1", "OPEN", "SELL", "0.01", "FILLED", "0.01"),
            order(201, 2, 21, BP, SOL_BP, "c2", "OPEN", "BUY", "2", "FILLED", "2"),
            order(202, 2, 22, HB, SOL_HB, "n2", "OPEN", "SELL", "2", "FILLED", "2"),
            order(203, 2, 21, BP, SOL_BP, "c3", "CLOSE", "SELL", "2", "FILLED", "2"),
            order(204, 2, 22, HB, SOL_HB, "n3", "CLOSE", "BUY", "2", "FILLED", "2")));
    private final List<VenueRecord.Order> executed = new ArrayList<>(List.of(
            executed(BP, "c1", BTC_BP, "BUY", "0.01", "0.01"),
            executed(HB, "n1", BTC_HB, "SELL", "0.01", "0.01"),
            executed(BP, "c2", SOL_BP, "BUY", "2", "2"),
            executed(HB, "n2", SOL_HB, "SELL", "2", "2"),
            executed(BP, "c3", SOL_BP, "SELL", "2", "2"),
            executed(HB, "n3", SOL_HB, "BUY", "2", "2")));
    private final Map<String, BigDecimal> positions =
            new TreeMap<>(Map.of(BP + "/" + BTC_BP, dec("0.01"), HB + "/" + BTC_HB, dec("-0.01")));

    @Test
    void aBookThatMatchesTheVenuesKeepsEveryRule() {
        assertThat(checks()).isEmpty();
        assertThat(Invariants.whileRecovering(book(), venues())).isEmpty();
    }

    @Test
    void settledFlagsAPairLeftMidWayAndAnOrderLeftUnknown() {
        pairs.set(0, new Book.Pair(1, "BTC", "OPENING"));
        orders.set(0, order(101, 1, 11, BP, BTC_BP, "c1", "OPEN", "BUY", "0.01", "UNKNOWN", "0"));
        legs.set(0, new Book.LegRow(11, 1, BP, BTC_BP, "LONG", dec("0")));

        assertThat(checks()).contains(Invariants.Check.SETTLED);
        assertThat(Invariants.whileRecovering(book(), venues()))
                .as("recover may still settle it")
                .isEmpty();
    }

    @Test
    void hedgedFlagsLegsOfDifferentSizes() {
        legs.set(1, new Book.LegRow(12, 1, HB, BTC_HB, "SHORT", dec("0.005")));

        assertThat(checks()).contains(Invariants.Check.HEDGED);
    }

    @Test
    void knownFlagsAnExecutionTheBotNeverRecorded() {
        executed.add(executed(BP, "c9", BTC_BP, "BUY", "0.01", "0.01"));
        positions.put(BP + "/" + BTC_BP, dec("0.02"));

        assertThat(checks()).contains(Invariants.Check.KNOWN, Invariants.Check.ONCE, Invariants.Check.NET_POSITION);
    }

    @Test
    void agreesFlagsAnOrderBookedRejectedThatTheVenueFilled() {
        orders.set(4, order(203, 2, 21, BP, SOL_BP, "c3", "CLOSE", "SELL", "2", "REJECTED", "0"));

        assertThat(Invariants.whileRecovering(book(), venues()))
                .extracting(Invariants.Violation::check)
                .contains(Invariants.Check.AGREES);
    }

    @Test
    void onceFlagsAnOpeningResentUnderANewRecordedClientId() {
        orders.add(order(103, 1, 11, BP, BTC_BP, "c1b", "OPEN", "BUY", "0.01", "FILLED", "0.01"));
        executed.add(executed(BP, "c1b", BTC_BP, "BUY", "0.01", "0.01"));

        assertThat(checks()).contains(Invariants.Check.ONCE);
        assertThat(checks()).doesNotContain(Invariants.Check.KNOWN);
    }

    @Test
    void onceAcceptsASecondCloseAfterAPartialOne() {
        executed.set(4, executed(BP, "c3", SOL_BP, "SELL", "2", "1.5"));
        orders.set(4, order(203, 2, 21, BP, SOL_BP, "c3", "CLOSE", "SELL", "2", "PARTIAL", "1.5"));
        orders.add(order(205, 2, 21, BP, SOL_BP, "c4", "CLOSE", "SELL", "0.5", "FILLED", "0.5"));
        executed.add(executed(BP, "c4", SOL_BP, "SELL", "0.5", "0.5"));

        assertThat(checks()).isEmpty();
    }

    @Test
    void legAtVenueFlagsAnEndedPairWhoseOrdersStillHoldAtTheVenue() {
        executed.set(4, executed(BP, "c3", SOL_BP, "SELL", "2", "0"));
        positions.put(BP + "/" + SOL_BP, dec("2"));

        assertThat(checks()).contains(Invariants.Check.LEG_AT_VENUE, Invariants.Check.NET_POSITION);
    }

    @Test
    void netPositionFlagsAVenuePositionNoActiveLegAccountsFor() {
        executed.add(new VenueRecord.Order(HB, "manual", SOL_HB, "BUY", dec("1"), false, dec("1")));
        positions.put(HB + "/" + SOL_HB, dec("1"));

        assertThat(checks()).contains(Invariants.Check.NET_POSITION, Invariants.Check.KNOWN);
    }

    @Test
    void venueLogFlagsAPositionTheLogDoesNotExplain() {
        positions.put(BP + "/" + BTC_BP, dec("0.02"));

        assertThat(checks()).contains(Invariants.Check.VENUE_LOG);
    }

    private Set<Invariants.Check> checks() {
        return Set.copyOf(Invariants.violations(book(), venues()).stream()
                .map(Invariants.Violation::check)
                .toList());
    }

    private Book book() {
        return new Book(pairs, legs, orders, Set.of());
    }

    private VenueRecord venues() {
        return new VenueRecord(executed, positions);
    }

    private static Book.OrderRow order(
            long id,
            long pairId,
            long legId,
            String venue,
            String symbol,
            String clientId,
            String purpose,
            String side,
            String qty,
            String status,
            String filled) {
        return new Book.OrderRow(
                id, pairId, legId, venue, symbol, clientId, purpose, side, dec(qty), status, dec(filled));
    }

    private static VenueRecord.Order executed(
            String venue, String clientId, String symbol, String side, String qty, String filled) {
        return new VenueRecord.Order(venue, clientId, symbol, side, dec(qty), false, dec(filled));
    }

    private static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }
}
