package dev.perptrader.exchange.sim;

import dev.perptrader.config.AppConfig;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Venue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    /** The venues modelled ({@link AppConfig.Sim#modelled}), in registration order: index j below. */
    private final List<Venue> venues;
    /** The catalog's assets in catalog order: index i below. */
    private final List<SimCatalog.Asset> assets;

    private final Map<String, Integer> assetIndex = new HashMap<>();
    /** Each asset's {@link SimCatalog.Asset#midTick}, found once: the catalog does not change. */
    private final BigDecimal[] midTicks;
    /** Per venue and asset, the venue's tick, which its mark is rounded to. */
    private final BigDecimal[][] markTicks;
    /** Per venue, its model's numbers the random walk reads at every step, read from the config once. */
    private final double[] basisMean;

    private final double[] basisNoise;
    private final double[] maxRate;
    private final long[] fundingMillis;
    private final double sigma;

    /** Per asset its mid; per venue and asset its basis and funding rate; null before they are set. */
    private final BigDecimal[] mids;

    private final BigDecimal[][] basisBps;
    private final BigDecimal[][] fundingRates;
    /**
     * Per venue and asset the mark of the current mid and basis, found at its first read after
     * either changed: a market step is read by several calls (quotes, account, the liquidation
     * check), all of which see the same mark.
     */
    private final BigDecimal[][] marks;

    private Instant lastUpdate;
    private long draws;

    SimMarket(SimCatalog catalog, AppConfig.Sim params) {
        this.catalog = catalog;
        this.params = params;
        this.random = new SimRandom(params.seed());
        this.venues = params.modelled();
        this.assets = catalog.assets();
        int nv = venues.size();
        int na = assets.size();
        midTicks = new BigDecimal[na];
        markTicks = new BigDecimal[nv][na];
        for (int i = 0; i < na; i++) {
            SimCatalog.Asset a = assets.get(i);
            assetIndex.put(a.asset(), i);
            midTicks[i] = a.midTick();
            for (int j = 0; j < nv; j++) {
                markTicks[j][i] = a.rules(venues.get(j)).tickSize();
            }
        }
        basisMean = new double[nv];
        basisNoise = new double[nv];
        maxRate = new double[nv];
        fundingMillis = new long[nv];
        for (int j = 0; j < nv; j++) {
            AppConfig.VenueModel m = params.venue(venues.get(j));
            basisMean[j] = m.basisBps().doubleValue();
            basisNoise[j] = m.basisNoiseBps().doubleValue();
            maxRate[j] = m.maxFundingRate().doubleValue();
            fundingMillis[j] = m.fundingInterval().toMillis();
        }
        sigma = params.volatilityAnnual().doubleValue();
        mids = new BigDecimal[na];
        basisBps = new BigDecimal[nv][na];
        fundingRates = new BigDecimal[nv][na];
        marks = new BigDecimal[nv][na];
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

    /**
     * Mids, bases, funding rates, the clock and the draw counter as the store holds them: in
     * memory, the {@link Image} last kept (none: nothing yet).
     */
    @Override
    public void load(SimStore store) {
        clear();
        if (store.inMemory()) {
            store.marketImage().ifPresent(this::restore);
            return;
        }
        Optional<String> last = store.meta(SimStore.META_LAST_UPDATE);
        if (last.isPresent()) {
            long n = Long.parseLong(store.meta(SimStore.META_DRAWS).orElse("0"));
            restoreClock(Instant.parse(last.get()), n);
        }
        store.loadMarket(this);
    }

    /**
     * To a file: the clock and the draw counter as meta rows, the prices as rows. In memory: one
     * {@link Image} of it all, which a simulation that never restarts only reads back after a
     * failed write, instead of fifteen rows written at every step.
     */
    @Override
    public void save(SimStore store) {
        if (store.inMemory()) {
            store.keepMarketImage(new Image(lastUpdate, draws, mids.clone(), copy(basisBps), copy(fundingRates)));
            return;
        }
        store.putMeta(SimStore.META_LAST_UPDATE, lastUpdate.toString());
        store.putMeta(SimStore.META_DRAWS, Long.toString(draws));
        store.saveMarket(this, catalog);
    }

    /**
     * The whole state of the market at one instant, for a store in memory. Its arrays are copies
     * nobody writes to: an image never changes once made.
     */
    static final class Image {
        private final Instant lastUpdate;
        private final long draws;
        private final BigDecimal[] mids;
        private final BigDecimal[][] basisBps;
        private final BigDecimal[][] fundingRates;

        private Image(
                Instant lastUpdate,
                long draws,
                BigDecimal[] mids,
                BigDecimal[][] basisBps,
                BigDecimal[][] fundingRates) {
            this.lastUpdate = lastUpdate;
            this.draws = draws;
            this.mids = mids;
            this.basisBps = basisBps;
            this.fundingRates = fundingRates;
        }
    }

    private void restore(Image image) {
        restoreClock(image.lastUpdate, image.draws);
        System.arraycopy(image.mids, 0, mids, 0, mids.length);
        for (int j = 0; j < venues.size(); j++) {
            System.arraycopy(image.basisBps[j], 0, basisBps[j], 0, assets.size());
            System.arraycopy(image.fundingRates[j], 0, fundingRates[j], 0, assets.size());
        }
        forgetMarks();
    }

    private static BigDecimal[][] copy(BigDecimal[][] rows) {
        BigDecimal[][] out = new BigDecimal[rows.length][];
        for (int j = 0; j < rows.length; j++) {
            out[j] = rows[j].clone();
        }
        return out;
    }

    /** Forgets everything (before a load from the store). */
    void clear() {
        Arrays.fill(mids, null);
        for (int j = 0; j < venues.size(); j++) {
            Arrays.fill(basisBps[j], null);
            Arrays.fill(fundingRates[j], null);
        }
        forgetMarks();
        lastUpdate = null;
        draws = 0;
    }

    void restoreClock(Instant lastUpdate, long draws) {
        this.lastUpdate = lastUpdate;
        this.draws = draws;
    }

    /** An asset the catalog no longer lists is left out. */
    void restoreMid(String asset, BigDecimal mid) {
        Integer i = assetIndex.get(asset);
        if (i != null) {
            mids[i] = mid;
            forgetMarks();
        }
    }

    /** A venue this market does not model (no longer traded), or an asset no longer listed, is left out. */
    void restoreVenue(Venue venue, String asset, BigDecimal basis, BigDecimal fundingRate) {
        int j = venues.indexOf(venue);
        Integer i = assetIndex.get(asset);
        if (j < 0 || i == null) {
            return;
        }
        basisBps[j][i] = basis;
        fundingRates[j][i] = fundingRate;
        marks[j][i] = null;
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
        for (int i = 0; i < assets.size(); i++) {
            SimCatalog.Asset a = assets.get(i);
            if (mids[i] != null) {
                continue;
            }
            SimRandom.Draw rnd = random.draw(draws++);
            mids[i] = roundToTick(a.startPrice(), midTicks[i]);
            for (int j = 0; j < venues.size(); j++) {
                basisBps[j][i] = drawBasis(venues.get(j), rnd);
                fundingRates[j][i] = clampRate(j, maxRate[j] * 0.5 * rnd.nextGaussian());
            }
        }
        forgetMarks();
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
        double dtYears = nanosBetween(lastUpdate, now) / NANOS_PER_YEAR;
        int nv = venues.size();
        long[] crossed = new long[nv];
        for (int j = 0; j < nv; j++) {
            crossed[j] = fundingBoundaries(j, lastUpdate, now);
        }
        // sigma·√dt·z − σ²·dt/2, and the basis's memory over dt: the same for every asset and venue
        double diffusion = sigma * Math.sqrt(dtYears);
        double drift = sigma * sigma * dtYears / 2;
        double keep = Math.exp(-dtYears * NANOS_PER_YEAR / BASIS_NOISE_MEMORY.toNanos());
        double fresh = Math.sqrt(1 - keep * keep);
        SimRandom.Draw rnd = random.draw(draws++);
        for (int i = 0; i < assets.size(); i++) {
            double z = rnd.nextGaussian();
            double factor = Math.exp(diffusion * z - drift);
            BigDecimal tick = midTicks[i];
            mids[i] = stepMid(mids[i], factor, tick).max(tick);
            for (int j = 0; j < nv; j++) {
                basisBps[j][i] = stepBasis(j, basisBps[j][i], keep, fresh, rnd);
                double step = maxRate[j] * FUNDING_STEP * Math.sqrt(crossed[j]) * rnd.nextGaussian();
                if (crossed[j] > 0) {
                    double rate = fundingRates[j][i].doubleValue() + step;
                    fundingRates[j][i] = clampRate(j, rate);
                }
            }
        }
        forgetMarks();
        lastUpdate = now;
        return true;
    }

    /** Sets the mid of {@code asset} (rounded to its tick); the bases stay as they are. */
    @Override
    public void setMid(String asset, BigDecimal price) {
        int i = known(asset);
        mids[i] = roundToTick(price, midTicks[i]).max(midTicks[i]);
        forgetMarks();
    }

    @Override
    public void setFundingRate(Venue venue, String asset, BigDecimal rate) {
        int i = known(asset);
        fundingRates[venue(venue)][i] = rate.setScale(RATE_SCALE, RoundingMode.HALF_EVEN);
    }

    BigDecimal mid(String asset) {
        Integer i = assetIndex.get(asset);
        BigDecimal mid = i == null ? null : mids[i];
        if (mid == null) {
            throw new IllegalStateException("no price for " + asset);
        }
        return mid;
    }

    /** The venue's mark: mid × (1 + basis/10000), rounded to the venue's tick. */
    @Override
    public BigDecimal mark(Venue venue, String asset) {
        int j = venue(venue);
        int i = known(asset);
        BigDecimal mark = marks[j][i];
        if (mark == null) {
            BigDecimal factor = BigDecimal.ONE.add(basisBps[j][i].movePointLeft(4));
            mark = roundToTick(mid(asset).multiply(factor), markTicks[j][i]);
            marks[j][i] = mark;
        }
        return mark;
    }

    /** The venues this market quotes. */
    List<Venue> venues() {
        return venues;
    }

    BigDecimal basisBps(Venue venue, String asset) {
        return basisBps[venue(venue)][known(asset)];
    }

    @Override
    public Duration fundingInterval(Venue venue, String symbol) {
        return params.venue(venue).fundingInterval();
    }

    @Override
    public BigDecimal fundingRate(Venue venue, String asset) {
        return fundingRates[venue(venue)][known(asset)];
    }

    @Override
    public Instant lastUpdate() {
        return lastUpdate;
    }

    long draws() {
        return draws;
    }

    private void forgetMarks() {
        for (BigDecimal[] row : marks) {
            Arrays.fill(row, null);
        }
    }

    /**
     * {@code Duration.between(from, to).toNanos()} without the Duration: it is asked at every
     * market step.
     */
    static long nanosBetween(Instant from, Instant to) {
        long seconds = Math.subtractExact(to.getEpochSecond(), from.getEpochSecond());
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), to.getNano() - from.getNano());
    }

    /** How many of venue j's funding boundaries (epoch-aligned) b satisfy {@code from < b <= to}. */
    private long fundingBoundaries(int j, Instant from, Instant to) {
        long interval = fundingMillis[j];
        return Math.floorDiv(to.toEpochMilli(), interval) - Math.floorDiv(from.toEpochMilli(), interval);
    }

    /** {@code value} to the nearest multiple of {@code tick} (half up), at the tick's scale. */
    static BigDecimal roundToTick(BigDecimal value, BigDecimal tick) {
        if (BigInteger.ONE.equals(tick.unscaledValue())) {
            // a power of ten: the same value at the same scale, without a division
            return value.setScale(tick.scale(), RoundingMode.HALF_UP);
        }
        return value.divide(tick, 0, RoundingMode.HALF_UP).multiply(tick);
    }

    /**
     * {@code roundToTick(mid × factor, tick)} with factor's decimal form
     * ({@link BigDecimal#valueOf(double)}), worked out in binary floating point when the result
     * is certain: the product is more than a millionth of a tick away from a half tick, far beyond
     * the error of a double. Otherwise (about one step in a million) in decimal, as it always was.
     */
    static BigDecimal stepMid(BigDecimal mid, double factor, BigDecimal tick) {
        double ticks = mid.doubleValue() * factor / tick.doubleValue();
        double fraction = ticks - Math.floor(ticks);
        if (Math.abs(fraction - 0.5) > 1e-6 && Math.abs(ticks) < 1e12) {
            return BigDecimal.valueOf(Math.round(ticks)).multiply(tick);
        }
        return roundToTick(mid.multiply(BigDecimal.valueOf(factor)), tick);
    }

    private int known(String asset) {
        Integer i = assetIndex.get(asset);
        if (i == null) {
            throw new IllegalArgumentException("unknown asset: " + asset);
        }
        return i;
    }

    private int venue(Venue venue) {
        int j = venues.indexOf(venue);
        if (j < 0) {
            throw new IllegalArgumentException("this market models " + venues + ", not " + venue);
        }
        return j;
    }

    /**
     * The venue's basis {@code dtYears} after {@code previous}: it reverts to its mean with a
     * memory of {@link #BASIS_NOISE_MEMORY} (an Ornstein-Uhlenbeck step, {@code keep} of the
     * deviation kept over the step and {@code fresh} = √(1 − keep²) of the noise drawn anew),
     * keeping {@code basis_noise_bps} as its spread around the mean however often the market is
     * read. A basis drawn afresh at every read would make a venue's mark jitter by the full noise
     * every half second when a resting order is polled, and fill it on the jitter's way back.
     */
    private BigDecimal stepBasis(int j, BigDecimal previous, double keep, double fresh, SimRandom.Draw rnd) {
        double mean = basisMean[j];
        double noise = basisNoise[j] * fresh * rnd.nextGaussian();
        double next = mean + (previous.doubleValue() - mean) * keep + noise;
        return toScale(next, BASIS_SCALE);
    }

    /**
     * {@code BigDecimal.valueOf(v).setScale(scale, HALF_EVEN)}: worked out from the double when
     * {@code v} is more than a millionth of a unit of the last place away from a half, where the
     * double's error cannot change the rounding; otherwise through its decimal form.
     */
    static BigDecimal toScale(double v, int scale) {
        double units = v * POWERS_OF_TEN[scale];
        double fraction = units - Math.floor(units);
        if (Math.abs(fraction - 0.5) > 1e-6 && Math.abs(units) < 1e12) {
            return BigDecimal.valueOf(Math.round(units), scale);
        }
        return BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_EVEN);
    }

    private static final double[] POWERS_OF_TEN = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10};

    private BigDecimal drawBasis(Venue venue, SimRandom.Draw rnd) {
        AppConfig.VenueModel m = params.venue(venue);
        double noise = m.basisNoiseBps().doubleValue() * rnd.nextGaussian();
        return m.basisBps().add(BigDecimal.valueOf(noise)).setScale(BASIS_SCALE, RoundingMode.HALF_EVEN);
    }

    private BigDecimal clampRate(int j, double rate) {
        BigDecimal max = params.venue(venues.get(j)).maxFundingRate();
        BigDecimal r = BigDecimal.valueOf(rate).setScale(RATE_SCALE, RoundingMode.HALF_EVEN);
        return r.min(max).max(max.negate()).setScale(RATE_SCALE, RoundingMode.HALF_EVEN);
    }
}
