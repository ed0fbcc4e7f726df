package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.domain.Money;
import dev.perptrader.domain.Side;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sim venue works an account's free collateral out when it is first read, from the marks and
 * leverage of the moment the account was read: reading it later, after the market moved and the
 * leverage changed, gives what reading it at once gave.
 */
final class SimFreeCollateralTest {
    @TempDir
    Path dir;

    @Test
    void freeCollateralReadLaterIsThatOfTheMomentTheAccountWasRead() {
        AccountState atOnce = null;
        AccountState later = null;
        for (boolean readAtOnce : new boolean[] {true, false}) {
            MutableClock clock = MutableClock.at("2024-01-01T00:10:00Z");
            try (SimWorld world = SimWorld.open(
                    new SimParams(dir)
                            .volatility("0.8")
                            .file(SimStore.IN_MEMORY)
                            .build(),
                    clock)) {
                SimVenue bp = world.venue(BackpackExchange.VENUE);
                bp.ensureLeverage(BP_BTC, dec("3"));
                clock.advance(Duration.ofMinutes(20));
                bp.placeMarketOrder(buy(bp, BP_BTC, "0.2"));
                clock.advance(Duration.ofMinutes(30));
                AccountState account = bp.account();
                if (readAtOnce) {
                    account.freeCollateral();
                    atOnce = account;
                } else {
                    // the market moves and the leverage changes before anyone asks
                    clock.advance(Duration.ofHours(3));
                    bp.quotes(List.of(BP_BTC));
                    bp.ensureLeverage(BP_BTC, dec("2"));
                    assertThat(bp.account().equity()).isNotEqualTo(account.equity());
                    later = account;
                }
            }
        }
        assertThat(later.freeCollateral()).isEqualTo(atOnce.freeCollateral());
        assertThat(later).isEqualTo(atOnce);
        AccountState.Position p = atOnce.positions().get(0);
        BigDecimal initial = BigDecimal.ZERO.add(Money.divide(p.qty().multiply(p.markPrice()), dec("3")));
        assertThat(atOnce.freeCollateral())
                .isEqualTo(atOnce.equity().subtract(initial).max(BigDecimal.ZERO))
                .isPositive();
    }

    @Test
    void anAccountWorkedOutOnDemandIsTheValueItsFiguresMake() {
        AtomicInteger asked = new AtomicInteger();
        List<AccountState.Position> positions = List.of(
                new AccountState.Position(BP_BTC, Side.LONG, dec("0.2"), dec("60000"), dec("60100"), dec("20")));
        AccountState lazy = AccountState.onDemand(
                dec("1000"),
                () -> {
                    asked.incrementAndGet();
                    return dec("599.5");
                },
                dec("60.1"),
                positions);
        AccountState eager = new AccountState(dec("1000"), dec("599.5"), dec("60.1"), positions);
        assertThat(asked).as("not worked out before it is read").hasValue(0);
        assertThat(lazy.equity()).isEqualTo(eager.equity());
        assertThat(asked).hasValue(0);
        assertThat(lazy).isEqualTo(eager).hasSameHashCodeAs(eager).hasToString(eager.toString());
        assertThat(lazy.freeCollateral()).isEqualTo(dec("599.5"));
        assertThat(asked).as("worked out once").hasValue(1);
        assertThat(eager.toString())
                .isEqualTo("AccountState[equity=1000, freeCollateral=599.5, maintenanceMargin=60.1, positions="
                        + positions + "]");
        assertThat(new AccountState(dec("1000"), dec("599.6"), dec("60.1"), positions))
                .isNotEqualTo(eager);
    }
}
