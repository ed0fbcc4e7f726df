package dev.perptrader.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.backpack.BackpackExchange;
import dev.perptrader.exchange.hibachi.HibachiExchange;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

final class StartChecksTest {
    @TempDir
    Path dir;

    private AppConfig config(String markets) {
        return ConfigLoader.load(null, false, dir, Map.of("APP__TRADING__MARKETS", markets), Map.of());
    }

    @Test
    void aMarketOnNeitherVenueStopsTheStartAndOneOnOnlyOneDoesNot() {
        MarketRules rules = null; // only presence in the map matters
        Map<Venue, Map<String, MarketRules>> listed = new TreeMap<>();
        Map<String, MarketRules> backpack = new HashMap<>();
        backpack.put("BTC", rules);
        backpack.put("SOL", rules);
        Map<String, MarketRules> hibachi = new HashMap<>();
        hibachi.put("BTC", rules);
        listed.put(BackpackExchange.VENUE, backpack);
        listed.put(HibachiExchange.VENUE, hibachi);

        assertThatCode(() -> StartChecks.markets(config("BTC,SOL"), listed)).doesNotThrowAnyException();
        assertThatThrownBy(() -> StartChecks.markets(config("BTC,DOGE"), listed))
                .isInstanceOf(UsageError.class)
                .hasMessage("trading.markets: DOGE is listed on neither backpack nor hibachi (sim mode): "
                        + "remove it or name a market both list");
    }

    @Test
    void withAVenueUnreadNothingIsDecidedAboutItsMarkets() {
        Map<Venue, Map<String, MarketRules>> listed = new TreeMap<>();
        listed.put(BackpackExchange.VENUE, Map.of());
        assertThatCode(() -> StartChecks.markets(config("DOGE"), listed)).doesNotThrowAnyException();
    }

    /** A venue that is down until {@code up[0]} is set, listing {@code markets}, with 10000 USD free. */
    private static PerpExchange venue(Venue v, boolean[] up, String... markets) {
        Map<String, MarketRules> listed = new HashMap<>();
        for (String m : markets) {
            listed.put(m, null);
        }
        return (PerpExchange) Proxy.newProxyInstance(
                StartChecksTest.class.getClassLoader(), new Class<?>[] {PerpExchange.class}, (proxy, method, args) -> {
                    if (method.getName().equals("venue")) {
                        return v;
                    }
                    if (!up[0]) {
                        throw new ExchangeException(v, ExchangeError.VENUE_DOWN, "connection refused");
                    }
                    return switch (method.getName()) {
                        case "markets" -> listed;
                        case "account" ->
                            new AccountState(
                                    new BigDecimal("10000"), new BigDecimal("10000"), BigDecimal.ZERO, List.of());
                        default -> throw new AssertionError(method.getName());
                    };
                });
    }

    @Test
    void anUnreachableVenueDefersTheCheckToItsFirstSuccessfulRead() {
        boolean[] up = {false};
        Map<Venue, PerpExchange> venues = new TreeMap<>();
        venues.put(BackpackExchange.VENUE, venue(BackpackExchange.VENUE, new boolean[] {true}, "BTC"));
        venues.put(HibachiExchange.VENUE, venue(HibachiExchange.VENUE, up, "BTC"));
        AppConfig cfg = config("BTC,DOGE");

        assertThat(StartChecks.run(cfg, venues))
                .as("nothing decided while hibachi is down")
                .isFalse();
        assertThat(StartChecks.retry(cfg, venues)).as("still down").isFalse();
        up[0] = true;
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(StartChecks.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            assertThat(StartChecks.retry(cfg, venues))
                    .as("checked on the first successful read")
                    .isTrue();
        } finally {
            logger.detachAppender(logs);
        }
        assertThat(logs.list)
                .filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .containsExactly("trading.markets: DOGE is listed on neither backpack nor hibachi (sim mode): "
                        + "remove it or name a market both list; until then it is never picked");

        assertThatThrownBy(() -> StartChecks.run(cfg, venues))
                .isInstanceOf(UsageError.class)
                .hasMessageContaining("DOGE is listed on neither");
        assertThat(StartChecks.run(config("BTC"), venues)).isTrue();
    }
}
