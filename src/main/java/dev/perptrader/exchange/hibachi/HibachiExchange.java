package dev.perptrader.exchange.hibachi;

import static dev.perptrader.exchange.hibachi.HibachiMapper.best;
import static dev.perptrader.exchange.hibachi.HibachiMapper.contractOf;
import static dev.perptrader.exchange.hibachi.HibachiMapper.filledOf;
import static dev.perptrader.exchange.hibachi.HibachiMapper.isFinal;
import static dev.perptrader.exchange.hibachi.HibachiMapper.orderIdOf;
import static dev.perptrader.exchange.hibachi.HibachiMapper.orderSideOf;
import static dev.perptrader.exchange.hibachi.HibachiMapper.quote;
import static dev.perptrader.exchange.hibachi.HibachiMapper.read;
import static dev.perptrader.exchange.hibachi.HibachiMapper.requireOrderId;
import static dev.perptrader.exchange.hibachi.HibachiMapper.sameId;
import static dev.perptrader.exchange.hibachi.HibachiMapper.totalOf;
import static dev.perptrader.exchange.hibachi.HibachiMapper.unreadable;
import static dev.perptrader.exchange.hibachi.HibachiMapper.upperStatus;
import static dev.perptrader.exchange.hibachi.HibachiMapper.venueFill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigError;
import dev.perptrader.config.Secret;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.Quantities;
import dev.perptrader.domain.Venue;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.FeeRates;
import dev.perptrader.exchange.Futures;
import dev.perptrader.exchange.KeyProof;
import dev.perptrader.exchange.LimitOrderRequest;
import dev.perptrader.exchange.OrderRequest;
import dev.perptrader.exchange.Pacer;
import dev.perptrader.exchange.PreparedOrder;
import dev.perptrader.exchange.PreparingExchange;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.Sleeper;
import dev.perptrader.exchange.TopOfBook;
import dev.perptrader.exchange.VenueDriver;
import dev.perptrader.exchange.hibachi.HibachiErrors.Call;
import dev.perptrader.exchange.hibachi.HibachiHttp.Host;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hibachi (hibachi.xyz) over REST: public market data from the data host, account and orders
 * from the api host with the API key and a signed binary payload (HMAC-SHA256 or ECDSA
 * secp256k1, see {@link HibachiSigner}).
 *
 * <p>Client ids are Hibachi nonces: microseconds since the epoch, corrected by the venue's clock
 * offset, strictly increasing per instance. The same nonce is signed, sent, and used by
 * {@link #lookupOrder} to find an order whose placement timed out ({@code GET /trade/order?nonce=}).
 *
 * <p>Reads are paced (a token bucket of {@value #PACE_PER_SECOND} requests per second) and
 * retried on 429, 5xx and timeouts; order placement is sent once and, when the reply is lost or
 * a 5xx, ends in {@link ExchangeError#UNKNOWN_OUTCOME}: reconcile by client id, never resend.
 */
public final class HibachiExchange implements PreparingExchange {
    private static final Logger LOG = LoggerFactory.getLogger(HibachiExchange.class);
    /** This venue, as registered by {@link HibachiDriver}. */
    public static final Venue VENUE = Venue.parse("hibachi");

    /** Exchange-info is reloaded after this long (contract ids and decimals sign every order). */
    static final Duration CATALOG_TTL = Duration.ofMinutes(5);
    /**
     * The smallest maxFeesPercent sent: 0.1 %. When exchange-info's taker fee × 2 (the SDK's
     * headroom) is larger, that is sent instead. It is a cap: the fee charged is the real one.
     */
    static final BigDecimal MIN_MAX_FEES_PERCENT = new BigDecimal("0.001");
    /** Hibachi refuses nonces further than this from its clock. */
    static final Duration NONCE_WINDOW = Duration.ofSeconds(15);
    /** After a failed clock measurement, the next try is this much later (nonces keep the old offset). */
    static final Duration CLOCK_RETRY = Duration.ofSeconds(30);
    /** {@code /trade/account/trades} answers at most this many trades, the most recent (api doc §3.6). */
    static final int TRADES_LIMIT = 100;
    /**
     * The key proof cancels a nonce from the year 2000 (epoch microseconds 946684800000000 plus up
     * to a year): the shape of a real nonce, yet no order can ever have had it, since the venue
     * accepts a nonce only within 15 s of its clock when an order is placed.
     */
    static final long PROBE_NONCE_BASE = 946_684_800_000_000L;

    static final long PROBE_NONCE_SPAN = 31_536_000_000_000L;
    /** Funding settles every 8 h on every Hibachi market (user docs, "Funding"). */
    static final Duration FUNDING_INTERVAL = Duration.ofHours(8);
    /** A clock offset above this is logged as a warning. */
    static final Duration CLOCK_WARN = Duration.ofSeconds(1);
    /** Reads of the order status after placement, while it is not final, and the pause between. */
    static final int STATUS_POLLS = 5;

    static final Duration STATUS_POLL_WAIT = Duration.ofMillis(200);
    /** Order history is asked from this long before the order's nonce. */
    static final Duration HISTORY_LOOKBACK = Duration.ofMinutes(1);

    static final int PACE_PER_SECOND = 5;
    static final int PACE_BURST = 5;

    static final String DEFAULT_API_URL = "https://api.hibachi.xyz";

    private static final Pattern NONCE = Pattern.compile("[1-9][0-9]{0,18}");
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{1,18}");

    private final HibachiHttp http;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Optional<Credentials> credentials;
    private final AtomicReference<Catalog> catalog = new AtomicReference<>();
    private final Object catalogLock = new Object();
    private final AtomicLong lastNonce = new AtomicLong();
    private final AtomicLong clockOffsetMicros = new AtomicLong();
    private final Settings settings;
    private final Object clockLock = new Object();
    /** Daemon threads for the follow-up reads of a fill, asked in parallel; idle ones end after 60 s. */
    private final ExecutorService followUps = Futures.daemonPool("hibachi-fill-reads");

    private volatile boolean clockMeasured;
    private volatile Instant nextClockCheck = Instant.MIN;

    /**
     * The owner's settings: {@code exchanges.hibachi.late_execution_seconds} and
     * {@code exchanges.clock_check_minutes}.
     */
    record Settings(Duration lateExecution, Duration clockCheckEvery) {
        static final Settings DEFAULT = new Settings(NONCE_WINDOW, Duration.ofMinutes(5));

        Settings {
            Objects.requireNonNull(lateExecution, "lateExecution");
            Objects.requireNonNull(clockCheckEvery, "clockCheckEvery");
            if (lateExecution.isZero() || lateExecution.isNegative()) {
                throw new IllegalArgumentException("lateExecution <= 0: " + lateExecution);
            }
            if (clockCheckEvery.isZero() || clockCheckEvery.isNegative()) {
                throw new IllegalArgumentException("clockCheckEvery <= 0: " + clockCheckEvery);
            }
        }
    }

    /**
     * The account a live instance trades: the API key (sent raw as {@code Authorization}), the
     * numeric account id and the payload signer. {@code toString()} shows no secret.
     */
    record Credentials(Secret apiKey, long accountId, HibachiSigner signer) {
        Credentials {
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(signer, "signer");
        }

        /** Validates {@code exchanges.hibachi.*}; throws a one-line {@link ConfigError}. */
        static Credentials fromConfig(AppConfig.ExchangeCredentials c) {
            Secret apiKey = c.secret("api_key");
            if (!apiKey.isPresent()) {
                throw new ConfigError("exchanges.hibachi.api_key is required for live trading on hibachi"
                        + " (the API key sent as the Authorization header)");
            }
            String id = c.text("account_id").trim();
            if (!ACCOUNT_ID.matcher(id).matches() || Long.parseLong(id) <= 0) {
                throw new ConfigError("exchanges.hibachi.account_id must be a positive integer"
                        + " (the account id Hibachi shows after the first deposit), got '" + id + "'");
            }
            HibachiSigner signer = HibachiSigner.fromConfig(c.secret("api_secret"), c.secret("private_key"));
            return new Credentials(apiKey, Long.parseLong(id), signer);
        }

        @Override
        public String toString() {
            return "Credentials[apiKey=" + apiKey.masked() + ", accountId=" + accountId + ", signer=" + signer + "]";
        }
    }

    /** One contract as exchange-info describes it, with what signing needs. */
    record Contract(
            long id,
            String symbol,
            String asset,
            int underlyingDecimals,
            int settlementDecimals,
            BigDecimal stepSize,
            BigDecimal tickSize,
            BigDecimal minOrderSize,
            BigDecimal minNotional,
            BigDecimal initialMarginRate,
            BigDecimal maintenanceMarginRate,
            boolean live) {}

    private record Catalog(
            Map<String, MarketRules> byAsset,
            Map<String, Contract> bySymbol,
            BigDecimal takerFeeRate,
            BigDecimal makerFeeRate,
            Instant loadedAt) {}

    HibachiExchange(
            OkHttpClient client,
            String apiUrl,
            String dataUrl,
            Clock clock,
            Sleeper sleeper,
            Optional<Credentials> credentials) {
        this(client, apiUrl, dataUrl, clock, sleeper, credentials, Settings.DEFAULT);
    }

    HibachiExchange(
            OkHttpClient client,
            String apiUrl,
            String dataUrl,
            Clock clock,
            Sleeper sleeper,
            Optional<Credentials> credentials,
            Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        Secret key = credentials.map(Credentials::apiKey).orElse(Secret.empty());
        this.http = new HibachiHttp(
                client,
                url("exchanges.hibachi.api_url", apiUrl),
                url("exchanges.hibachi.data_url", dataUrl),
                key,
                sleeper,
                Pacer.monotonic(sleeper, PACE_PER_SECOND, PACE_BURST));
    }

    /**
     * A trading client. Validates {@code exchanges.hibachi.*}: {@code api_key}, a numeric
     * {@code account_id}, and either {@code private_key} (0x + 64 hex, ECDSA) or
     * {@code api_secret} (44 characters, HMAC). Throws {@link ConfigError} naming the key and
     * the rule, never the value.
     */
    public static HibachiExchange live(AppConfig.ExchangeCredentials creds, Clock clock) {
        Objects.requireNonNull(creds, "creds");
        Credentials credentials = Credentials.fromConfig(creds);
        return new HibachiExchange(
                tradingClient(),
                creds.text("api_url"),
                creds.text("data_url"),
                clock,
                Sleeper.SYSTEM,
                Optional.of(credentials),
                new Settings(creds.lateExecution(), creds.clockCheckEvery()));
    }

    /**
     * A client without keys (paper mode): markets, quotes and the clock offset work; every
     * authenticated call throws {@link ExchangeError#REJECTED} "no API keys (paper mode)".
     */
    public static HibachiExchange publicOnly(String dataUrl, Clock clock) {
        return new HibachiExchange(tradingClient(), DEFAULT_API_URL, dataUrl, clock, Sleeper.SYSTEM, Optional.empty());
    }

    /**
     * OkHttp never retries by itself here (a resent order is a second order), follows no
     * redirect, and every call is bounded ({@link HibachiHttp#SETTINGS}).
     */
    static OkHttpClient tradingClient() {
        return HibachiHttp.SETTINGS.newClient();
    }

    private static HttpUrl url(String key, String value) {
        HttpUrl parsed = value == null ? null : HttpUrl.parse(value.trim());
        if (parsed == null) {
            throw new ConfigError(key + " must be an http(s) URL, got '" + value + "'");
        }
        return parsed;
    }

    @Override
    public Venue venue() {
        return VENUE;
    }

    /**
     * Futures from exchange-info keyed by underlying asset; VENUE_DOWN when exchange-info says
     * explicitly that the exchange is not trading (a {@code status} other than NORMAL).
     */
    @Override
    public Map<String, MarketRules> markets() {
        return catalog().byAsset();
    }

    /**
     * Mark price and estimated funding (per 8 h) from {@code /market/data/prices}, one call per
     * known symbol: the one-call inventory endpoint has mark prices but no funding rate.
     */
    @Override
    public Map<String, Quote> quotes(Collection<String> symbols) {
        Catalog cat = catalog();
        Map<String, Quote> out = new LinkedHashMap<>();
        for (String symbol : new LinkedHashSet<>(symbols)) {
            if (!cat.bySymbol().containsKey(symbol)) {
                continue;
            }
            HibachiDto.Prices p = read(
                    http.get(Host.DATA, "/market/data/prices", query("symbol", symbol)),
                    HibachiDto.Prices.class,
                    "prices");
            out.put(symbol, quote(symbol, p, clock.instant()));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Mark prices of every market in one call, {@code /market/inventory} (the prices endpoint
     * answers one symbol per call). A wanted market the inventory lists without a positive mark
     * is an unusable reply, as in {@link #quotes}.
     */
    @Override
    public Map<String, BigDecimal> marks(Collection<String> symbols) {
        Catalog cat = catalog();
        Set<String> wanted = new LinkedHashSet<>(symbols);
        wanted.retainAll(cat.bySymbol().keySet());
        if (wanted.isEmpty()) {
            return Map.of();
        }
        HibachiDto.Inventory inv =
                read(http.get(Host.DATA, "/market/inventory", Map.of()), HibachiDto.Inventory.class, "inventory");
        return HibachiMapper.marks(inv, wanted);
    }

    /**
     * {@code /trade/account/info}: equity = {@code balance}, free = {@code maximalWithdraw};
     * maintenance margin = Σ position notional × the contract's maintenance margin rate.
     */
    @Override
    public AccountState account() {
        Credentials auth = requireAuth();
        HibachiDto.AccountInfo info = read(
                http.get(Host.API, "/trade/account/info", query("accountId", Long.toString(auth.accountId()))),
                HibachiDto.AccountInfo.class,
                "account info");
        return HibachiMapper.account(info, catalog().bySymbol());
    }

    /**
     * Hibachi is portfolio margin: no leverage setting exists (the doc's only lead,
     * {@code POST /trade/account/leverage}, is undocumented). This checks that the contract's
     * initial margin rate allows {@code leverage} and throws REJECTED naming the maximum if not.
     */
    @Override
    public void ensureLeverage(String symbol, BigDecimal leverage) {
        if (leverage == null || leverage.signum() <= 0) {
            throw new IllegalArgumentException("leverage <= 0: " + leverage);
        }
        Contract c = contract(symbol);
        if (c.initialMarginRate() == null || c.initialMarginRate().signum() <= 0) {
            LOG.warn(
                    "hibachi: {} has no initial margin rate; leverage {} cannot be checked",
                    symbol,
                    leverage.toPlainString());
            return;
        }
        if (leverage.multiply(c.initialMarginRate()).compareTo(BigDecimal.ONE) > 0) {
            BigDecimal max = BigDecimal.ONE.divide(c.initialMarginRate(), 2, RoundingMode.DOWN);
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.REJECTED,
                    "leverage "
                            + leverage.toPlainString() + " exceeds the maximum " + max.toPlainString() + " for "
                            + symbol
                            + " (initial margin rate " + c.initialMarginRate().toPlainString()
                            + "; portfolio margin, no per-position leverage setting)");
        }
    }

    /**
     * A Hibachi nonce: epoch microseconds plus the measured clock offset (measured again first
     * when {@code exchanges.clock_check_minutes} have passed), strictly greater than any earlier
     * one from this instance, even from two threads within one microsecond. Never smaller than an
     * earlier one, even when the venue's clock is found to be behind: a nonce used twice could be
     * looked up as the earlier order.
     */
    @Override
    public String newClientId() {
        syncClockIfDue();
        return Long.toString(lastNonce.updateAndGet(prev -> Math.max(nowMicros(), prev + 1)));
    }

    /**
     * Checks the order against its contract and its nonce (the client id) against the venue's
     * clock, signs the payload and builds the {@code POST /trade/order}; exchange-info is read
     * first if not cached. The nonce was fixed when the client id was made, before the order was
     * recorded, so preparing ahead moves no time into the signature. Sending is then the call,
     * the status reads and the follow-up reads, as {@link #placeMarketOrder(OrderRequest, Consumer)},
     * after the nonce is checked once more (a nonce gone stale meanwhile is not sent).
     *
     * <p>Sent once. The quantity must be a multiple of the step (no silent rounding: the text
     * sent is exactly the value signed). The status read gives state and filled quantity, handed
     * to {@code firstSeen}; the average price comes from the order history (or the trades), the
     * fee from the trades (zero with a warning when they cannot be read).
     */
    @Override
    public PreparedOrder prepareMarketOrder(OrderRequest request) {
        Objects.requireNonNull(request, "request");
        Credentials auth = requireAuth();
        Contract c = contract(request.symbol());
        if (!c.live()) {
            throw new ExchangeException(VENUE, ExchangeError.REJECTED, request.symbol() + " is not open");
        }
        BigDecimal qty = orderQuantity(request.qty(), request.reduceOnly(), c);
        long nonce = nonceOf(request.clientId())
                .orElseThrow(() -> new ExchangeException(
                        VENUE,
                        ExchangeError.REJECTED,
                        "client id '" + request.clientId() + "' is not a Hibachi nonce"));
        requireFresh(nonce);
        BigDecimal maxFees = maxFeesPercent(catalog());
        byte[] payload =
                HibachiPayloads.marketOrder(nonce, c.id(), qty, c.underlyingDecimals(), request.side(), maxFees);

        ObjectNode body = HibachiDto.MAPPER.createObjectNode();
        body.put("accountId", auth.accountId());
        body.put("symbol", c.symbol());
        body.put("nonce", nonce);
        body.put("orderType", "MARKET");
        body.put("side", HibachiPayloads.sideName(request.side()));
        body.put("quantity", qty.toPlainString());
        body.put("maxFeesPercent", maxFees.toPlainString());
        if (request.reduceOnly()) {
            body.put("orderFlags", "REDUCE_ONLY");
        }
        body.put("signature", auth.signer().sign(payload));
        HibachiHttp.PreparedPost post = http.preparePost("/trade/order", body);
        LOG.info(
                "hibachi: signed MARKET {} {} {}{} nonce {}",
                HibachiPayloads.sideName(request.side()),
                qty.toPlainString(),
                c.symbol(),
                request.reduceOnly() ? " REDUCE_ONLY" : "",
                nonce);
        return new PreparedOrder(
                request, firstSeen -> send(post, nonce, request.clientId(), c.symbol(), request.side(), firstSeen));
    }

    /** Sends a prepared order once and confirms its fill; see {@link #placeMarketOrder(OrderRequest, Consumer)}. */
    private Fill send(
            HibachiHttp.PreparedPost post,
            long nonce,
            String clientId,
            String symbol,
            OrderSide side,
            Consumer<Fill> firstSeen) {
        requireFresh(nonce);
        JsonNode reply;
        try {
            reply = http.send(post);
        } catch (ExchangeException e) {
            if (e.error() != ExchangeError.CLOCK_REJECTED) {
                throw e;
            }
            // Refused for its nonce (see HibachiErrors.map: an error body, so not placed): the
            // venue's clock moved; measure it now so that the trader's NEW order gets a good nonce.
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.CLOCK_REJECTED,
                    "order with nonce " + nonce + " refused for its time and not placed; " + remeasureClock() + " ("
                            + e.getMessage() + ")",
                    null,
                    e);
        }
        String orderId = orderIdOf(reply);
        try {
            return confirm(orderId, clientId, nonce, symbol, side, firstSeen);
        } catch (ExchangeException e) {
            if (e.error() == ExchangeError.UNKNOWN_OUTCOME) {
                throw e;
            }
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.UNKNOWN_OUTCOME,
                    "order " + orderId + " (nonce " + nonce + ") was accepted but its fill could not be confirmed: "
                            + e.getMessage(),
                    e.retryAfter().orElse(null),
                    e);
        }
    }

    /** {@code GET /trade/order?nonce=}: empty when Hibachi answers "not found" (errorCode 3). */
    @Override
    public Optional<Fill> lookupOrder(String symbol, String clientId) {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(clientId, "clientId");
        Credentials auth = requireAuth();
        Optional<Long> nonce = nonceOf(clientId);
        if (nonce.isEmpty()) {
            return Optional.empty(); // not a nonce: Hibachi cannot have seen it
        }
        Optional<HibachiDto.Order> found = fetchOrder(auth, "nonce", Long.toString(nonce.get()));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        HibachiDto.Order order = found.get();
        String orderId = requireOrderId(order.orderId());
        if (!isFinal(order.status())) {
            order = poll(auth, orderId, order);
        }
        String sym = order.symbol() != null ? order.symbol() : symbol;
        OrderSide side = orderSideOf(order.side());
        return Optional.of(toFill(auth, order, orderId, clientId, nonce.get(), sym, side, fill -> {}));
    }

    /**
     * {@code exchanges.hibachi.late_execution_seconds} (default 15): an order's nonce is accepted
     * while within 15 s of the venue's clock, so an order the venue does not know after that was
     * never placed.
     */
    @Override
    public Duration lateExecutionWindow() {
        return settings.lateExecution();
    }

    /**
     * Hibachi pays funding every 8 h (00:00, 08:00, 16:00 UTC) on every market; quoted rates are
     * per 8 h. Its market data carry no interval field (exchange-info, prices and the funding-rate
     * history, api doc §3.1-3.2), so there is nothing per market to believe instead.
     */
    @Override
    public Duration fundingInterval(String symbol) {
        Objects.requireNonNull(symbol, "symbol");
        return FUNDING_INTERVAL;
    }

    /**
     * Funding from {@code /trade/account/settlements_history} (the 8-hourly payments), summed
     * over {@code (from, to]}; positive = received. Filtered here by symbol and time: the
     * endpoint's time-filter units are not documented.
     */
    @Override
    public BigDecimal fundingBetween(String symbol, Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Credentials auth = requireAuth();
        Contract c = contract(symbol);
        HibachiDto.Settlements s = read(
                http.get(
                        Host.API,
                        "/trade/account/settlements_history",
                        query("accountId", Long.toString(auth.accountId()), "contractId", Long.toString(c.id()))),
                HibachiDto.Settlements.class,
                "settlements history");
        BigDecimal sum = BigDecimal.ZERO;
        for (HibachiDto.Settlement e : s.settlements() == null ? List.<HibachiDto.Settlement>of() : s.settlements()) {
            if (e.timestamp() == null
                    || e.settledAmount() == null
                    || (e.symbol() != null && !e.symbol().equals(c.symbol()))) {
                continue;
            }
            Instant at = Instant.ofEpochSecond(e.timestamp());
            if (at.isAfter(from) && !at.isAfter(to)) {
                sum = sum.add(e.settledAmount());
            }
        }
        return sum;
    }

    /**
     * The current venue − local offset from {@code /exchange/utc-timestamp}, measured now when it
     * never was or {@code exchanges.clock_check_minutes} have passed; it is also measured at once
     * when the venue refuses a nonce. The offset corrects later nonces, which must be within ±15 s
     * of the venue's clock.
     */
    @Override
    public Optional<Duration> clockOffset() {
        if (!clockMeasured || !clock.instant().isBefore(nextClockCheck)) {
            synchronized (clockLock) {
                if (!clockMeasured || !clock.instant().isBefore(nextClockCheck)) {
                    measureClock();
                }
            }
        }
        return Optional.of(Duration.ofNanos(clockOffsetMicros.get() * 1000));
    }

    /**
     * Every trade on {@code symbol} from {@code since} on, oldest first, from
     * {@code GET /trade/account/trades?accountId=}. That endpoint answers the account's 100 most
     * recent trades, with no pagination and no time filter (api doc §3.6, SDK): a window reaching
     * back past the oldest of 100 answered trades cannot be read whole, and is
     * {@link ExchangeError#VENUE_DOWN} rather than a part passed off as the whole. Timestamps are
     * whole seconds, so a trade in the second of {@code since} is included.
     *
     * <p>The order is {@code bidOrderId} for a Buy and {@code askOrderId} for a Sell ({@code orderId}
     * when those are absent, as newer replies may be). Hibachi publishes no liquidation history and
     * no client id on trades: {@code liquidation} is false and {@code clientId} null (the trader
     * matches Hibachi fills to its orders by the venue order id it stored). Fees are in USDT, the
     * settlement asset, counted 1:1 as USD.
     */
    @Override
    public Optional<List<VenueFill>> fillsSince(String symbol, Instant since) {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(since, "since");
        Credentials auth = requireAuth();
        HibachiDto.Trades t = read(
                http.get(Host.API, "/trade/account/trades", query("accountId", Long.toString(auth.accountId()))),
                HibachiDto.Trades.class,
                "trades");
        List<HibachiDto.Trade> trades = t.trades() == null ? List.of() : t.trades();
        long sinceSecond = since.getEpochSecond();
        long oldest = trades.stream()
                .map(HibachiDto.Trade::timestamp)
                .filter(Objects::nonNull)
                .mapToLong(Long::longValue)
                .min()
                .orElse(Long.MAX_VALUE);
        if (trades.size() >= TRADES_LIMIT && oldest >= sinceSecond) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.VENUE_DOWN,
                    "GET /trade/account/trades: all "
                            + trades.size() + " trades the venue publishes are from " + Instant.ofEpochSecond(oldest)
                            + " on; trades since " + since + " may be missing (the venue shows only the latest "
                            + TRADES_LIMIT + ")");
        }
        List<VenueFill> out = new ArrayList<>();
        for (HibachiDto.Trade tr : trades) {
            if (!symbol.equals(tr.symbol()) || tr.timestamp() == null || tr.timestamp() < sinceSecond) {
                continue;
            }
            out.add(venueFill(tr));
        }
        out.sort(Comparator.comparing(VenueFill::at));
        return Optional.of(Collections.unmodifiableList(out));
    }

    /**
     * Hibachi's reads are not signed, so a read proves only the API key. The signature is proven
     * with a request the venue verifies but that can neither trade nor touch an order: a cancel
     * ({@code DELETE /trade/order}) of a nonce from the year 2000 that no order can ever have had
     * (see {@link #PROBE_NONCE_BASE}), signed as the venue specifies (the nonce as 8 bytes).
     *
     * <p>Reading the reply: a signature refusal (errorCode 2, "MacError", 401/403) means WRONG.
     * errorCode 3 "not found" means the venue looked the order up, but that proves the signature
     * only if the venue checks signatures before it looks orders up, which is not documented. So
     * a "not found" is checked against a control: the same cancel signed with a random key of the
     * same kind. If the venue refuses the control's signature, it does check signatures first and
     * our "not found" means PROVEN; if it answers the control "not found" too, nothing is proven.
     * Anything else (2xx, another error, no reply) is CANNOT_PROVE with the reply.
     *
     * <p>How sure: the control makes PROVEN an observation rather than an assumption about the
     * venue's order of checks. What is assumed is that the venue never acts on a cancel of a nonce
     * no order has (it can find nothing to cancel) and that a signature refusal reads like
     * errorCode 2 / "MacError" (the documented and reported texts). The control sends one
     * wrongly-signed request, which the venue may log.
     */
    @Override
    public KeyProof proveKeys() {
        if (credentials.isEmpty()) {
            return KeyProof.cannotProve("no API keys (paper mode)");
        }
        Credentials auth = credentials.get();
        long nonce = PROBE_NONCE_BASE + ThreadLocalRandom.current().nextLong(PROBE_NONCE_SPAN);
        HibachiHttp.ProbeReply ours = http.probe("/trade/order", cancelByNonce(auth.accountId(), nonce, auth.signer()));
        if (refusesSignature(ours)) {
            return KeyProof.wrong("the venue refused our signature on a cancel of an unused nonce: " + ours.detail());
        }
        if (ours.problem() != HibachiErrors.Problem.NOT_FOUND) {
            return KeyProof.cannotProve("a cancel of the unused nonce " + nonce + " was answered "
                    + (ours.problem() == null ? "" : ours.problem() + " ") + ours.detail());
        }
        HibachiHttp.ProbeReply control = http.probe(
                "/trade/order", cancelByNonce(auth.accountId(), nonce, HibachiSigner.stranger(auth.signer())));
        if (refusesSignature(control)) {
            return KeyProof.proven("a signed cancel of an unused nonce was looked up (not found), while the same "
                    + "cancel signed with a random key was refused: the venue checked our signature");
        }
        return KeyProof.cannotProve("the venue answered a randomly signed cancel "
                + (control.problem() == null ? "" : control.problem() + " ") + control.detail()
                + ", so its 'not found' to ours does not show that it checked the signature");
    }

    private static boolean refusesSignature(HibachiHttp.ProbeReply reply) {
        return reply.problem() == HibachiErrors.Problem.BAD_SIGNATURE
                || reply.problem() == HibachiErrors.Problem.MAC_ERROR
                || reply.problem() == HibachiErrors.Problem.UNAUTHORIZED;
    }

    /** {@code {"accountId":N,"nonce":"<nonce>","signature":…}}: the nonce as a string, as the SDK sends it. */
    private static ObjectNode cancelByNonce(long accountId, long nonce, HibachiSigner signer) {
        ObjectNode body = HibachiDto.MAPPER.createObjectNode();
        body.put("accountId", accountId);
        body.put("nonce", Long.toString(nonce));
        body.put("signature", signer.sign(HibachiPayloads.cancelByNonce(nonce)));
        return body;
    }

    /**
     * Measures venue − local from {@code /exchange/utc-timestamp} (against the middle of the
     * call) and applies it to later nonces; more than 1 s is logged as a warning. Throws when the
     * venue's time cannot be read.
     */
    private Duration measureClock() {
        Instant before = clock.instant();
        JsonNode node = http.get(Host.DATA, "/exchange/utc-timestamp", Map.of());
        Instant after = clock.instant();
        HibachiDto.UtcTimestamp t = read(node, HibachiDto.UtcTimestamp.class, "utc-timestamp");
        if (t.timestampMs() == null) {
            throw unreadable("utc-timestamp without timestampMs");
        }
        long localMs = before.toEpochMilli() + (after.toEpochMilli() - before.toEpochMilli()) / 2;
        Duration offset = Duration.ofMillis(t.timestampMs() - localMs);
        clockOffsetMicros.set(offset.toNanos() / 1000);
        clockMeasured = true;
        nextClockCheck = clock.instant().plus(settings.clockCheckEvery());
        if (offset.abs().compareTo(CLOCK_WARN) > 0) {
            LOG.warn(
                    "hibachi: the venue's clock is {} ms {} ours; nonces are corrected by it (Hibachi refuses"
                            + " nonces more than 15 s off)",
                    offset.abs().toMillis(),
                    offset.isNegative() ? "behind" : "ahead of");
        }
        return offset;
    }

    /** Measures the offset when due; a failure keeps the old offset (WARN) and is tried again later. */
    private void syncClockIfDue() {
        if (clock.instant().isBefore(nextClockCheck)) {
            return;
        }
        synchronized (clockLock) {
            if (clock.instant().isBefore(nextClockCheck)) {
                return;
            }
            try {
                measureClock();
            } catch (ExchangeException e) {
                nextClockCheck = clock.instant().plus(CLOCK_RETRY);
                LOG.warn(
                        "hibachi: clock offset unavailable ({}); nonces keep the offset {} µs",
                        e.getMessage(),
                        clockOffsetMicros.get());
            }
        }
    }

    /** Measures the offset now (the venue refused a nonce); says what it found, for the error message. */
    private String remeasureClock() {
        synchronized (clockLock) {
            try {
                return "clock offset measured again: " + measureClock().toMillis() + " ms";
            } catch (ExchangeException e) {
                nextClockCheck = clock.instant().plus(CLOCK_RETRY);
                LOG.warn("hibachi: clock offset unavailable after a refused nonce ({})", e.getMessage());
                return "clock offset could not be measured again (" + e.getMessage() + ")";
            }
        }
    }

    // ---------------------------------------------------------------- orders

    private BigDecimal orderQuantity(BigDecimal qty, boolean reduceOnly, Contract c) {
        if (qty.stripTrailingZeros().scale() > c.underlyingDecimals()) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.BELOW_MINIMUM,
                    "quantity "
                            + qty.toPlainString() + " has more decimals than " + c.symbol() + " allows ("
                            + c.underlyingDecimals() + ")");
        }
        BigDecimal stepped = Quantities.floorToStep(qty, c.stepSize());
        if (stepped.compareTo(qty) != 0) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.BELOW_MINIMUM,
                    "quantity "
                            + qty.toPlainString() + " is not a multiple of the " + c.symbol() + " step "
                            + c.stepSize().toPlainString());
        }
        if (!reduceOnly && c.minOrderSize() != null && stepped.compareTo(c.minOrderSize()) < 0) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.BELOW_MINIMUM,
                    "quantity "
                            + qty.toPlainString() + " is under the " + c.symbol() + " minimum "
                            + c.minOrderSize().toPlainString());
        }
        return stepped;
    }

    /** max(0.001, 2 × the taker fee), at most 8 decimals so the signed value is exactly the text. */
    static BigDecimal maxFeesPercent(BigDecimal takerFeeRate) {
        BigDecimal fee = MIN_MAX_FEES_PERCENT;
        if (takerFeeRate != null && takerFeeRate.multiply(BigDecimal.valueOf(2)).compareTo(fee) > 0) {
            fee = takerFeeRate.multiply(BigDecimal.valueOf(2));
        }
        return fee.setScale(HibachiPayloads.FEE_DECIMALS, RoundingMode.DOWN).stripTrailingZeros();
    }

    private static BigDecimal maxFeesPercent(Catalog cat) {
        return maxFeesPercent(cat.takerFeeRate());
    }

    /**
     * A nonce further than the venue's 15 s from its clock (as last measured) is not sent: the
     * venue would refuse it. CLOCK_REJECTED, since a NEW order (a new nonce) would go.
     */
    private void requireFresh(long nonce) {
        long skewMicros = Math.abs(nonce - nowMicros());
        if (skewMicros > NONCE_WINDOW.toNanos() / 1000) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.CLOCK_REJECTED,
                    "nonce " + nonce + " is "
                            + (skewMicros / 1_000_000) + " s away from the venue's clock (Hibachi refuses more than "
                            + NONCE_WINDOW.toSeconds() + " s); order not sent");
        }
    }

    /** Reads the status of an order just placed until it is final (or the polls run out). */
    private Fill confirm(
            String orderId, String clientId, long nonce, String symbol, OrderSide side, Consumer<Fill> firstSeen) {
        Credentials auth = requireAuth();
        HibachiDto.Order order = null;
        for (int poll = 1; poll <= STATUS_POLLS; poll++) {
            if (poll > 1) {
                pause(STATUS_POLL_WAIT);
            }
            Optional<HibachiDto.Order> found = fetchOrder(auth, "orderId", orderId);
            if (found.isPresent()) {
                order = found.get();
                if (isFinal(order.status())) {
                    break;
                }
            }
        }
        if (order == null) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.UNKNOWN_OUTCOME,
                    "order " + orderId + " (nonce " + nonce + ") was accepted but its status is not visible yet");
        }
        return toFill(auth, order, orderId, clientId, nonce, symbol, side, firstSeen);
    }

    private HibachiDto.Order poll(Credentials auth, String orderId, HibachiDto.Order first) {
        HibachiDto.Order order = first;
        for (int poll = 2; poll <= STATUS_POLLS && !isFinal(order.status()); poll++) {
            pause(STATUS_POLL_WAIT);
            order = fetchOrder(auth, "orderId", orderId).orElse(order);
        }
        return order;
    }

    private Optional<HibachiDto.Order> fetchOrder(Credentials auth, String key, String value) {
        return http.get(
                        Host.API,
                        "/trade/order",
                        query("accountId", Long.toString(auth.accountId()), key, value),
                        Call.LOOKUP)
                .map(n -> read(n, HibachiDto.Order.class, "order"));
    }

    /** The Fill of an order whose status is final; any other status is an unknown outcome. */
    private Fill toFill(
            Credentials auth,
            HibachiDto.Order order,
            String orderId,
            String clientId,
            long nonce,
            String symbol,
            OrderSide side,
            Consumer<Fill> firstSeen) {
        String status = upperStatus(order);
        BigDecimal total = totalOf(order, orderId);
        BigDecimal filled = filledOf(order, status, total);
        OrderState state;
        switch (status) {
            // PARTIALLY_FILLED is not final: the order may still fill, so it is an unknown outcome
            // (looked up again by its nonce until final), never a settled part
            case "FILLED", "CANCELLED", "CANCELED", "PARTIAL_CANCELLED", "REJECTED", "EXPIRED" -> {
                if (filled.signum() == 0) {
                    state = OrderState.REJECTED;
                } else {
                    state = filled.compareTo(total) >= 0 ? OrderState.FILLED : OrderState.PARTIAL;
                }
            }
            default ->
                throw new ExchangeException(
                        VENUE,
                        ExchangeError.UNKNOWN_OUTCOME,
                        "order " + orderId + " (nonce " + nonce + ") is still "
                                + (status.isEmpty() ? "without status" : status));
        }
        if (state == OrderState.REJECTED) {
            Fill none =
                    new Fill(clientId, orderId, symbol, side, state, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
            firstSeen.accept(none);
            return none;
        }
        firstSeen.accept(new Fill(clientId, orderId, symbol, side, state, filled, null, null));
        // the order history (average price) and the trades (fee) are asked at once: one round trip
        CompletableFuture<Optional<TradeSum>> tradesCall =
                CompletableFuture.supplyAsync(() -> trades(auth, orderId), followUps);
        Optional<BigDecimal> historyPrice = historyAvgPrice(auth, orderId, nonce);
        Optional<TradeSum> trades = Futures.join(tradesCall);
        BigDecimal avg = historyPrice
                .or(() -> trades.map(TradeSum::avgPrice))
                .orElseThrow(() -> new ExchangeException(
                        VENUE,
                        ExchangeError.UNKNOWN_OUTCOME,
                        "order " + orderId + " filled " + filled.toPlainString()
                                + " but its average price is not available yet"));
        BigDecimal fee = trades.map(TradeSum::fee).orElseGet(() -> {
            LOG.warn("hibachi: fee of order {} unknown (no trades found); recording 0", orderId);
            return BigDecimal.ZERO;
        });
        return new Fill(clientId, orderId, symbol, side, state, filled, avg, fee);
    }

    /** avgFillPrice from {@code /trade/orders/history}; empty (with a warning) if it cannot be had. */
    private Optional<BigDecimal> historyAvgPrice(Credentials auth, String orderId, long nonce) {
        long startMs = nonce / 1000 - HISTORY_LOOKBACK.toMillis();
        try {
            HibachiDto.OrderHistory h = read(
                    http.get(
                            Host.API,
                            "/trade/orders/history",
                            query("accountId", Long.toString(auth.accountId()), "startTime", Long.toString(startMs))),
                    HibachiDto.OrderHistory.class,
                    "order history");
            for (HibachiDto.HistoryOrder o : h.orders() == null ? List.<HibachiDto.HistoryOrder>of() : h.orders()) {
                if (sameId(orderId, o.orderId())
                        && o.avgFillPrice() != null
                        && o.avgFillPrice().signum() > 0) {
                    return Optional.of(o.avgFillPrice());
                }
            }
            LOG.warn("hibachi: order {} has no avgFillPrice in the order history", orderId);
        } catch (ExchangeException e) {
            LOG.warn("hibachi: order history for order {} unavailable: {}", orderId, e.getMessage());
        }
        return Optional.empty();
    }

    private record TradeSum(BigDecimal fee, BigDecimal avgPrice) {}

    /** Fee and volume-weighted price of the order's trades among the 100 most recent. */
    private Optional<TradeSum> trades(Credentials auth, String orderId) {
        try {
            HibachiDto.Trades t = read(
                    http.get(Host.API, "/trade/account/trades", query("accountId", Long.toString(auth.accountId()))),
                    HibachiDto.Trades.class,
                    "trades");
            BigDecimal fee = BigDecimal.ZERO;
            BigDecimal qty = BigDecimal.ZERO;
            BigDecimal value = BigDecimal.ZERO;
            boolean any = false;
            for (HibachiDto.Trade tr : t.trades() == null ? List.<HibachiDto.Trade>of() : t.trades()) {
                if (!(sameId(orderId, tr.orderId())
                        || sameId(orderId, tr.bidOrderId())
                        || sameId(orderId, tr.askOrderId()))) {
                    continue;
                }
                any = true;
                if (tr.fee() != null) {
                    fee = fee.add(tr.fee());
                }
                if (tr.quantity() != null && tr.price() != null) {
                    qty = qty.add(tr.quantity());
                    value = value.add(tr.quantity().multiply(tr.price()));
                }
            }
            if (!any) {
                return Optional.empty();
            }
            BigDecimal avg = qty.signum() > 0 ? Money.divide(value, qty) : null;
            return Optional.of(new TradeSum(fee, avg));
        } catch (ExchangeException e) {
            LOG.warn("hibachi: trades for order {} unavailable: {}", orderId, e.getMessage());
            return Optional.empty();
        }
    }

    private void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExchangeException(
                    VENUE, ExchangeError.UNKNOWN_OUTCOME, "interrupted while confirming an order", null, e);
        }
    }

    // ---------------------------------------------------------------- resting (maker) orders

    /**
     * {@code POST /trade/order}, a LIMIT order, sent once: the 40-byte payload with the price
     * (api doc §2.3), {@code orderFlags} {@code POST_ONLY} or {@code REDUCE_ONLY}. Hibachi's
     * {@code orderFlags} takes one value, so an order that is both is refused before sending
     * ({@link ExchangeError#REJECTED}). The price must be a multiple of the tick (the venue
     * answers 400 otherwise; here it is refused before sending, REJECTED).
     *
     * <p>A crossing post-only order: the api doc does not say how Hibachi answers one. Both
     * plausible answers are read as {@link ExchangeError#WOULD_TAKE}: an error reply whose message
     * says so ({@link HibachiErrors#isWouldTake}), or an order accepted and then, at the one status
     * read that follows the placement, REJECTED, CANCELLED or EXPIRED with nothing filled (a
     * post-only order that ended unfilled at once can only have been refused for crossing; a
     * resting order is PLACED). That status read is also where an order that filled at once
     * shows it. When the status cannot be read yet, the order is returned OPEN, as accepted: the
     * caller's reads of {@link #restingOrder} then tell how it ended (REJECTED for one that never
     * rested).
     */
    @Override
    public RestingOrder placeLimitOrder(LimitOrderRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.postOnly() && request.reduceOnly()) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.REJECTED,
                    "an order cannot be both POST_ONLY and REDUCE_ONLY on Hibachi (orderFlags takes one value);"
                            + " not sent");
        }
        Credentials auth = requireAuth();
        Contract c = contract(request.symbol());
        if (!c.live()) {
            throw new ExchangeException(VENUE, ExchangeError.REJECTED, request.symbol() + " is not open");
        }
        BigDecimal qty = orderQuantity(request.qty(), request.reduceOnly(), c);
        BigDecimal price = request.price();
        if (price.remainder(c.tickSize()).signum() != 0) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.REJECTED,
                    "price " + price.toPlainString() + " is not a multiple of the " + c.symbol() + " tick "
                            + c.tickSize().toPlainString() + "; not sent");
        }
        long nonce = nonceOf(request.clientId())
                .orElseThrow(() -> new ExchangeException(
                        VENUE,
                        ExchangeError.REJECTED,
                        "client id '" + request.clientId() + "' is not a Hibachi nonce"));
        requireFresh(nonce);
        BigDecimal maxFees = maxFeesPercent(catalog());
        byte[] payload = HibachiPayloads.limitOrder(
                nonce, c.id(), qty, c.underlyingDecimals(), request.side(), price, c.settlementDecimals(), maxFees);
        String flag = request.postOnly() ? "POST_ONLY" : request.reduceOnly() ? "REDUCE_ONLY" : null;
        ObjectNode body = HibachiDto.MAPPER.createObjectNode();
        body.put("accountId", auth.accountId());
        body.put("symbol", c.symbol());
        body.put("nonce", nonce);
        body.put("orderType", "LIMIT");
        body.put("side", HibachiPayloads.sideName(request.side()));
        body.put("quantity", qty.toPlainString());
        body.put("price", price.stripTrailingZeros().toPlainString());
        body.put("maxFeesPercent", maxFees.toPlainString());
        if (flag != null) {
            body.put("orderFlags", flag);
        }
        body.put("signature", auth.signer().sign(payload));
        LOG.info(
                "hibachi: LIMIT {} {} {} at {}{} nonce {}",
                HibachiPayloads.sideName(request.side()),
                qty.toPlainString(),
                c.symbol(),
                price.toPlainString(),
                flag == null ? "" : " " + flag,
                nonce);
        JsonNode reply;
        try {
            reply = http.send(http.preparePost("/trade/order", body));
        } catch (ExchangeException e) {
            if (e.error() != ExchangeError.CLOCK_REJECTED) {
                throw e;
            }
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.CLOCK_REJECTED,
                    "limit order with nonce " + nonce + " refused for its time and not placed; " + remeasureClock()
                            + " (" + e.getMessage() + ")",
                    null,
                    e);
        }
        String orderId = orderIdOf(reply);
        Optional<HibachiDto.Order> status;
        try {
            status = fetchOrder(auth, "orderId", orderId);
        } catch (ExchangeException e) {
            LOG.warn("hibachi: status of limit order {} not readable after placing: {}", orderId, e.getMessage());
            status = Optional.empty();
        }
        if (status.isEmpty()) {
            return new RestingOrder(
                    request.clientId(),
                    orderId,
                    c.symbol(),
                    request.side(),
                    qty,
                    price,
                    RestingOrder.Status.OPEN,
                    BigDecimal.ZERO,
                    null,
                    null);
        }
        RestingOrder placed = resting(auth, status.get(), request.clientId(), nonce, c.symbol());
        if (request.postOnly() && placed.status().ended() && placed.filledQty().signum() == 0) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.WOULD_TAKE,
                    "POST /trade/order: post-only " + HibachiPayloads.sideName(request.side()) + " "
                            + qty.toPlainString() + " " + c.symbol() + " at " + price.toPlainString() + " (order "
                            + orderId + ") ended at once unfilled ("
                            + status.get().status()
                            + "): it would have taken; nothing executed");
        }
        return placed;
    }

    /**
     * {@code DELETE /trade/order} by the order's nonce (the client id; payload: the nonce as u64),
     * sent once. Hibachi answers {@code {}} for "accepted", not "done" (api doc §3.5): the order
     * is then read once by its nonce and returned as that read shows it, OPEN while the cancel is
     * still being carried out (the caller reads again), or how it ended (CANCELLED with what
     * filled before, or FILLED when a fill won the race). A cancel answered "not found" (already
     * ended, or never placed) returns the order as the status read shows it, empty when the venue
     * has no order with this nonce. A timeout or 5xx is {@link ExchangeError#UNKNOWN_OUTCOME}; a
     * status read that fails after an accepted cancel throws its error (read the order again).
     */
    @Override
    public Optional<RestingOrder> cancelOrder(String symbol, String clientId) {
        Objects.requireNonNull(symbol, "symbol");
        Credentials auth = requireAuth();
        long nonce = nonceOf(clientId)
                .orElseThrow(() -> new ExchangeException(
                        VENUE, ExchangeError.REJECTED, "client id '" + clientId + "' is not a Hibachi nonce"));
        Optional<JsonNode> accepted =
                http.deleteOnce("/trade/order", cancelByNonce(auth.accountId(), nonce, auth.signer()));
        LOG.info(
                "hibachi: cancel of nonce {} on {} {}",
                nonce,
                symbol,
                accepted.isPresent() ? "accepted" : "answered not found");
        return restingOrder(symbol, clientId);
    }

    /**
     * {@code GET /trade/order?nonce=}: status PENDING, PLACED, PARTIALLY_FILLED (and the TWAP
     * states) → OPEN; FILLED → FILLED; CANCELLED, PARTIAL_CANCELLED, EXPIRED → CANCELLED;
     * REJECTED → REJECTED (CANCELLED if anything filled). Filled = totalQuantity −
     * availableQuantity. For what filled: the average price from the order history's
     * {@code avgFillPrice} (api doc §3.5; read once the order has ended), else the trades' weighted
     * price, else the order's own
     * limit price (a resting order only ever fills as maker, at its price); the fee from the
     * trades (null when they do not show the order). Empty when the venue has no such order.
     */
    @Override
    public Optional<RestingOrder> restingOrder(String symbol, String clientId) {
        Objects.requireNonNull(symbol, "symbol");
        Credentials auth = requireAuth();
        Optional<Long> nonce = nonceOf(clientId);
        if (nonce.isEmpty()) {
            return Optional.empty();
        }
        return fetchOrder(auth, "nonce", Long.toString(nonce.get()))
                .map(o -> resting(auth, o, clientId, nonce.get(), symbol));
    }

    private RestingOrder resting(Credentials auth, HibachiDto.Order order, String clientId, long nonce, String symbol) {
        String orderId = requireOrderId(order.orderId());
        String status = upperStatus(order);
        BigDecimal total = totalOf(order, orderId);
        BigDecimal filled = filledOf(order, status, total).min(total);
        RestingOrder.Status state = switch (status) {
            case "PENDING", "CHILD_PENDING", "SCHEDULED_TWAP", "PLACED", "PARTIALLY_FILLED" -> RestingOrder.Status.OPEN;
            case "FILLED" -> RestingOrder.Status.FILLED;
            case "CANCELLED", "CANCELED", "PARTIAL_CANCELLED", "EXPIRED" -> RestingOrder.Status.CANCELLED;
            case "REJECTED" -> filled.signum() == 0 ? RestingOrder.Status.REJECTED : RestingOrder.Status.CANCELLED;
            default -> throw unreadable("order " + orderId + " with status '" + order.status() + "'");
        };
        BigDecimal avg = null;
        BigDecimal fee = null;
        if (filled.signum() > 0) {
            // the history lists ended orders: an order still resting is priced from its trades
            // alone, so that polling it costs two reads, not three
            CompletableFuture<Optional<TradeSum>> tradesCall =
                    CompletableFuture.supplyAsync(() -> trades(auth, orderId), followUps);
            Optional<BigDecimal> historyPrice =
                    state.ended() ? historyAvgPrice(auth, orderId, nonce) : Optional.empty();
            Optional<TradeSum> trades = Futures.join(tradesCall);
            avg = historyPrice.or(() -> trades.map(TradeSum::avgPrice)).orElse(order.price());
            fee = trades.map(TradeSum::fee).orElse(null);
        }
        return new RestingOrder(
                clientId,
                orderId,
                order.symbol() != null ? order.symbol() : symbol,
                orderSideOf(order.side()),
                total,
                order.price(),
                state,
                filled,
                avg,
                fee);
    }

    /**
     * {@code GET data-host/market/data/orderbook?symbol=&depth=5}: the highest bid level and the
     * lowest ask level, whatever order they come in (granularity left to the venue's finest). A
     * side without levels, or a crossed book, is {@link ExchangeError#VENUE_DOWN}.
     */
    @Override
    public TopOfBook topOfBook(String symbol) {
        Objects.requireNonNull(symbol, "symbol");
        HibachiDto.Orderbook book = read(
                http.get(Host.DATA, "/market/data/orderbook", query("symbol", symbol, "depth", "5")),
                HibachiDto.Orderbook.class,
                "orderbook");
        HibachiDto.BookLevel bid = best(book.bid(), true);
        HibachiDto.BookLevel ask = best(book.ask(), false);
        if (bid == null || ask == null) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.VENUE_DOWN,
                    "GET /market/data/orderbook: " + symbol + " book is one-sided ("
                            + (bid == null ? "no bids" : "no asks") + ")");
        }
        if (bid.price().compareTo(ask.price()) >= 0) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.VENUE_DOWN,
                    "GET /market/data/orderbook: " + symbol + " book is crossed (bid "
                            + bid.price().toPlainString() + " >= ask "
                            + ask.price().toPlainString() + ")");
        }
        return new TopOfBook(symbol, bid.price(), bid.quantity(), ask.price(), ask.quantity(), clock.instant());
    }

    /**
     * {@code feeConfig.tradeMakerFeeRate} and {@code tradeTakerFeeRate} of exchange-info (cached
     * with the contracts); {@link ExchangeError#VENUE_DOWN} when either is missing.
     */
    @Override
    public FeeRates feeRates() {
        Catalog cat = catalog();
        if (cat.makerFeeRate() == null || cat.takerFeeRate() == null) {
            throw unreadable("exchange-info without feeConfig.tradeMakerFeeRate / tradeTakerFeeRate");
        }
        return new FeeRates(cat.makerFeeRate(), cat.takerFeeRate());
    }

    /** As {@link HibachiDriver#postOnlyReduceOnly} says of the venue. */
    @Override
    public boolean postOnlyReduceOnly() {
        return VenueDriver.of(venue()).postOnlyReduceOnly();
    }

    // ---------------------------------------------------------------- catalog

    private Contract contract(String symbol) {
        Contract c = catalog().bySymbol().get(symbol);
        if (c == null) {
            throw new ExchangeException(VENUE, ExchangeError.REJECTED, "unknown symbol " + symbol);
        }
        return c;
    }

    private Catalog catalog() {
        Catalog c = catalog.get();
        if (c != null && fresh(c)) {
            return c;
        }
        synchronized (catalogLock) {
            c = catalog.get();
            if (c != null && fresh(c)) {
                return c;
            }
            Catalog loaded = loadCatalog();
            catalog.set(loaded);
            syncClockIfDue();
            return loaded;
        }
    }

    private boolean fresh(Catalog c) {
        return Duration.between(c.loadedAt(), clock.instant()).compareTo(CATALOG_TTL) < 0;
    }

    private Catalog loadCatalog() {
        HibachiDto.ExchangeInfo info = read(
                http.get(Host.DATA, "/market/exchange-info", Map.of()), HibachiDto.ExchangeInfo.class, "exchange-info");
        // The SDK refuses anything but status NORMAL, but no real recorded exchange-info carries
        // the field at all: a missing status says nothing, and only an explicit other value
        // (SCHEDULED_MAINTENANCE, UNSCHEDULED_MAINTENANCE, …) closes the exchange.
        if (info.status() != null
                && !info.status().isBlank()
                && !info.status().strip().equalsIgnoreCase("NORMAL")) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.VENUE_DOWN,
                    "exchange status is " + info.status().strip() + ", not NORMAL");
        }
        if (info.futureContracts() == null) {
            throw unreadable("exchange-info without futureContracts");
        }
        Map<String, MarketRules> byAsset = new LinkedHashMap<>();
        Map<String, Contract> bySymbol = new LinkedHashMap<>();
        for (HibachiDto.FutureContract f : info.futureContracts()) {
            Optional<Contract> c = contractOf(f);
            if (c.isEmpty()) {
                continue;
            }
            Contract k = c.get();
            bySymbol.put(k.symbol(), k);
            byAsset.put(
                    k.asset(),
                    new MarketRules(
                            k.asset(),
                            k.symbol(),
                            k.tickSize(),
                            k.stepSize(),
                            k.minOrderSize() == null ? BigDecimal.ZERO : k.minOrderSize(),
                            k.minNotional() == null ? BigDecimal.ZERO : k.minNotional(),
                            k.live()));
        }
        BigDecimal taker = info.feeConfig() == null ? null : info.feeConfig().tradeTakerFeeRate();
        BigDecimal maker = info.feeConfig() == null ? null : info.feeConfig().tradeMakerFeeRate();
        return new Catalog(
                Collections.unmodifiableMap(byAsset),
                Collections.unmodifiableMap(bySymbol),
                taker,
                maker,
                clock.instant());
    }

    // ---------------------------------------------------------------- helpers

    private Credentials requireAuth() {
        return credentials.orElseThrow(
                () -> new ExchangeException(VENUE, ExchangeError.REJECTED, "no API keys (paper mode)"));
    }

    private long nowMicros() {
        Instant now = clock.instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1000)
                + clockOffsetMicros.get();
    }

    static Optional<Long> nonceOf(String clientId) {
        String s = clientId == null ? "" : clientId.trim();
        if (!NONCE.matcher(s).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    private static Map<String, String> query(String... keyValues) {
        Map<String, String> q = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            q.put(keyValues[i], keyValues[i + 1]);
        }
        return q;
    }

    @Override
    public String toString() {
        return "HibachiExchange[" + credentials.map(Credentials::toString).orElse("public only") + "]";
    }
}
