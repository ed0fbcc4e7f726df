package dev.perptrader.trader;

import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.PerpExchange;
import java.util.Map;
import java.util.TreeMap;

/** The exchanges the bot trades on, by venue. */
public final class Venues {
    private final Map<Venue, PerpExchange> byVenue;

    public Venues(Map<Venue, PerpExchange> byVenue) {
        if (byVenue.size() < 2) {
            throw new IllegalArgumentException("a hedge needs two venues, got " + byVenue.keySet());
        }
        this.byVenue = new TreeMap<>(byVenue);
    }

    public PerpExchange get(Venue venue) {
        PerpExchange ex = byVenue.get(venue);
        if (ex == null) {
            throw new IllegalArgumentException("venue not configured: " + venue.configName());
        }
        return ex;
    }

    public Iterable<Venue> all() {
        return byVenue.keySet();
    }
}
