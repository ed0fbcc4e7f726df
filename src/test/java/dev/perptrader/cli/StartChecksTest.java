package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class StartChecksTest {
    @TempDir
    Path dir;

    private AppConfig config(String markets) {
        return ConfigLoader.load(null, false, dir, Map.of("APP__TRADING__MARKETS", markets), Map.of());
    }

    @Test
    void aMarketOnNeitherVenueStopsTheStartAndOneOnOnlyOneDoesNot() {
        MarketRules rules = null; // only presence in the map matters
        Map<Venue, Map<String, MarketRules>> listed = new EnumMap<>(Venue.class);
        Map<String, MarketRules> backpack = new java.util.HashMap<>();
        backpack.put("BTC", rules);
        backpack.put("SOL", rules);
        Map<String, MarketRules> hibachi = new java.util.HashMap<>();
        hibachi.put("BTC", rules);
        listed.put(Venue.BACKPACK, backpack);
        listed.put(Venue.HIBACHI, hibachi);

        assertThatCode(() -> StartChecks.markets(config("BTC,SOL"), listed)).doesNotThrowAnyException();
        assertThatThrownBy(() -> StartChecks.markets(config("BTC,DOGE"), listed))
                .isInstanceOf(UsageError.class)
                .hasMessage("trading.markets: DOGE is listed on neither backpack nor hibachi (sim mode): "
                        + "remove it or name a market both list");
    }

    @Test
    void withAVenueUnreadNothingIsDecidedAboutItsMarkets() {
        Map<Venue, Map<String, MarketRules>> listed = new EnumMap<>(Venue.class);
        listed.put(Venue.BACKPACK, Map.of());
        assertThatCode(() -> StartChecks.markets(config("DOGE"), listed)).doesNotThrowAnyException();
    }
}
