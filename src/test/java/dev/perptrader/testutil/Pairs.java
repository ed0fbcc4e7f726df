package dev.perptrader.testutil;

import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.math.BigDecimal;
import java.time.Instant;

/** Hedge pairs for tests of pure decisions: 0.01 BTC, LONG on Backpack, SHORT on Hibachi, 1 h. */
public final class Pairs {
    private Pairs() {}

    /** A pair created at {@code createdAt}, never opened or closed, in {@code status}. */
    public static HedgePair btc(long id, PairStatus status, Instant createdAt) {
        return new HedgePair(
                id,
                "BTC",
                BackpackExchange.VENUE,
                HibachiExchange.VENUE,
                Mode.SIM,
                BigDecimal.ONE,
                new BigDecimal("0.01"),
                new BigDecimal("600"),
                status,
                3_600_000L,
                createdAt,
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
}
