package dev.perptrader.exchange.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.perptrader.domain.Venue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The price file: recorded marks and funding rates as CSV, one venue's market per line, written
 * by {@code perp-trader record} and replayed by the simulator. The first line is the header
 * {@link #HEADER}; each further line is one {@link PriceRow}:
 *
 * <ul>
 *   <li>{@code at_utc}: when the venue was read, ISO-8601 UTC ({@code 2024-01-01T00:00:00Z}), to
 *       the millisecond; lines never go back in time;
 *   <li>{@code venue}: {@code backpack} or {@code hibachi};
 *   <li>{@code asset}: the base asset ({@code BTC}), the key that pairs the venues' markets;
 *   <li>{@code symbol}: the venue's name of the market ({@code BTC_USDC_PERP}), one per venue
 *       and asset for the whole file;
 *   <li>{@code mark_price}: the mark, a decimal > 0;
 *   <li>{@code funding_rate}: the venue's current funding rate per interval, a decimal (positive
 *       = longs pay shorts), |rate| < 1;
 *   <li>{@code funding_interval_hours}: hours between the venue's funding settlements, > 0.
 * </ul>
 *
 * A venue, asset and time appear at most once. Blank lines are ignored. Any other problem is a
 * {@link PriceFileError} whose one-line message names the file, the line and the column.
 */
public final class PriceFile {
    /** The columns, in the order every file has them. */
    public static final List<String> COLUMNS =
            List.of("at_utc", "venue", "asset", "symbol", "mark_price", "funding_rate", "funding_interval_hours");
    /** The header line. */
    public static final String HEADER = String.join(",", COLUMNS);

    private static final Pattern ASSET = Pattern.compile("[A-Z0-9]+");
    private static final long HOUR_MILLIS = 3_600_000L;
    /** How much of a file's end is read to find its last line. */
    private static final int TAIL_BYTES = 65_536;

    private static final TypeReference<List<String>> CELLS = new TypeReference<>() {};

    private PriceFile() {}

    /** A price file that cannot be read or used; the message is one line naming the place. */
    public static final class PriceFileError extends RuntimeException {
        PriceFileError(String message) {
            super(message);
        }
    }

    /**
     * Reads and checks the whole file.
     *
     * @throws PriceFileError when it is missing, unreadable, empty, has another header, a bad
     *                        value, a line back in time, a repeated line, or no lines at all
     */
    public static PriceReplay read(Path file) {
        List<PriceRow> rows = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        Map<String, Located> symbols = new LinkedHashMap<>();
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                MappingIterator<List<String>> it = mapper.readerFor(CELLS).readValues(reader)) {
            boolean header = false;
            Instant previous = null;
            while (true) {
                int line = it.getParser().currentLocation().getLineNr();
                if (!it.hasNextValue()) {
                    break;
                }
                List<String> cells = it.nextValue();
                if (blank(cells)) {
                    continue;
                }
                if (!header) {
                    checkHeader(file, line, cells);
                    header = true;
                    continue;
                }
                PriceRow row = row(cells, where(file, line));
                if (previous != null && row.at().isBefore(previous)) {
                    throw error(
                            where(file, line) + ", column at_utc",
                            row.at() + " is before the line above (" + previous + "): lines must be in time order");
                }
                previous = row.at();
                String key = row.venue().configName() + " " + row.asset();
                Integer first = seen.put(key + " at " + row.at(), line);
                if (first != null) {
                    throw error(
                            where(file, line),
                            "a second line for " + key + " at " + row.at() + " (first on line " + first + ")");
                }
                Located symbol = symbols.putIfAbsent(key, new Located(row.symbol(), line));
                if (symbol != null && !symbol.value().equals(row.symbol())) {
                    throw error(
                            where(file, line) + ", column symbol",
                            key + " is '" + row.symbol() + "' here but '" + symbol.value() + "' on line "
                                    + symbol.line());
                }
                rows.add(row);
            }
            if (!header) {
                throw error(file.toString(), "empty: expected the header " + HEADER);
            }
        } catch (NoSuchFileException e) {
            throw error(file.toString(), "no such file");
        } catch (JsonProcessingException e) {
            throw error(
                    where(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr()), firstLine(e));
        } catch (IOException | UncheckedIOException e) {
            throw error(file.toString(), "cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof PriceFileError) {
                throw e;
            }
            // Jackson wraps parse errors met while iterating
            if (e.getCause() instanceof JsonProcessingException j) {
                throw error(
                        where(
                                file,
                                j.getLocation() == null ? 0 : j.getLocation().getLineNr()),
                        firstLine(j));
            }
            throw e;
        }
        if (rows.isEmpty()) {
            throw error(file.toString(), "no lines after the header");
        }
        return PriceReplay.of(rows);
    }

    /** Opens {@code file} to append lines: created with the header when missing or empty. */
    public static Appender append(Path file) {
        return Appender.open(file);
    }

    /**
     * Appends lines to a price file, one sample at a time, each flushed to the file. The file's
     * header and last line are checked when it is opened, so a recording never continues a file
     * of another kind or goes back in time.
     */
    public static final class Appender implements AutoCloseable {
        private final Path file;
        private final Writer writer;
        private final ObjectWriter csv;
        private Instant lastAt;
        private long written;

        private Appender(Path file, Writer writer, Instant lastAt) {
            this.file = file;
            this.writer = writer;
            this.lastAt = lastAt;
            CsvSchema.Builder schema = CsvSchema.builder();
            COLUMNS.forEach(schema::addColumn);
            this.csv = new CsvMapper().writer(schema.build().withoutHeader());
        }

        static Appender open(Path file) {
            try {
                boolean fresh = !Files.exists(file) || Files.size(file) == 0;
                Instant last = fresh ? null : checkExisting(file);
                Writer writer = Files.newBufferedWriter(
                        file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                if (fresh) {
                    writer.write(HEADER + "\n");
                    writer.flush();
                }
                return new Appender(file, writer, last);
            } catch (IOException e) {
                throw error(file.toString(), "cannot write: " + e.getMessage());
            }
        }

        /** The time of the file's last line; empty when it has none yet. */
        public Optional<Instant> lastAt() {
            return Optional.ofNullable(lastAt);
        }

        public Path file() {
            return file;
        }

        /** Lines this appender wrote. */
        public long written() {
            return written;
        }

        /**
         * Writes {@code rows} (one sample) and flushes them.
         *
         * @throws IllegalArgumentException when a row is earlier than the file's last line
         */
        public void write(List<PriceRow> rows) {
            for (PriceRow r : rows) {
                if (lastAt != null && r.at().isBefore(lastAt)) {
                    throw new IllegalArgumentException(
                            file + " ends at " + lastAt + ": a line at " + r.at() + " would go back in time");
                }
            }
            try {
                for (PriceRow r : rows) {
                    writer.write(csv.writeValueAsString(cells(r)));
                    lastAt = r.at();
                    written++;
                }
                writer.flush();
            } catch (IOException e) {
                throw error(file.toString(), "cannot write: " + e.getMessage());
            }
        }

        @Override
        public void close() {
            try {
                writer.close();
            } catch (IOException e) {
                throw error(file.toString(), "cannot close: " + e.getMessage());
            }
        }

        /** Checks an existing file's header and last line; returns that line's time. */
        private static Instant checkExisting(Path file) throws IOException {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String first = reader.readLine();
                if (first == null || !first.strip().equals(HEADER)) {
                    throw error(
                            file + " line 1",
                            "not a price file (its header is '" + abbreviate(first) + "', expected '" + HEADER
                                    + "'): choose another --out");
                }
            }
            String last = lastLine(file);
            if (last.strip().equals(HEADER)) {
                return null;
            }
            CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
            try (MappingIterator<List<String>> it = mapper.readerFor(CELLS).readValues(last)) {
                return row(it.nextValue(), file + ", last line").at();
            }
        }

        /**
         * The file's last non-blank line, read from its end; the file must end with a newline (a
         * cut-off line is refused).
         */
        private static String lastLine(Path file) throws IOException {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                long end = raf.length();
                raf.seek(end - 1);
                if (raf.read() != '\n') {
                    throw error(
                            file.toString(),
                            "the last line does not end with a newline (a recording cut off?): complete or remove it");
                }
                int tail = (int) Math.min(end, TAIL_BYTES);
                byte[] bytes = new byte[tail];
                raf.seek(end - tail);
                raf.readFully(bytes);
                String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
                for (int i = lines.length - 1; i >= 0; i--) {
                    if (!lines[i].isBlank() && (i > 0 || tail == end)) {
                        return lines[i];
                    }
                }
                throw error(file.toString(), "no line found in its last " + tail + " bytes");
            }
        }
    }

    /** The cells of one row, by column name, as the file holds them. */
    static Map<String, String> cells(PriceRow r) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("at_utc", r.at().toString());
        out.put("venue", r.venue().configName());
        out.put("asset", r.asset());
        out.put("symbol", r.symbol());
        out.put("mark_price", r.markPrice().toPlainString());
        out.put("funding_rate", r.fundingRate().toPlainString());
        out.put("funding_interval_hours", hours(r.fundingInterval()));
        return out;
    }

    /** "8", "1", "0.5": an interval in hours, as written. */
    static String hours(Duration interval) {
        return BigDecimal.valueOf(interval.toMillis())
                .divide(BigDecimal.valueOf(HOUR_MILLIS), 9, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }

    private static void checkHeader(Path file, int line, List<String> cells) {
        List<String> names = cells.stream().map(String::strip).toList();
        if (!names.equals(COLUMNS)) {
            throw error(
                    where(file, line),
                    "the header is '" + abbreviate(String.join(",", cells)) + "', expected '" + HEADER + "'");
        }
    }

    private static PriceRow row(List<String> cells, String where) {
        if (cells.size() != COLUMNS.size()) {
            throw error(where, cells.size() + " columns, expected " + COLUMNS.size() + " (" + HEADER + ")");
        }
        Instant at = time(where, cell(cells, 0)).truncatedTo(ChronoUnit.MILLIS);
        Venue venue;
        try {
            venue = Venue.parse(cell(cells, 1));
        } catch (IllegalArgumentException e) {
            throw error(where + ", column venue", e.getMessage());
        }
        String asset = cell(cells, 2).toUpperCase(Locale.ROOT);
        if (!ASSET.matcher(asset).matches()) {
            throw error(
                    where + ", column asset",
                    "not a base asset (letters and digits, e.g. BTC): '" + abbreviate(cell(cells, 2)) + "'");
        }
        String symbol = cell(cells, 3);
        if (symbol.isEmpty() || symbol.chars().anyMatch(Character::isWhitespace)) {
            throw error(where + ", column symbol", "not a market symbol: '" + abbreviate(symbol) + "'");
        }
        BigDecimal mark = number(where, "mark_price", cell(cells, 4));
        if (mark.signum() <= 0) {
            throw error(where + ", column mark_price", "must be > 0: " + mark.toPlainString());
        }
        BigDecimal rate = number(where, "funding_rate", cell(cells, 5));
        if (rate.abs().compareTo(BigDecimal.ONE) >= 0) {
            throw error(where + ", column funding_rate", "|rate| must be < 1: " + rate.toPlainString());
        }
        BigDecimal hours = number(where, "funding_interval_hours", cell(cells, 6));
        if (hours.signum() <= 0) {
            throw error(where + ", column funding_interval_hours", "must be > 0: " + hours.toPlainString());
        }
        BigDecimal millis = hours.multiply(BigDecimal.valueOf(HOUR_MILLIS)).stripTrailingZeros();
        if (millis.scale() > 0 || millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw error(
                    where + ", column funding_interval_hours",
                    hours.toPlainString() + " is not a whole number of milliseconds");
        }
        return new PriceRow(at, venue, asset, symbol, mark, rate, Duration.ofMillis(millis.longValueExact()));
    }

    private static String cell(List<String> cells, int i) {
        return cells.get(i) == null ? "" : cells.get(i).strip();
    }

    private static Instant time(String where, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                throw error(
                        where + ", column at_utc",
                        "not a UTC time like 2024-01-01T00:00:00Z: '" + abbreviate(text) + "'");
            }
        }
    }

    private static BigDecimal number(String where, String column, String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw error(where + ", column " + column, "not a number: '" + abbreviate(text) + "'");
        }
    }

    private static boolean blank(List<String> cells) {
        return cells.stream().allMatch(c -> c == null || c.isBlank());
    }

    private static String where(Path file, int line) {
        return file + " line " + line;
    }

    private static String firstLine(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.length() <= 80 ? one : one.substring(0, 77) + "...";
    }

    private static PriceFileError error(String where, String what) {
        return new PriceFileError(where + ": " + what);
    }

    private record Located(String value, int line) {}
}
