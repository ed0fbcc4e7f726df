package dev.perptrader.crash;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/**
 * The bot's book as its database has it: pairs, legs and the orders it recorded before sending
 * them. Venues are the database's names ({@code BACKPACK}), symbols the venue's own.
 */
record Book(List<Pair> pairs, List<LegRow> legs, List<OrderRow> orders, Set<String> orphanOrderKeys) {
    static final Set<String> MID_WAY = Set.of("OPENING", "UNHEDGED", "CLOSING");
    static final Set<String> ENDED = Set.of("CLOSED", "ROLLED_BACK", "FAILED");

    record Pair(long id, String asset, String status) {}

    /** One leg; {@code held} is what the venue should hold for it now. */
    record LegRow(long id, long pairId, String venue, String symbol, String side, BigDecimal held) {
        /** +held for a LONG leg, −held for a SHORT one. */
        BigDecimal signedHeld() {
            return "LONG".equals(side) ? held : held.negate();
        }
    }

    /** One order as recorded; {@code filled} is what the bot believes the venue filled. */
    record OrderRow(
            long id,
            long pairId,
            long legId,
            String venue,
            String symbol,
            String clientId,
            String purpose,
            String side,
            BigDecimal qty,
            String status,
            BigDecimal filled) {
        String key() {
            return venue + "/" + clientId;
        }

        boolean settled() {
            return !"PENDING".equals(status) && !"UNKNOWN".equals(status);
        }
    }

    Pair pair(long id) {
        return pairs.stream()
                .filter(p -> p.id() == id)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no pair " + id));
    }
}
