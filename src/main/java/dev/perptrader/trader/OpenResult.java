package dev.perptrader.trader;

import dev.perptrader.domain.HedgePair;

/** What an attempt to open (or to settle an opening) came to. */
public sealed interface OpenResult {
    /** Both legs hold the same quantity; the pair is OPEN. */
    record Opened(HedgePair pair) implements OpenResult {}

    /** Nothing was sent: no market, size below minimum, not enough collateral, venue down. */
    record Skipped(String reason) implements OpenResult {}

    /** One leg failed; the other was unwound. Nothing is held. */
    record RolledBack(HedgePair pair) implements OpenResult {}

    /** Both opening orders were refused. Nothing is held. */
    record Failed(HedgePair pair, String reason) implements OpenResult {}

    /** The legs differ and could not be repaired yet: retried every tick. */
    record Unhedged(HedgePair pair) implements OpenResult {}

    /** An order's outcome is not known yet (venue unreachable): looked up again next tick. */
    record Pending(HedgePair pair) implements OpenResult {}
}
