package dev.perptrader.exchange.sim;

import dev.perptrader.domain.Venue;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Recorded marks and funding rates, read from a {@link PriceFile}, as a step function of time
 * per venue and asset: at any instant a market shows its latest line at or before that instant;
 * before its first line it has no data; after its last line the last one holds. Immutable and
 * safe to share between worlds and threads.
 */
public final class PriceReplay {
    private final Map<Venue, Map<String, Series>> series;
    private final Instant start;
    private final Instant end;
    private final int rows;

    private PriceReplay(Map<Venue, Map<String, Series>> series, Instant start, Instant end, int rows) {
        this.series = series;
        this.start = start;
        this.end = end;
        this.rows = rows;
    }

    /**
     * The replay of {@code rows}, in any order.
     *
     * @throws IllegalArgumentException when empty, when a venue and asset have two rows at one
     *                                  time, or change symbol
     */
    public static PriceReplay of(List<PriceRow> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no price rows");
        }
        List<PriceRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(PriceRow::at));
        Map<Venue, Map<String, List<PriceRow>>> grouped = new TreeMap<>();
        for (PriceRow r : sorted) {
            grouped.computeIfAbsent(r.venue(), v -> new LinkedHashMap<>())
                    .computeIfAbsent(r.asset(), a -> new ArrayList<>())
                    .add(r);
        }
        Map<Venue, Map<String, Series>> series = new TreeMap<>();
        grouped.forEach((venue, byAsset) -> {
            Map<String, Series> out = new LinkedHashMap<>();
            byAsset.forEach((asset, list) -> out.put(asset, Series.of(venue, asset, list)));
            series.put(venue, Collections.unmodifiableMap(out));
        });
        return new PriceReplay(
                Collections.unmodifiableMap(series),
                sorted.get(0).at(),
                sorted.get(sorted.size() - 1).at(),
                sorted.size());
    }

    /** The time of the first line. */
    public Instant start() {
        return start;
    }

    /** The time of the last line. */
    public Instant end() {
        return end;
    }

    /** How many lines. */
    public int rows() {
        return rows;
    }

    /** The venues with at least one line. */
    public List<Venue> venues() {
        return List.copyOf(series.keySet());
    }

    /** The assets {@code venue} has lines for, in the order they first appear. */
    public List<String> assets(Venue venue) {
        return List.copyOf(series.getOrDefault(venue, Map.of()).keySet());
    }

    /** The venue's symbol of {@code asset}. */
    public Optional<String> symbol(Venue venue, String asset) {
        return series(venue, asset).map(Series::symbol);
    }

    /** When {@code venue}'s data for {@code asset} begin. */
    public Optional<Instant> start(Venue venue, String asset) {
        return series(venue, asset).map(s -> Instant.ofEpochMilli(s.at[0]));
    }

    /** What {@code venue} showed for {@code asset} at {@code at}: its latest line at or before it. */
    public Optional<PriceRow> at(Venue venue, String asset, Instant at) {
        Objects.requireNonNull(at, "at");
        return series(venue, asset).flatMap(s -> s.at(at));
    }

    private Optional<Series> series(Venue venue, String asset) {
        return Optional.ofNullable(series.getOrDefault(venue, Map.of()).get(asset));
    }

    /** One venue's lines for one asset, as parallel arrays sorted by time. */
    private static final class Series {
        private final Venue venue;
        private final String asset;
        private final String symbol;
        private final long[] at;
        private final BigDecimal[] marks;
        private final BigDecimal[] rates;
        private final Duration[] intervals;

        private Series(Venue venue, String asset, String symbol, int n) {
            this.venue = venue;
            this.asset = asset;
            this.symbol = symbol;
            this.at = new long[n];
            this.marks = new BigDecimal[n];
            this.rates = new BigDecimal[n];
            this.intervals = new Duration[n];
        }

        static Series of(Venue venue, String asset, List<PriceRow> rows) {
            Series s = new Series(venue, asset, rows.get(0).symbol(), rows.size());
            for (int i = 0; i < rows.size(); i++) {
                PriceRow r = rows.get(i);
                if (!r.symbol().equals(s.symbol)) {
                    throw new IllegalArgumentException(
                            venue.configName() + " " + asset + " is both '" + s.symbol + "' and '" + r.symbol() + "'");
                }
                s.at[i] = r.at().toEpochMilli();
                if (i > 0 && s.at[i] == s.at[i - 1]) {
                    throw new IllegalArgumentException(
                            "two rows for " + venue.configName() + " " + asset + " at " + r.at());
                }
                s.marks[i] = r.markPrice();
                s.rates[i] = r.fundingRate();
                s.intervals[i] = r.fundingInterval();
            }
            return s;
        }

        String symbol() {
            return symbol;
        }

        Optional<PriceRow> at(Instant t) {
            int i = Arrays.binarySearch(at, t.toEpochMilli());
            int index = i >= 0 ? i : -i - 2; // the last line at or before t
            if (index < 0) {
                return Optional.empty();
            }
            return Optional.of(new PriceRow(
                    Instant.ofEpochMilli(at[index]),
                    venue,
                    asset,
                    symbol,
                    marks[index],
                    rates[index],
                    intervals[index]));
        }
    }
}
