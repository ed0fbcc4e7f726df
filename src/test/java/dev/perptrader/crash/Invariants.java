package dev.perptrader.crash;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The bot's book against what the venues themselves received and hold, checked after every kill
 * once {@code recover} has finished. Nothing here is guaranteed by a constraint of the bot's
 * schema or a refusal of the venue: each check reads the venue's own order log or positions, so
 * a bot that resends an order, forgets one, or books a fill the venue never made fails it.
 */
final class Invariants {

    /** The rules, each with what it means. */
    enum Check {
        SETTLED("nothing is left mid-way: no pair OPENING, UNHEDGED or CLOSING, no order PENDING or UNKNOWN"),
        HEDGED("both legs of a pair hold the same size, and a pair that holds anything is OPEN"),
        KNOWN("every order a venue executed is an order the bot recorded before sending it"),
        AGREES("every recorded order filled at its venue exactly what the book says it filled"),
        ONCE("no intent (a leg's opening, its close, a rollback or trim) was executed twice at the venue"),
        LEG_AT_VENUE("what the venue executed for each leg nets to what the book says the leg holds;"
                + " an ended pair's legs net to nothing"),
        NET_POSITION("each venue's net position per market is the signed sum of the active legs there"),
        VENUE_LOG("each venue's own order log adds up to its positions");

        final String meaning;

        Check(String meaning) {
            this.meaning = meaning;
        }
    }

    record Violation(Check check, String detail) {
        @Override
        public String toString() {
            return check + ": " + detail;
        }
    }

    private Invariants() {}

    /** Every breach of every {@link Check}, once recovery has finished; empty when the book and the venues agree. */
    static List<Violation> violations(Book book, VenueRecord venues) {
        List<Violation> out = whileRecovering(book, venues);
        Map<String, List<VenueRecord.Order>> atVenue = byKey(venues);
        settled(book, out);
        hedged(book, out);
        agrees(book.orders().stream().filter(o -> !o.settled()).toList(), atVenue, out);
        legAtVenue(book, atVenue, out);
        netPosition(book, venues, out);
        return out;
    }

    /**
     * The breaches no later {@code recover} can repair, so they hold even while pairs are left
     * mid-way: an execution the bot has no record of, an intent executed twice, an order the bot
     * settled (and so never looks up again) booked otherwise than the venue filled it, a venue
     * log that does not add up.
     */
    static List<Violation> whileRecovering(Book book, VenueRecord venues) {
        List<Violation> out = new ArrayList<>();
        Map<String, List<VenueRecord.Order>> atVenue = byKey(venues);
        known(book, venues, out);
        agrees(book.orders().stream().filter(Book.OrderRow::settled).toList(), atVenue, out);
        once(book, venues, atVenue, out);
        venueLog(venues, out);
        return out;
    }

    private static Map<String, List<VenueRecord.Order>> byKey(VenueRecord venues) {
        Map<String, List<VenueRecord.Order>> atVenue = new HashMap<>();
        venues.orders()
                .forEach(o ->
                        atVenue.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o));
        return atVenue;
    }

    private static void settled(Book book, List<Violation> out) {
        book.pairs().stream()
                .filter(p -> Book.MID_WAY.contains(p.status()))
                .forEach(p -> out.add(
                        new Violation(Check.SETTLED, "pair " + p.id() + " " + p.asset() + " is " + p.status())));
        book.orders().stream()
                .filter(o -> !o.settled())
                .forEach(o -> out.add(new Violation(Check.SETTLED, describe(o) + " is " + o.status())));
    }

    private static void hedged(Book book, List<Violation> out) {
        Map<Long, List<Book.LegRow>> byPair = new TreeMap<>();
        book.legs()
                .forEach(l -> byPair.computeIfAbsent(l.pairId(), k -> new ArrayList<>())
                        .add(l));
        byPair.forEach((pairId, legs) -> {
            Book.Pair pair = book.pair(pairId);
            if (legs.size() != 2) {
                out.add(new Violation(Check.HEDGED, "pair " + pairId + " has " + legs.size() + " legs"));
                return;
            }
            BigDecimal a = legs.get(0).held();
            BigDecimal b = legs.get(1).held();
            if (a.compareTo(b) != 0) {
                out.add(new Violation(
                        Check.HEDGED,
                        "pair " + pairId + " (" + pair.status() + "): "
                                + legs.get(0).side() + " holds " + a.toPlainString() + ", "
                                + legs.get(1).side() + " holds "
                                + b.toPlainString()));
            }
            if (a.signum() != 0 && !"OPEN".equals(pair.status())) {
                out.add(new Violation(
                        Check.HEDGED, "pair " + pairId + " is " + pair.status() + " but holds " + a.toPlainString()));
            }
        });
    }

    private static void known(Book book, VenueRecord venues, List<Violation> out) {
        Set<String> recorded = new HashSet<>(book.orphanOrderKeys());
        book.orders().forEach(o -> recorded.add(o.key()));
        venues.orders().stream()
                .filter(VenueRecord.Order::executed)
                .filter(o -> !recorded.contains(o.key()))
                .forEach(o -> out.add(new Violation(
                        Check.KNOWN,
                        o.venue() + " executed " + o.side() + " "
                                + o.filled().toPlainString() + " " + o.symbol() + " (client id " + o.clientId()
                                + ") that the bot has no record of")));
    }

    private static void agrees(
            List<Book.OrderRow> orders, Map<String, List<VenueRecord.Order>> atVenue, List<Violation> out) {
        for (Book.OrderRow o : orders) {
            BigDecimal venueFilled = atVenue.getOrDefault(o.key(), List.of()).stream()
                    .map(VenueRecord.Order::filled)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            if (venueFilled.compareTo(o.filled()) != 0) {
                out.add(new Violation(
                        Check.AGREES,
                        describe(o) + " is booked " + o.status() + " "
                                + o.filled().toPlainString() + " but the venue filled " + venueFilled.toPlainString()));
            }
        }
    }

    /**
     * Per leg and purpose, the executions at the venue in the order the bot recorded its orders;
     * anything executed after an execution that filled its whole order is that intent again. An
     * execution under a client id the bot never recorded counts for the recorded intent with the
     * same venue, market, side and quantity, if there is one.
     */
    private static void once(
            Book book, VenueRecord venues, Map<String, List<VenueRecord.Order>> atVenue, List<Violation> out) {
        Map<String, List<VenueRecord.Order>> byIntent = new LinkedHashMap<>();
        Set<String> recorded = new HashSet<>();
        for (Book.OrderRow o : book.orders()) {
            recorded.add(o.key());
            for (VenueRecord.Order v : atVenue.getOrDefault(o.key(), List.of())) {
                if (v.executed()) {
                    byIntent.computeIfAbsent(intent(o), k -> new ArrayList<>()).add(v);
                }
            }
        }
        for (VenueRecord.Order v : venues.orders()) {
            if (v.executed() && !recorded.contains(v.key())) {
                book.orders().stream()
                        .filter(o -> o.venue().equals(v.venue())
                                && o.symbol().equals(v.symbol())
                                && o.side().equals(v.side())
                                && o.qty().compareTo(v.qty()) == 0)
                        .map(Invariants::intent)
                        .filter(byIntent::containsKey)
                        .findFirst()
                        .ifPresent(intent -> byIntent.get(intent).add(v));
            }
        }
        byIntent.forEach((intent, executions) -> {
            for (int i = 0; i + 1 < executions.size(); i++) {
                VenueRecord.Order done = executions.get(i);
                if (done.filled().compareTo(done.qty()) >= 0) {
                    out.add(new Violation(
                            Check.ONCE,
                            intent + " executed " + executions.size() + " times: "
                                    + executions.stream()
                                            .map(e -> e.clientId() + " "
                                                    + e.filled().toPlainString())
                                            .toList()));
                    break;
                }
            }
        });
    }

    private static void legAtVenue(Book book, Map<String, List<VenueRecord.Order>> atVenue, List<Violation> out) {
        Map<Long, BigDecimal> executedPerLeg = new HashMap<>();
        for (Book.OrderRow o : book.orders()) {
            for (VenueRecord.Order v : atVenue.getOrDefault(o.key(), List.of())) {
                executedPerLeg.merge(o.legId(), v.signedFill(), BigDecimal::add);
            }
        }
        for (Book.LegRow leg : book.legs()) {
            BigDecimal atTheVenue = executedPerLeg.getOrDefault(leg.id(), BigDecimal.ZERO);
            Book.Pair pair = book.pair(leg.pairId());
            if (Book.ENDED.contains(pair.status()) && atTheVenue.signum() != 0) {
                out.add(new Violation(
                        Check.LEG_AT_VENUE,
                        "pair " + pair.id() + " is " + pair.status() + " but its "
                                + leg.side() + " leg's orders still net to " + atTheVenue.toPlainString() + " "
                                + leg.symbol()
                                + " on " + leg.venue()));
            } else if (atTheVenue.compareTo(leg.signedHeld()) != 0) {
                out.add(new Violation(
                        Check.LEG_AT_VENUE,
                        "pair " + pair.id() + " (" + pair.status() + ") "
                                + leg.side() + " leg holds " + leg.held().toPlainString() + " " + leg.symbol() + " on "
                                + leg.venue() + " in the book, its orders net to " + atTheVenue.toPlainString()
                                + " at the venue"));
            }
        }
    }

    private static void netPosition(Book book, VenueRecord venues, List<Violation> out) {
        Map<String, BigDecimal> expected = new TreeMap<>();
        for (Book.LegRow leg : book.legs()) {
            if (!Book.ENDED.contains(book.pair(leg.pairId()).status())
                    && leg.held().signum() != 0) {
                expected.merge(leg.venue() + "/" + leg.symbol(), leg.signedHeld(), BigDecimal::add);
            }
        }
        Set<String> markets = new TreeSet<>(expected.keySet());
        markets.addAll(venues.positions().keySet());
        for (String m : markets) {
            BigDecimal active = expected.getOrDefault(m, BigDecimal.ZERO);
            BigDecimal venue = venues.positions().getOrDefault(m, BigDecimal.ZERO);
            if (active.compareTo(venue) != 0) {
                out.add(new Violation(
                        Check.NET_POSITION,
                        m + ": the venue holds " + venue.toPlainString() + ", the active legs "
                                + active.toPlainString()));
            }
        }
    }

    private static void venueLog(VenueRecord venues, List<Violation> out) {
        Map<String, BigDecimal> fromLog = new TreeMap<>();
        venues.orders().forEach(o -> fromLog.merge(o.venue() + "/" + o.symbol(), o.signedFill(), BigDecimal::add));
        Set<String> markets = new TreeSet<>(fromLog.keySet());
        markets.addAll(venues.positions().keySet());
        for (String m : markets) {
            BigDecimal logged = fromLog.getOrDefault(m, BigDecimal.ZERO);
            BigDecimal held = venues.positions().getOrDefault(m, BigDecimal.ZERO);
            if (logged.compareTo(held) != 0) {
                out.add(new Violation(
                        Check.VENUE_LOG,
                        m + ": the order log nets to " + logged.toPlainString() + ", the venue holds "
                                + held.toPlainString()));
            }
        }
    }

    private static String intent(Book.OrderRow o) {
        return "pair " + o.pairId() + " " + o.venue() + " leg " + o.legId() + " " + o.purpose();
    }

    private static String describe(Book.OrderRow o) {
        return o.purpose() + " order " + o.clientId() + " of pair " + o.pairId() + " (" + o.venue() + " " + o.side()
                + " " + o.qty().toPlainString() + " " + o.symbol() + ")";
    }
}
