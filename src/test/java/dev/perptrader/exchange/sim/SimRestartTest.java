package dev.perptrader.exchange.sim;

import static dev.perptrader.exchange.sim.SimOrders.BP_BTC;
import static dev.perptrader.exchange.sim.SimOrders.BP_ETH;
import static dev.perptrader.exchange.sim.SimOrders.HB_BTC;
import static dev.perptrader.exchange.sim.SimOrders.HB_ETH;
import static dev.perptrader.exchange.sim.SimOrders.assertFails;
import static dev.perptrader.exchange.sim.SimOrders.buy;
import static dev.perptrader.exchange.sim.SimOrders.dec;
import static dev.perptrader.exchange.sim.SimOrders.reduce;
import static dev.perptrader.exchange.sim.SimOrders.sell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.PerpExchange.Quote;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import dev.perptrader.testutil.MutableClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SimRestartTest {
    private static final List<String> BP_SYMBOLS = List.of(BP_BTC, BP_ETH);
    private static final List<String> HB_SYMBOLS = List.of(HB_BTC, HB_ETH);

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2024-01-01T00:10:00.123456789Z");

    @Test
    void restartKeepsBalancesPositionsOrdersFundingAndPrices() throws SQLException {
        AppConfig.Sim params =
                new SimParams(dir).volatility("0.7").basisNoiseBps("4").build();
        Instant start = clock.instant();
        OrderRequest long1;
        OrderRequest short1;
        Fill longFill;
        Map<String, Quote> bpQuotes;
        Map<String, Quote> hbQuotes;
        AccountState bpAccount;
        AccountState hbAccount;
        BigDecimal funding;
        try (SimWorld world = SimWorld.open(params, clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);
            bp.ensureLeverage(BP_BTC, dec("3"));
            hb.ensureLeverage(HB_BTC, dec("2"));
            clock.advance(Duration.ofMinutes(20));
            long1 = buy(bp, BP_BTC, "0.2");
            short1 = sell(hb, HB_BTC, "0.2");
            longFill = bp.placeMarketOrder(long1);
            hb.placeMarketOrder(short1);
            clock.advance(Duration.ofHours(2));
            bpQuotes = bp.quotes(BP_SYMBOLS);
            hbQuotes = hb.quotes(HB_SYMBOLS);
            bpAccount = bp.account();
            hbAccount = hb.account();
            funding = bp.fundingBetween(BP_BTC, start, clock.instant());
        }

        try (SimWorld world = SimWorld.open(params, clock)) {
            SimVenue bp = world.venue(BackpackExchange.VENUE);
            SimVenue hb = world.venue(HibachiExchange.VENUE);

            assertThat(bp.quotes(BP_SYMBOLS)).isEqualTo(bpQuotes);
            assertThat(hb.quotes(HB_SYMBOLS)).isEqualTo(hbQuotes);
            assertThat(bp.account()).isEqualTo(bpAccount);
            assertThat(hb.account()).isEqualTo(hbAccount);
            assertThat(funding.signum()).isNotZero();
            assertThat(bp.fundingBetween(BP_BTC, start, clock.instant())).isEqualByComparingTo(funding);
            assertThat(bp.lookupOrder(BP_BTC, long1.clientId())).contains(longFill);
            assertThat(hb.lookupOrder(HB_BTC, short1.clientId())).isPresent();
            assertThat(bp.orderCount()).isEqualTo(1);
            assertThat(bp.newClientId()).isEqualTo("sim-bp-000002");

            OrderRequest again = new OrderRequest(BP_BTC, OrderSide.SELL, dec("0.2"), true, long1.clientId());
            assertFails(ExchangeError.REJECTED, () -> bp.placeMarketOrder(again));
            bp.placeMarketOrder(reduce(bp, BP_BTC, OrderSide.SELL, "0.2"));
            assertThat(bp.account().positions()).isEmpty();
        }

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + params.stateFile());
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).allSatisfy(t -> assertThat(t).matches("sim_.*|sqlite_sequence"));
        }
    }

    @Test
    void aRestartedMarketContinuesThePathInsteadOfReplayingIt() {
        AppConfig.Sim straight = new SimParams(dir)
                .file(dir.resolve("straight.db"))
                .volatility("0.9")
                .build();
        AppConfig.Sim restarted = new SimParams(dir)
                .file(dir.resolve("restarted.db"))
                .volatility("0.9")
                .build();
        Instant t0 = clock.instant();
        List<BigDecimal> a = new ArrayList<>();
        try (SimWorld world = SimWorld.open(straight, clock)) {
            for (int i = 0; i < 6; i++) {
                clock.advance(Duration.ofMinutes(5));
                a.add(btc(world));
            }
        }
        clock.set(t0);
        List<BigDecimal> b = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            try (SimWorld world = SimWorld.open(restarted, clock)) {
                clock.advance(Duration.ofMinutes(5));
                b.add(btc(world));
            }
        }

        assertThat(b).isEqualTo(a);
        assertThat(a.stream().distinct().count()).isGreaterThan(3);
    }

    @Test
    void aClosedWorldRefusesCalls() {
        SimWorld world = SimWorld.open(new SimParams(dir).build(), clock);
        SimVenue bp = world.venue(BackpackExchange.VENUE);
        world.close();
        world.close();

        assertThatThrownBy(bp::account).isInstanceOf(IllegalStateException.class);
    }

    private static BigDecimal btc(SimWorld world) {
        return world.venue(BackpackExchange.VENUE)
                .quotes(List.of(BP_BTC))
                .get(BP_BTC)
                .markPrice();
    }
}
