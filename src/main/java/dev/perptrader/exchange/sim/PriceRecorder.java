package dev.perptrader.exchange.sim;

import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.PerpExchange;
import dev.perptrader.exchange.PerpExchange.Quote;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what venues show publicly: at every sample, per venue, one {@link PerpExchange#markets()}
 * call, one {@link PerpExchange#quotes} call for the wanted assets it lists, and
 * {@link PerpExchange#fundingInterval} per market; one {@link PriceRow} per market that has a
 * positive mark and a funding rate. No keys are needed: the real clients' public calls, or the
 * simulated venues. A venue or market that cannot be read is logged and left out of that sample,
 * never invented. Time comes from the injected clock and waiting from a {@link Pace}, so a test
 * or a simulated recording runs without sleeping.
 */
public final class PriceRecorder {
    private static final Logger log = LoggerFactory.getLogger(PriceRecorder.class);

    private final List<PerpExchange> venues;
    private final List<String> assets;
    private final Clock clock;
    private final CountDownLatch stop = new CountDownLatch(1);

    /**
     * @param venues the venues to read, in the order their lines are written
     * @param assets the base assets to record ("BTC"), where a venue lists them
     */
    public PriceRecorder(List<PerpExchange> venues, List<String> assets, Clock clock) {
        this.venues = List.copyOf(venues);
        this.assets = List.copyOf(assets);
        this.clock = Objects.requireNonNull(clock, "clock");
        if (this.venues.isEmpty() || this.assets.isEmpty()) {
            throw new IllegalArgumentException("nothing to record: venues " + venues + ", assets " + assets);
        }
    }

    /** How the recorder waits for its next sample. */
    public interface Pace {
        /**
         * Returns when the clock has reached {@code next}, or earlier when the recording is to
         * stop; false in that case.
         */
        boolean awaitUntil(Instant next) throws InterruptedException;
    }

    /** Waits for real on the clock, until the next sample is due or {@link #requestStop}. */
    public Pace realTime() {
        return next -> {
            long millis = Duration.between(clock.instant(), next).toMillis();
            if (millis <= 0) {
                return !stopRequested();
            }
            return !stop.await(millis, TimeUnit.MILLISECONDS);
        };
    }

    /** Moves {@code virtual} (this recorder's clock) straight to the next sample: no waiting. */
    public Pace virtual(VirtualClock virtual) {
        if (virtual != clock) {
            throw new IllegalArgumentException("the virtual clock must be the recorder's clock");
        }
        return next -> {
            virtual.advanceTo(next);
            return !stopRequested();
        };
    }

    /** Ends {@link #run} after the sample in progress (safe from any thread, e.g. a signal hook). */
    public void requestStop() {
        stop.countDown();
    }

    public boolean stopRequested() {
        return stop.getCount() == 0;
    }

    /** One reading of every venue at the clock's time (to the millisecond). */
    public Sample sample() {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<PriceRow> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (PerpExchange venue : venues) {
            Venue v = venue.venue();
            try {
                Map<String, MarketRules> listed = venue.markets();
                List<MarketRules> wanted = assets.stream()
                        .map(listed::get)
                        .filter(Objects::nonNull)
                        .toList();
                Map<String, Quote> quotes =
                        venue.quotes(wanted.stream().map(MarketRules::symbol).toList());
                for (MarketRules market : wanted) {
                    Quote q = quotes.get(market.symbol());
                    if (q == null || q.markPrice() == null || q.markPrice().signum() <= 0 || q.fundingRate() == null) {
                        failures.add(v.configName() + " " + market.symbol() + ": no mark and funding rate quoted");
                        continue;
                    }
                    try {
                        Duration interval = venue.fundingInterval(market.symbol());
                        rows.add(new PriceRow(
                                at, v, market.asset(), market.symbol(), q.markPrice(), q.fundingRate(), interval));
                    } catch (ExchangeException e) {
                        failures.add(market.symbol() + ": " + e.getMessage());
                    }
                }
            } catch (ExchangeException e) {
                failures.add(e.getMessage());
            }
        }
        return new Sample(at, List.copyOf(rows), List.copyOf(failures));
    }

    /**
     * Samples now and then every {@code interval} after the first sample (slots missed while a
     * sample took longer are skipped), appending each sample to {@code out}, until
     * {@code maxSamples} samples were taken (0 = no limit) or {@link #requestStop}.
     *
     * @throws IllegalArgumentException when the clock is not after the file's last line
     */
    public Result run(PriceFile.Appender out, Duration interval, long maxSamples, Pace pace) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval <= 0: " + interval);
        }
        Optional<Instant> last = out.lastAt();
        Instant first = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (last.isPresent() && !first.isAfter(last.get())) {
            throw new IllegalArgumentException(out.file() + " ends at " + last.get() + ": a recording from " + first
                    + " would go back in time (record to another file, or start later)");
        }
        long samples = 0;
        long rows = 0;
        long failed = 0;
        boolean failing = false;
        Instant next = first;
        Instant firstAt = null;
        Instant lastAt = null;
        while (true) {
            Sample s = sample();
            out.write(s.rows());
            samples++;
            rows += s.rows().size();
            failed += s.failures().size();
            firstAt = firstAt == null ? s.at() : firstAt;
            lastAt = s.at();
            if (!s.failures().isEmpty()) {
                log.warn("record {}: {} lines; not read: {}", s.at(), s.rows().size(), s.failures());
                failing = true;
            } else if (failing || samples == 1) {
                log.info("record {}: {} lines to {}", s.at(), s.rows().size(), out.file());
                failing = false;
            } else {
                log.debug("record {}: {} lines", s.at(), s.rows().size());
            }
            if ((maxSamples > 0 && samples >= maxSamples) || stopRequested()) {
                break;
            }
            next = next.plus(interval);
            Instant now = clock.instant();
            while (next.isBefore(now)) {
                next = next.plus(interval);
            }
            try {
                if (!pace.awaitUntil(next)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new Result(samples, rows, failed, Optional.ofNullable(firstAt), Optional.ofNullable(lastAt));
    }

    /**
     * One sample.
     *
     * @param failures one line per venue or market that could not be read
     */
    public record Sample(Instant at, List<PriceRow> rows, List<String> failures) {}

    /**
     * What {@link #run} did.
     *
     * @param failedReads venues and markets left out of a sample, summed over the samples
     */
    public record Result(long samples, long rows, long failedReads, Optional<Instant> first, Optional<Instant> last) {}
}
