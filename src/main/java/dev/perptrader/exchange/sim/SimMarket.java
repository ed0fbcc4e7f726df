package dev.perptrader.exchange.sim;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * The shared simulated market: one mid per asset (a geometric random walk advanced lazily by
 * the clock), and per venue a basis (mark = mid × (1 + basis/10000), basis = the venue's
 * basisBps plus noise of standard deviation basisNoiseBps, redrawn at every step) and a funding
 * rate (a slow random walk bounded by the venue's ±maxFundingRate that steps only when one of
 * that venue's funding boundaries is crossed, so the rate quoted is the rate the next settlement
 * charges). Each venue's model is {@link AppConfig.Sim#venue}. The rules are the
 * {@link SimCatalog}'s. This is the sim mode's {@link MarketFeed}. Not thread-safe:
 * {@link SimWorld} guards it. The same seed, catalog and sequence of clock readings give the
 * same market.
 */
final class SimMarket implements MarketFeed {
    static final double NANOS_PER_YEAR = 365.25 * 24 * 3600 * 1e9;
    /** Standard deviation of the funding-rate step per interval, in units of maxFundingRate. */
    private static final double FUNDING_STEP = 0.1;

    private static final int BASIS_SCALE = 4;
    private static final int RATE_SCALE = 10;

    /** How long a venue's basis noise remembers itself (see {@link #stepBasis}). */
    static final Duration BASIS_NOISE_MEMORY = Duration.ofSeconds(60);

    private final SimCatalog catalog;
    private final AppConfig.Sim params;
    private final SimRandom random;
    /** The venues modelled ({@link AppConfig.Sim#modelled}), in registration order. */
    private final List<Venue> venues;

    private final Map<String, BigDecimal> mids = new HashMap<>();
    /** Each asset's {@link SimCatalog.Asset#midTick}, found once: the catalog does not change. */
    private final Map<String, BigDecimal> midTicks = new HashMap<>();

    private final Map<Venue, Map<String, BigDecimal>> basisBps = new TreeMap<>();
    private final Map<Venue, Map<String, BigDecimal>> fundingRates = new TreeMap<>();
    private Instant lastUpdate;
    private long draws;

    SimMarket(SimCatalog catalog, AppConfig.Sim params) {
        this.catalog = catalog;
        this.params = params;
        this.random = new SimRandom(params.seed());
        this.venues = params.modelled();
        for (Venue v : venues) {
            basisBps.put(v, new HashMap<>());
            fundingRates.put(v, new HashMap<>());
        }
        catalog.assets().forEach(a -> midTicks.put(a.asset(), a.midTick()));
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public Map<String, MarketRules> markets(Venue venue) {
        return catalog.markets(venue);
    }

    @Override
    public Optional<MarketRules> rules(Venue venue, String symbol) {
        return catalog.bySymbol(venue, symbol).map(a -> a.rules(venue));
    }

    /** Mids, bases, funding rates, the clock and the draw counter as the store holds them. */
    @Override
    public void load(SimStore store) {
        clear();
        Optional<String> last = store.meta(SimStore.META_LAST_UPDATE);
        if (last.isPresent()) {
            long n = Long.parseLong(store.meta(SimStore.META_DRAWS).orElse("0"));
            restoreClock(Instant.parse(last.get()), n);
        }
        store.loadMarket(this);
    }

    @Override
    public void save(SimStore store) {
        store.putMeta(SimStore.META_LAST_UPDATE, lastUpdate.toString());
        store.putMeta(SimStore.META_DRAWS, Long.toString(draws));
        store.saveMarket(this, catalog);
    }

    /** Forgets everything (before a load from the store). */
    void clear() {
        mids.clear();
        basisBps.values().forEach(Map::clear);
        fundingRates.values().forEach(Map::clear);
        lastUpdate = null;
        draws = 0;
    }

    void restoreClock(Instant lastUpdate, long draws) {
        this.lastUpdate = lastUpdate;
        this.draws = draws;
    }

    void restoreMid(String asset, BigDecimal mid) {
        mids.put(asset, mid);
    }

    /** A venue this market does not model (no longer traded) is left out. */
    void restoreVenue(Venue venue, String asset, BigDecimal basis, BigDecimal fundingRate) {
        if (!basisBps.containsKey(venue)) {
            return;
        }
        basisBps.get(venue).put(asset, basis);
        fundingRates.get(venue).put(asset, fundingRate);
    }

    /**
     * Gives every catalog asset that has no state yet its start price, a basis and a funding
     * rate; starts the clock at {@code now} if it never ran.
     */
    @Override
    public void initializeMissing(Instant now) {
        if (lastUpdate == null) {
            lastUpdate = now;
        }
        for (SimCatalog.Asset a : catalog.assets()) {
            if (mids.containsKey(a.asset())) {
                continue;
            }
            Random rnd = random.draw(draws++);
            mids.put(a.asset(), roundToTick(a.startPrice(), a.midTick()));
            for (Venue v : venues) {
                basisBps.get(v).put(a.asset(), drawBasis(v, rnd));
                fundingRates.get(v).put(a.asset(), clampRate(v, maxRate(v) * 0.5 * rnd.nextGaussian()));
            }
        }
    }

    /**
     * Moves the market to {@code now} with one step per asset; returns false (and changes
     * nothing) when the clock has not moved past the last update.
     */
    @Override
    public boolean advanceTo(Instant now) {
        if (!now.isAfter(lastUpdate)) {
            return false;
        }
        double dtYears = Duration.between(lastUpdate, now).toNanos() / NANOS_PER_YEAR;
        Map<Venue, Long> boundaries = new TreeMap<>();
        for (Venue v : venues) {
            boundaries.put(v, fundingBoundaries(v, lastUpdate, now));
        }
        double sigma = params.volatilityAnnual().doubleValue();
        Random rnd = random.draw(draws++);
        for (SimCatalog.Asset a : catalog.assets()) {
            double z = rnd.nextGaussian();
            double factor = Math.exp(sigma * Math.sqrt(dtYears) * z - sigma * sigma * dtYears / 2);
            BigDecimal next = mid(a.asset()).multiply(BigDecimal.valueOf(factor));
            BigDecimal tick = midTicks.get(a.asset());
            mids.put(a.asset(), roundToTick(next, tick).max(tick));
            for (Venue v : venues) {
                basisBps.get(v).put(a.asset(), stepBasis(v, basisBps(v, a.asset()), dtYears, rnd));
                long crossed = boundaries.get(v);
                double step = maxRate(v) * FUNDING_STEP * Math.sqrt(crossed) * rnd.nextGaussian();
                if (crossed > 0) {
                    double rate = fundingRate(v, a.asset()).doubleValue() + step;
                    fundingRates.get(v).put(a.asset(), clampRate(v, rate));
                }
            }
        }
        lastUpdate = now;
        return true;
    }

    /** Sets the mid of {@code asset} (rounded to its tick); the bases stay as they are. */
    @Override
    public void setMid(String asset, BigDecimal price) {
        SimCatalog.Asset a = known(asset);
        mids.put(asset, roundToTick(price, a.midTick()).max(a.midTick()));
    }

    @Override
    public void setFundingRate(Venue venue, String asset, BigDecimal rate) {
        known(asset);
        fundingRates.get(venue).put(asset, rate.setScale(RATE_SCALE, RoundingMode.HALF_EVEN));
    }

    BigDecimal mid(String asset) {
        BigDecimal mid = mids.get(asset);
        if (mid == null) {
            throw new IllegalStateException("no price for " + asset);
        }
        return mid;
    }

    /** The venue's mark: mid × (1 + basis/10000), rounded to the venue's tick. */
    @Override
    public BigDecimal mark(Venue venue, String asset) {
        BigDecimal factor = BigDecimal.ONE.add(basisBps(venue, asset).movePointLeft(4));
        return roundToTick(
                mid(asset).multiply(factor), known(asset).rules(venue).tickSize());
    }

    /** The venues this market quotes. */
    List<Venue> venues() {
        return venues;
    }

    BigDecimal basisBps(Venue venue, String asset) {
        return basisBps.get(venue).get(asset);
    }

    @Override
    public Duration fundingInterval(Venue venue, String symbol) {
        return params.venue(venue).fundingInterval();
    }

    @Override
    public BigDecimal fundingRate(Venue venue, String asset) {
        return fundingRates.get(venue).get(asset);
    }

    @Override
    public Instant lastUpdate() {
        return lastUpdate;
    }

    long draws() {
        return draws;
    }

    /** How many of {@code venue}'s funding boundaries (epoch-aligned) b satisfy {@code from < b <= to}. */
    private long fundingBoundaries(Venue venue, Instant from, Instant to) {
        long interval = params.venue(venue).fundingInterval().toMillis();
        return Math.floorDiv(to.toEpochMilli(), interval) - Math.floorDiv(from.toEpochMilli(), interval);
    }

    /** {@code value} to the nearest multiple of {@code tick} (half up), at the tick's scale. */
    static BigDecimal roundToTick(BigDecimal value, BigDecimal tick) {
        return value.divide(tick, 0, RoundingMode.HALF_UP).multiply(tick);
    }

    private SimCatalog.Asset known(String asset) {
        return catalog.asset(asset).orElseThrow(() -> new IllegalArgumentException("unknown asset: " + asset));
    }

    /** The venue's mean basis plus noise; the noise is drawn even when its deviation is zero. */
    /**
     * The venue's basis {@code dtYears} after {@code previous}: it reverts to its mean with a
     * memory of {@link #BASIS_NOISE_MEMORY} (an Ornstein-Uhlenbeck step), keeping
     * {@code basis_noise_bps} as its spread around the mean however often the market is read. A
     * basis drawn afresh at every read would make a venue's mark jitter by the full noise every
     * half second when a resting order is polled, and fill it on the jitter's way back.
     */
    private BigDecimal stepBasis(Venue venue, BigDecimal previous, double dtYears, Random rnd) {
        AppConfig.VenueModel m = params.venue(venue);
        double keep = Math.exp(-dtYears * NANOS_PER_YEAR / BASIS_NOISE_MEMORY.toNanos());
        double mean = m.basisBps().doubleValue();
        double noise = m.basisNoiseBps().doubleValue() * Math.sqrt(1 - keep * keep) * rnd.nextGaussian();
        double next = mean + (previous.doubleValue() - mean) * keep + noise;
        return BigDecimal.valueOf(next).setScale(BASIS_SCALE, RoundingMode.HALF_EVEN);
    }

    private BigDecimal drawBasis(Venue venue, Random rnd) {
        AppConfig.VenueModel m = params.venue(venue);
        double noise = m.basisNoiseBps().doubleValue() * rnd.nextGaussian();
        return m.basisBps().add(BigDecimal.valueOf(noise)).setScale(BASIS_SCALE, RoundingMode.HALF_EVEN);
    }

    private double maxRate(Venue venue) {
        return params.venue(venue).maxFundingRate().doubleValue();
    }

    private BigDecimal clampRate(Venue venue, double rate) {
        BigDecimal max = params.venue(venue).maxFundingRate();
        BigDecimal r = BigDecimal.valueOf(rate).setScale(RATE_SCALE, RoundingMode.HALF_EVEN);
        return r.min(max).max(max.negate()).setScale(RATE_SCALE, RoundingMode.HALF_EVEN);
    }
}
