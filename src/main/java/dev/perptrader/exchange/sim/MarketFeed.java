package dev.perptrader.exchange.sim;

import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where a {@link SimWorld} gets its market rules, marks and funding rates: the simulated market
 * ({@link SimMarket}, sim mode) or the venues' real public data ({@link PaperFeed}, paper mode).
 * Fills, fees, margin, funding payments and liquidations are the world's; the feed only says
 * what the market shows.
 *
 * <p>Everything except {@link #fetch} runs under the world's lock. The reads may throw an
 * {@link ExchangeException} when a venue's data could not be fetched; they never invent a price.
 */
interface MarketFeed {

    /** "sim" or "paper": recorded in the state file so one file is never opened as the other. */
    String name();

    /** One venue's perpetual markets keyed by base asset, open or not. */
    Map<String, MarketRules> markets(Venue venue);

    /** The rules of one venue symbol; empty when the venue does not list it. */
    Optional<MarketRules> rules(Venue venue, String symbol);

    /** The venue's current mark of {@code asset}. */
    BigDecimal mark(Venue venue, String asset);

    /** How often the venue settles funding on {@code symbol}. */
    Duration fundingInterval(Venue venue, String symbol);

    /** The venue's current funding rate of {@code asset}: the rate the next settlement charges. */
    BigDecimal fundingRate(Venue venue, String asset);

    /** The instant the feed was last brought to; set by {@link #initializeMissing} at latest. */
    Instant lastUpdate();

    /**
     * Brings the market to {@code now}; returns false (and changes nothing) when {@code now} is
     * not after {@link #lastUpdate()}. The world pays funding before this call and checks
     * liquidations after it.
     */
    boolean advanceTo(Instant now);

    /**
     * Fetches what is due before a call on {@code venue}. Runs WITHOUT the world's lock, since
     * it may wait on the network; a failure is kept for {@link #publish}, not thrown.
     */
    default void fetch(Venue venue, Instant now) {}

    /**
     * Makes the latest fetched data what the reads see, so one world call sees one set of data;
     * then throws the failure of the last fetch for {@code caller}, if it failed. Another
     * venue's data count only if current at {@code now}; otherwise its reads throw and the world
     * leaves that venue to catch up at its own next call.
     */
    default void publish(Venue caller, Instant now) {}

    /** Replaces the in-memory state with the stored one (at open, and after a failed write). */
    void load(SimStore store);

    /** Starts the clock at {@code now} if it never ran and gives new assets their state. */
    void initializeMissing(Instant now);

    /** Writes the state, inside the world's transaction. */
    void save(SimStore store);

    /** Test hook: sets the shared mid of {@code asset}; refused when the prices are real. */
    default void setMid(String asset, BigDecimal price) {
        throw new IllegalStateException(
                name() + " mode: prices are the venues' own, setMid(" + asset + ") applies to sim mode only");
    }

    /** Test hook: sets one venue's funding rate; refused when the rates are real. */
    default void setFundingRate(Venue venue, String asset, BigDecimal rate) {
        throw new IllegalStateException(
                name() + " mode: funding rates are the venues' own," + " setFundingRate applies to sim mode only");
    }
}
