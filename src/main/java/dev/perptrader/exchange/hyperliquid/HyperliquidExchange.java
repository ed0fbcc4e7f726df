package dev.perptrader.exchange.hyperliquid;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.Venue;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.AccountState;
import dev.perptrader.exchange.ExchangeError;
import dev.perptrader.exchange.ExchangeException;
import dev.perptrader.exchange.FeeRates;
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
import dev.perptrader.exchange.http.Failure;
import dev.perptrader.exchange.http.HttpSettings;
import dev.perptrader.exchange.http.Transport;
import dev.perptrader.exchange.hyperliquid.HyperliquidMapper.MalformedReply;
import dev.perptrader.exchange.hyperliquid.HyperliquidMapper.Market;
import dev.perptrader.exchange.hyperliquid.HyperliquidMapper.OrderOutcome;
import dev.perptrader.exchange.hyperliquid.HyperliquidMapper.Refusal;
import dev.perptrader.exchange.hyperliquid.HyperliquidMapper.UserFill;
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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hyperliquid perpetuals client (api/hyperliquid.md). Reads are {@code POST /info} for the
 * account address (never the API wallet's: an agent holds nothing); actions are L1-signed
 * {@code POST /exchange} bodies ({@link HyperliquidSigner}), sent once. Symbols are the coin names
 * ("BTC"), as the venue names its perpetuals.
 *
 * <p>Hyperliquid has no market order: a "market" order is an IOC limit order at the mark moved by
 * {@link Settings#slippage} against us, so its worst price is bounded; an IOC that finds nothing
 * to match executes nothing. Every order carries a cloid derived from our client id, so an order
 * whose reply was lost is found again with {@code orderStatus}. Every action carries
 * {@code expiresAfter} = its nonce + {@link Settings#lateExecution}: the venue refuses it after
 * that, which is what makes {@link #lateExecutionWindow} a bound rather than a hope.
 */
public final class HyperliquidExchange implements PreparingExchange {
    private static final Logger LOG = LoggerFactory.getLogger(HyperliquidExchange.class);

    /** The smallest order value the venue takes ({@code MinTradeNtl}, api doc §7). */
    static final BigDecimal MIN_NOTIONAL = BigDecimal.TEN;
    /** {@code userFillsByTime} answers at most this many fills: a full page may not be all. */
    static final int FILLS_PAGE = 2000;
    /** {@code userFunding} pages: an answer this long is followed by the next page. */
    static final int FUNDING_PAGE = 500;

    static final int FUNDING_MAX_PAGES = 20;
    /** Funding is settled every hour on every perpetual (api doc §5: {@code funding} is hourly). */
    static final Duration FUNDING_INTERVAL = Duration.ofHours(1);
    /** How far our clock may be from the venue's before an order may execute later than its window says. */
    static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(1);

    /**
     * Timeouts, pace and retries; the IOC's allowance; how long an action is valid; how long the
     * market list is kept.
     *
     * @param slippage      the IOC limit's distance from the mark, a fraction: a buy never pays
     *                      more than mark × (1 + slippage)
     * @param lateExecution each action's {@code expiresAfter} after its nonce
     */
    public record Settings(HttpSettings http, BigDecimal slippage, Duration lateExecution, Duration marketsTtl) {
        /**
         * Connect 5 s, read 8 s, call 10 s; 2 calls a second (the IP's budget is 1200 weight a
         * minute and metaAndAssetCtxs weighs 20); 3 tries per read; a 1 % IOC allowance; actions
         * valid 10 s; markets kept 5 minutes.
         */
        public static final Settings DEFAULT = new Settings(
                new HttpSettings(
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(10),
                        2,
                        4,
                        3,
                        Duration.ofMillis(300),
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(10)),
                new BigDecimal("0.01"),
                Duration.ofSeconds(10),
                Duration.ofMinutes(5));

        public Settings {
            Objects.requireNonNull(http, "http");
            Objects.requireNonNull(marketsTtl, "marketsTtl");
            if (slippage == null || slippage.signum() <= 0 || slippage.compareTo(new BigDecimal("0.1")) > 0) {
                throw new IllegalArgumentException("slippage not in (0, 0.1]: " + slippage);
            }
            if (lateExecution == null || lateExecution.toMillis() < 1) {
                throw new IllegalArgumentException("lateExecution < 1 ms: " + lateExecution);
            }
        }

        /** The same settings with actions valid for {@code window}. */
        public Settings withLateExecution(Duration window) {
            return new Settings(http, slippage, window, marketsTtl);
        }

        /** The same settings with other HTTP settings. */
        public Settings withHttp(HttpSettings other) {
            return new Settings(other, slippage, lateExecution, marketsTtl);
        }
    }

    private record Markets(Map<String, Market> byCoin, Instant loadedAt) {}

    private final Venue venue;
    private final HyperliquidNetwork network;
    private final Optional<HyperliquidCredentials> credentials;
    private final Clock clock;
    private final Settings settings;
    private final HyperliquidHttp http;
    private final AtomicLong lastNonce = new AtomicLong();
    private volatile Markets markets;
    /** Null until the first account read; empty when the venue said no time. */
    private volatile Optional<Duration> clockOffset;

    /**
     * @param credentials empty for a client of public data only (paper mode, {@code record}):
     *                    every call that needs the account is refused
     */
    public HyperliquidExchange(
            Venue venue,
            OkHttpClient client,
            String baseUrl,
            HyperliquidNetwork network,
            Optional<HyperliquidCredentials> credentials,
            Clock clock,
            Sleeper sleeper,
            Settings settings) {
        this.venue = Objects.requireNonNull(venue, "venue");
        this.network = Objects.requireNonNull(network, "network");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        HttpUrl url = HttpUrl.parse(Objects.requireNonNull(baseUrl, "baseUrl"));
        if (url == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
        }
        Transport transport = new Transport(
                venue,
                client,
                settings.http(),
                Pacer.monotonic(
                        sleeper,
                        settings.http().requestsPerSecond(),
                        settings.http().burst()),
                sleeper);
        this.http = new HyperliquidHttp(venue, url, transport);
    }

    /**
     * A client of public data only (paper mode, {@code record}): markets, quotes, the book and
     * funding intervals work; every call that needs the account or a signature is REJECTED
     * "no private key (paper mode)". The network is the one the base URL names; nothing is signed.
     */
    public static HyperliquidExchange publicOnly(Venue venue, String baseUrl, Clock clock) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        return new HyperliquidExchange(
                venue,
                Settings.DEFAULT.http().newClient(),
                baseUrl.strip(),
                HyperliquidNetwork.ofBaseUrl(baseUrl),
                Optional.empty(),
                clock,
                Sleeper.SYSTEM,
                Settings.DEFAULT);
    }

    @Override
    public Venue venue() {
        return venue;
    }

    /** The network signatures are made for. */
    public HyperliquidNetwork network() {
        return network;
    }

    /** What start-up says of the keys: the account and who signs for it (no secret). */
    public String describeKeys() {
        return credentials.map(HyperliquidCredentials::describe).orElse("no keys (public data only)");
    }

    // ---------------------------------------------------------------- markets and account

    /**
     * The listed perpetuals ({@code metaAndAssetCtxs}), kept {@link Settings#marketsTtl}. A
     * market's tick is the one its current mark allows: prices have at most 5 significant figures
     * and 6 − szDecimals decimals, so BTC near 60000 moves by 1 and SOL near 150 by 0.01; the
     * step is 10^−szDecimals and the minimum order value $10. Delisted markets are closed.
     */
    @Override
    public Map<String, MarketRules> markets() {
        Map<String, MarketRules> out = new LinkedHashMap<>();
        for (Market m : cachedMarkets().byCoin().values()) {
            out.put(m.coin(), rules(m));
        }
        return Collections.unmodifiableMap(out);
    }

    static MarketRules rules(Market m) {
        BigDecimal step = BigDecimal.ONE.movePointLeft(m.szDecimals());
        return new MarketRules(
                m.coin(), m.coin(), tick(m.mark(), m.szDecimals()), step, step, MIN_NOTIONAL, !m.delisted());
    }

    /** The finest price increment at {@code mark}: the 5th significant figure, at most 6 − szDecimals decimals. */
    static BigDecimal tick(BigDecimal mark, int szDecimals) {
        int magnitude = mark.precision() - mark.scale() - 1;
        int decimals = Math.min(HyperliquidWire.PERP_MAX_DECIMALS - szDecimals, 4 - magnitude);
        return BigDecimal.ONE.movePointLeft(decimals);
    }

    /** Marks and hourly funding rates of every listed market in one call ({@code metaAndAssetCtxs}). */
    @Override
    public Map<String, Quote> quotes(Collection<String> symbols) {
        Markets fresh = loadMarkets();
        Instant now = clock.instant();
        Map<String, Quote> out = new LinkedHashMap<>();
        for (String symbol : new LinkedHashSet<>(symbols)) {
            Market m = fresh.byCoin().get(symbol);
            if (m != null) {
                out.put(symbol, new Quote(symbol, m.mark(), m.hourlyFunding(), now));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** {@code clearinghouseState} of the account; its {@code time} measures the clock offset. */
    @Override
    public AccountState account() {
        HyperliquidCredentials auth = requireAuth();
        long before = clock.millis();
        return info(infoBody("clearinghouseState", "user", auth.account()), reply -> {
            long after = clock.millis();
            clockOffset =
                    HyperliquidMapper.stateTime(reply).map(t -> Duration.ofMillis(t - (before + (after - before) / 2)));
            return HyperliquidMapper.account(reply);
        });
    }

    /**
     * Venue clock minus ours, from the {@code time} of the last account read (one read now if
     * none was made: the monitor's own account read each tick keeps it fresh); empty for a
     * public-only client or a reply without a time.
     */
    @Override
    public Optional<Duration> clockOffset() {
        if (credentials.isEmpty()) {
            return Optional.empty();
        }
        if (clockOffset == null) {
            account();
        }
        return clockOffset;
    }

    /**
     * Hyperliquid keeps a leverage per asset, cross margin here. An open position's leverage is
     * read from the account and left alone when it already allows {@code leverage}; otherwise
     * {@code updateLeverage} sets the next whole number at or above it. (Without a position the
     * asset's setting is not readable from the endpoints the api doc lists, so it is set.) Above
     * the market's maxLeverage is REJECTED, nothing sent.
     */
    @Override
    public void ensureLeverage(String symbol, BigDecimal leverage) {
        if (leverage == null || leverage.signum() <= 0) {
            throw new IllegalArgumentException("leverage <= 0: " + leverage);
        }
        HyperliquidCredentials auth = requireAuth();
        Market m = market(symbol);
        int wanted = leverage.setScale(0, RoundingMode.CEILING).intValueExact();
        if (wanted > m.maxLeverage()) {
            throw new ExchangeException(
                    venue,
                    ExchangeError.REJECTED,
                    symbol + ": leverage " + leverage.toPlainString() + " above the market's maximum "
                            + m.maxLeverage());
        }
        int held = info(
                infoBody("clearinghouseState", "user", auth.account()), r -> HyperliquidMapper.leverage(r, symbol));
        if (held >= wanted) {
            return;
        }
        JsonNode reply =
                http.exchange(signed(HyperliquidWire.updateLeverage(m.index(), true, wanted), auth), "updateLeverage");
        acted(reply, "updateLeverage", r -> {
            HyperliquidMapper.acknowledged(r);
            return wanted;
        });
        LOG.info("{} {} leverage set to {}x cross", venue.configName(), symbol, wanted);
    }

    /** A fresh random id; the order's cloid is derived from it ({@link HyperliquidWire#cloid}). */
    @Override
    public String newClientId() {
        return UUID.randomUUID().toString();
    }

    // ---------------------------------------------------------------- market orders

    /**
     * Reads the mark now, and builds and signs the IOC order at the mark moved by the slippage
     * allowance; sending is then the call. A size finer than the market's szDecimals, or one that
     * is zero, is REJECTED and not sent (a size "0" would close the whole position on a
     * reduce-only order, api doc §7).
     */
    @Override
    public PreparedOrder prepareMarketOrder(OrderRequest request) {
        Objects.requireNonNull(request, "request");
        HyperliquidCredentials auth = requireAuth();
        Market m = loadMarkets().byCoin().get(request.symbol());
        if (m == null || m.delisted()) {
            throw new ExchangeException(venue, ExchangeError.REJECTED, request.symbol() + " is not a listed perpetual");
        }
        boolean isBuy = request.side() == OrderSide.BUY;
        BigDecimal px = HyperliquidWire.slippagePrice(m.mark(), isBuy, settings.slippage(), m.szDecimals());
        String size = size(request.qty(), m);
        Map<String, Object> action = HyperliquidWire.order(
                m.index(), isBuy, px, size, request.reduceOnly(), "Ioc", HyperliquidWire.cloid(request.clientId()));
        Request prepared = http.prepare(signed(action, auth));
        return new PreparedOrder(request, firstSeen -> placed(request, http.send(prepared, "order"), firstSeen));
    }

    private Fill placed(OrderRequest request, JsonNode reply, Consumer<Fill> firstSeen) {
        OrderOutcome outcome = single(acted(reply, "order", HyperliquidMapper::orderOutcomes), "order");
        if (outcome instanceof OrderOutcome.Filled f) {
            OrderState state = f.totalSz().compareTo(request.qty()) >= 0 ? OrderState.FILLED : OrderState.PARTIAL;
            Fill fill = new Fill(
                    request.clientId(),
                    Long.toString(f.oid()),
                    request.symbol(),
                    request.side(),
                    state,
                    f.totalSz(),
                    f.avgPx(),
                    null);
            firstSeen.accept(fill);
            return fill.withFee(feeOf(f.oid()));
        }
        if (outcome instanceof OrderOutcome.Refused r) {
            if (noMatch(r.message())) {
                // an IOC that found nothing to match: the venue executed nothing and keeps nothing
                Fill nothing = new Fill(
                        request.clientId(),
                        null,
                        request.symbol(),
                        request.side(),
                        OrderState.REJECTED,
                        BigDecimal.ZERO,
                        BigDecimal.ZERO,
                        BigDecimal.ZERO);
                firstSeen.accept(nothing);
                return nothing;
            }
            throw new ExchangeException(venue, r.error(), "POST /exchange order: " + r.message());
        }
        long oid = ((OrderOutcome.Resting) outcome).oid();
        throw new ExchangeException(
                venue,
                ExchangeError.UNKNOWN_OUTCOME,
                "POST /exchange order: IOC order " + oid + " reported resting: reconcile by client id");
    }

    /**
     * {@code orderStatus} by the cloid of {@code clientId}: empty when the venue never took it
     * ({@code unknownOid}). An order still open is {@link ExchangeError#UNKNOWN_OUTCOME} (ask
     * again); one that ended is its fill, priced and charged from the account's fills, which the
     * venue may show a moment after the order (until then, UNKNOWN_OUTCOME too).
     */
    @Override
    public Optional<Fill> lookupOrder(String symbol, String clientId) {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(clientId, "clientId");
        Optional<HyperliquidMapper.OrderState> found = orderStatus(clientId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        HyperliquidMapper.OrderState o = found.get();
        if (!o.ended()) {
            throw new ExchangeException(
                    venue,
                    ExchangeError.UNKNOWN_OUTCOME,
                    "order " + o.oid() + " (client id " + clientId + ") still " + o.status());
        }
        OrderSide side = o.isBuy() ? OrderSide.BUY : OrderSide.SELL;
        BigDecimal filled = o.filled();
        if (filled.signum() == 0) {
            return Optional.of(new Fill(
                    clientId,
                    Long.toString(o.oid()),
                    symbol,
                    side,
                    OrderState.REJECTED,
                    BigDecimal.ZERO,
                    BigDecimal.ZERO,
                    BigDecimal.ZERO));
        }
        List<UserFill> fills = fillsOf(o.oid());
        BigDecimal seen = fills.stream().map(UserFill::sz).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (seen.compareTo(filled) < 0) {
            throw new ExchangeException(
                    venue,
                    ExchangeError.UNKNOWN_OUTCOME,
                    "order " + o.oid() + " filled " + filled.toPlainString() + " but the account's fills show "
                            + seen.toPlainString() + " yet");
        }
        OrderState state = filled.compareTo(o.origSz()) >= 0 ? OrderState.FILLED : OrderState.PARTIAL;
        return Optional.of(new Fill(
                clientId, Long.toString(o.oid()), symbol, side, state, filled, averagePrice(fills), feeSum(fills)));
    }

    /**
     * {@code exchanges.hyperliquid.late_execution_seconds}: each action's {@code expiresAfter},
     * plus the second of clock difference the monitor tolerates (the venue judges the expiry by
     * its own clock).
     */
    @Override
    public Duration lateExecutionWindow() {
        return settings.lateExecution().plus(CLOCK_TOLERANCE);
    }

    /** Every hour on every listed perpetual; an unlisted symbol is REJECTED. */
    @Override
    public Duration fundingInterval(String symbol) {
        market(symbol);
        return FUNDING_INTERVAL;
    }

    /**
     * Σ {@code usdc} of the account's hourly funding payments on {@code symbol} at instants in
     * {@code (from, to]} (positive = received), from {@code userFunding}, page after page.
     */
    @Override
    public BigDecimal fundingBetween(String symbol, Instant from, Instant to) {
        Objects.requireNonNull(symbol, "symbol");
        HyperliquidCredentials auth = requireAuth();
        BigDecimal sum = BigDecimal.ZERO;
        long start = from.toEpochMilli() + 1;
        for (int page = 0; page < FUNDING_MAX_PAGES; page++) {
            Map<String, Object> body = infoBody("userFunding", "user", auth.account());
            body.put("startTime", start);
            body.put("endTime", to.toEpochMilli());
            List<HyperliquidMapper.FundingPayment> payments = info(body, HyperliquidMapper::userFunding);
            long last = start;
            for (HyperliquidMapper.FundingPayment p : payments) {
                if (p.coin().equals(symbol) && p.time() > from.toEpochMilli() && p.time() <= to.toEpochMilli()) {
                    sum = sum.add(p.usdc());
                }
                last = Math.max(last, p.time());
            }
            if (payments.size() < FUNDING_PAGE) {
                return sum;
            }
            start = last + 1;
        }
        throw new ExchangeException(
                venue,
                ExchangeError.VENUE_DOWN,
                "POST /info userFunding: more than " + FUNDING_MAX_PAGES * FUNDING_PAGE + " payments between " + from
                        + " and " + to + "; not summed in part");
    }

    /**
     * The account's fills on {@code symbol} from {@code since} on, oldest first
     * ({@code userFillsByTime}), liquidations marked. A full page ({@value #FILLS_PAGE}) may not be
     * all of them: VENUE_DOWN rather than an incomplete history.
     */
    @Override
    public Optional<List<VenueFill>> fillsSince(String symbol, Instant since) {
        Objects.requireNonNull(symbol, "symbol");
        HyperliquidCredentials auth = requireAuth();
        Map<String, Object> body = infoBody("userFillsByTime", "user", auth.account());
        body.put("startTime", since.toEpochMilli());
        List<UserFill> fills = info(body, HyperliquidMapper::userFills);
        if (fills.size() >= FILLS_PAGE) {
            throw new ExchangeException(
                    venue,
                    ExchangeError.VENUE_DOWN,
                    "POST /info userFillsByTime: " + fills.size() + " fills since " + since
                            + ", the most the venue answers at once; the history may be incomplete");
        }
        List<VenueFill> out = new ArrayList<>();
        for (UserFill f : fills) {
            if (f.coin().equals(symbol) && f.time() >= since.toEpochMilli()) {
                out.add(new VenueFill(
                        Long.toString(f.oid()),
                        null,
                        f.coin(),
                        f.isBuy() ? OrderSide.BUY : OrderSide.SELL,
                        f.sz(),
                        f.px(),
                        f.fee(),
                        Instant.ofEpochMilli(f.time()),
                        f.liquidation()));
            }
        }
        out.sort(Comparator.comparing(VenueFill::at));
        return Optional.of(Collections.unmodifiableList(out));
    }

    /**
     * Proves the key with a signed {@code cancelByCloid} of a cloid never used, which can cancel
     * nothing. The venue recovers the signer from the signature: an unknown one is refused as a
     * whole ("User or API Wallet 0x… does not exist": WRONG, with the address it recovered, which
     * differs from ours when the signed bytes or the network are wrong); a known one has the
     * cancel looked up and answered per order ("Order was never placed…": PROVEN). For an API
     * wallet, {@code userRole} must also name this account as its master: an agent approved for
     * another account would trade that one.
     */
    @Override
    public KeyProof proveKeys() {
        if (credentials.isEmpty()) {
            return KeyProof.cannotProve("no private key (paper mode)");
        }
        HyperliquidCredentials auth = credentials.get();
        String signer = auth.signer().address();
        if (auth.agent()) {
            Optional<KeyProof> role = agentRole(auth);
            if (role.isPresent()) {
                return role.get();
            }
        }
        Market any = cachedMarkets().byCoin().values().stream()
                .findFirst()
                .orElseThrow(() -> new ExchangeException(venue, ExchangeError.VENUE_DOWN, "no market listed"));
        String cloid = HyperliquidWire.cloid("key-proof-" + UUID.randomUUID());
        JsonNode reply;
        try {
            reply = http.exchange(signed(HyperliquidWire.cancelByCloid(any.index(), cloid), auth), "cancelByCloid");
        } catch (ExchangeException e) {
            return e.error() == ExchangeError.AUTH_FAILED
                    ? KeyProof.wrong(e.getMessage())
                    : KeyProof.cannotProve("the signed cancel got no answer to read: " + e.getMessage());
        }
        try {
            List<HyperliquidMapper.CancelOutcome> outcomes = HyperliquidMapper.cancelOutcomes(reply);
            String text = outcomes.isEmpty() ? "" : outcomes.get(0).message();
            if (outcomes.size() == 1
                    && !outcomes.get(0).cancelled()
                    && text.toLowerCase(Locale.ROOT).contains("never placed")) {
                return KeyProof.proven("a signed cancelByCloid of a cloid never used: the venue knew signer " + signer
                        + " and found no such order (" + auth.describe() + ")");
            }
            return KeyProof.cannotProve("signed cancelByCloid answered: " + Failure.excerpt(reply.toString()));
        } catch (Refusal r) {
            if (r.error() == ExchangeError.AUTH_FAILED) {
                String recovered = recoveredAddress(r.getMessage());
                String why = recovered != null && !recovered.equals(signer)
                        ? "; the venue recovered " + recovered + ", not our " + signer
                                + ": the signed bytes differ (check exchanges.hyperliquid.network against base_url)"
                        : "; approve this API wallet for the account on "
                                + network.name().toLowerCase(Locale.ROOT) + " (or use the account's key)";
                return KeyProof.wrong("the venue does not know signer " + signer + ": " + r.getMessage() + why);
            }
            return KeyProof.cannotProve("signed cancelByCloid refused: " + r.getMessage());
        } catch (MalformedReply e) {
            return KeyProof.cannotProve("signed cancelByCloid answered in an unknown shape: " + e.getMessage());
        }
    }

    /**
     * {@code userRole} of the API wallet: {@code {"role":"agent","data":{"user":"0x…"}}} names its
     * master. The api doc names the endpoint (weight 60) without its reply; this shape is the
     * official docs' and the TypeScript SDK's. Empty when the role confirms the account or cannot
     * be read (the cancel proof then stands alone).
     */
    private Optional<KeyProof> agentRole(HyperliquidCredentials auth) {
        String agent = auth.signer().address();
        JsonNode role;
        try {
            role = http.info(infoBody("userRole", "user", agent));
        } catch (ExchangeException e) {
            LOG.warn("{} userRole of API wallet {} not readable: {}", venue.configName(), agent, e.getMessage());
            return Optional.empty();
        }
        String kind = role.path("role").asText("");
        if ("missing".equals(kind)) {
            return Optional.of(KeyProof.wrong("API wallet " + agent + " is not approved for any account on "
                    + network.name().toLowerCase(Locale.ROOT)));
        }
        if ("agent".equals(kind)) {
            String master = role.path("data").path("user").asText("").toLowerCase(Locale.ROOT);
            if (!master.isEmpty() && !master.equals(auth.account())) {
                return Optional.of(KeyProof.wrong("API wallet " + agent + " is approved for " + master
                        + ", not for exchanges.hyperliquid.account_address " + auth.account()));
            }
        }
        return Optional.empty();
    }

    /** The 0x address in "User or API Wallet 0x… does not exist.", lower case, or null. */
    static String recoveredAddress(String message) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("0x[0-9a-fA-F]{40}").matcher(message);
        return m.find() ? m.group().toLowerCase(Locale.ROOT) : null;
    }

    // ---------------------------------------------------------------- resting (maker) orders

    /**
     * A limit order: post-only is {@code Alo} (refused with WOULD_TAKE when it would match), else
     * {@code Gtc}. The price is put on the market's rules (5 significant figures, 6 − szDecimals
     * decimals) away from the book ({@link HyperliquidWire#passivePrice}), and the order returned
     * carries the price sent; a price that would round to zero is REJECTED, not sent.
     */
    @Override
    public RestingOrder placeLimitOrder(LimitOrderRequest request) {
        Objects.requireNonNull(request, "request");
        HyperliquidCredentials auth = requireAuth();
        Market m = market(request.symbol());
        boolean isBuy = request.side() == OrderSide.BUY;
        BigDecimal px = HyperliquidWire.passivePrice(request.price(), isBuy, m.szDecimals());
        if (px.signum() <= 0) {
            throw new ExchangeException(
                    venue,
                    ExchangeError.REJECTED,
                    request.symbol() + ": limit price " + request.price().toPlainString()
                            + " is below the market's finest price; not sent");
        }
        Map<String, Object> action = HyperliquidWire.order(
                m.index(),
                isBuy,
                px,
                size(request.qty(), m),
                request.reduceOnly(),
                request.postOnly() ? "Alo" : "Gtc",
                HyperliquidWire.cloid(request.clientId()));
        OrderOutcome outcome = single(
                acted(http.exchange(signed(action, auth), "order"), "order", HyperliquidMapper::orderOutcomes),
                "order");
        if (outcome instanceof OrderOutcome.Resting r) {
            return new RestingOrder(
                    request.clientId(),
                    Long.toString(r.oid()),
                    request.symbol(),
                    request.side(),
                    request.qty(),
                    px,
                    RestingOrder.Status.OPEN,
                    BigDecimal.ZERO,
                    null,
                    null);
        }
        if (outcome instanceof OrderOutcome.Filled f) {
            boolean all = f.totalSz().compareTo(request.qty()) >= 0;
            return new RestingOrder(
                    request.clientId(),
                    Long.toString(f.oid()),
                    request.symbol(),
                    request.side(),
                    request.qty(),
                    px,
                    all ? RestingOrder.Status.FILLED : RestingOrder.Status.OPEN,
                    f.totalSz().min(request.qty()),
                    f.avgPx(),
                    null);
        }
        OrderOutcome.Refused refused = (OrderOutcome.Refused) outcome;
        throw new ExchangeException(venue, refused.error(), "POST /exchange order: " + refused.message());
    }

    /**
     * {@code cancelByCloid}, then the order as the venue tells it after. A cancel refused with
     * "never placed, already canceled, or filled" is read the same way: the status says which.
     */
    @Override
    public Optional<RestingOrder> cancelOrder(String symbol, String clientId) {
        HyperliquidCredentials auth = requireAuth();
        Market m = market(symbol);
        JsonNode reply = http.exchange(
                signed(HyperliquidWire.cancelByCloid(m.index(), HyperliquidWire.cloid(clientId)), auth),
                "cancelByCloid");
        List<HyperliquidMapper.CancelOutcome> outcomes =
                acted(reply, "cancelByCloid", HyperliquidMapper::cancelOutcomes);
        if (outcomes.size() != 1) {
            throw http.malformed(
                    HyperliquidHttp.Kind.ACTION, "POST /exchange cancelByCloid", outcomes.size() + " statuses");
        }
        return restingOrder(symbol, clientId);
    }

    /** {@code orderStatus} by cloid, with the filled quantity, average price and fee from the account's fills. */
    @Override
    public Optional<RestingOrder> restingOrder(String symbol, String clientId) {
        Optional<HyperliquidMapper.OrderState> found = orderStatus(clientId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        HyperliquidMapper.OrderState o = found.get();
        BigDecimal filled = o.filled();
        List<UserFill> fills = filled.signum() > 0 ? fillsOf(o.oid()) : List.of();
        RestingOrder.Status status;
        if (!o.ended()) {
            status = RestingOrder.Status.OPEN;
        } else if ("filled".equals(o.status())) {
            status = RestingOrder.Status.FILLED;
        } else if (o.status().toLowerCase(Locale.ROOT).contains("cancel")) {
            status = RestingOrder.Status.CANCELLED;
        } else {
            status = filled.signum() > 0 ? RestingOrder.Status.CANCELLED : RestingOrder.Status.REJECTED;
        }
        return Optional.of(new RestingOrder(
                clientId,
                Long.toString(o.oid()),
                symbol,
                o.isBuy() ? OrderSide.BUY : OrderSide.SELL,
                o.origSz(),
                o.limitPx(),
                status,
                filled,
                fills.isEmpty() ? null : averagePrice(fills),
                fills.isEmpty() ? null : feeSum(fills)));
    }

    /** The best bid and ask of {@code l2Book}. */
    @Override
    public TopOfBook topOfBook(String symbol) {
        market(symbol);
        HyperliquidMapper.Best best = info(infoBody("l2Book", "coin", symbol), HyperliquidMapper::best);
        return new TopOfBook(symbol, best.bid(), best.bidSz(), best.ask(), best.askSz(), clock.instant());
    }

    /** The account's rates from {@code userFees}: maker {@code userAddRate}, taker {@code userCrossRate}. */
    @Override
    public FeeRates feeRates() {
        HyperliquidCredentials auth = requireAuth();
        return info(infoBody("userFees", "user", auth.account()), HyperliquidMapper::feeRates);
    }

    /** As {@link HyperliquidDriver#postOnlyReduceOnly} says of the venue. */
    @Override
    public boolean postOnlyReduceOnly() {
        return VenueDriver.of(venue()).postOnlyReduceOnly();
    }

    // ---------------------------------------------------------------- helpers

    /** Signs {@code action} with a fresh nonce and {@code expiresAfter}: the /exchange body. */
    private Map<String, Object> signed(Map<String, Object> action, HyperliquidCredentials auth) {
        long nonce = nextNonce();
        long expiresAfter = nonce + settings.lateExecution().toMillis();
        HyperliquidSigner.Signed s = auth.signer().signL1(action, nonce, null, expiresAfter, network);
        return HyperliquidWire.exchangeBody(action, nonce, s.signature(), null, expiresAfter);
    }

    /** The time in ms, strictly above every nonce used before (two actions in one ms differ). */
    private long nextNonce() {
        long now = clock.millis();
        return lastNonce.updateAndGet(last -> Math.max(now, last + 1));
    }

    /**
     * An action's reply through {@code mapping}: refused as a whole (signature, nonce,
     * pre-validation: nothing was carried out) is the refusal's typed error; a reply without its
     * documented shape is an unknown outcome.
     */
    private <T> T acted(JsonNode reply, String what, Function<JsonNode, T> mapping) {
        try {
            return mapping.apply(reply);
        } catch (Refusal r) {
            throw new ExchangeException(venue, r.error(), "POST /exchange " + what + ": " + r.getMessage());
        } catch (MalformedReply e) {
            throw http.malformed(HyperliquidHttp.Kind.ACTION, "POST /exchange " + what, e.getMessage());
        }
    }

    private OrderOutcome single(List<OrderOutcome> outcomes, String what) {
        if (outcomes.size() != 1) {
            throw http.malformed(
                    HyperliquidHttp.Kind.ACTION, "POST /exchange " + what, outcomes.size() + " statuses for one order");
        }
        return outcomes.get(0);
    }

    /** "Order could not immediately match against any resting orders.": an IOC that executed nothing. */
    static boolean noMatch(String message) {
        return message.toLowerCase(Locale.ROOT).contains("could not immediately match");
    }

    private Optional<HyperliquidMapper.OrderState> orderStatus(String clientId) {
        HyperliquidCredentials auth = requireAuth();
        Map<String, Object> body = infoBody("orderStatus", "user", auth.account());
        body.put("oid", HyperliquidWire.cloid(clientId));
        return info(body, HyperliquidMapper::orderStatus);
    }

    /** The account's recent fills of order {@code oid} ({@code userFills}: the latest 2000). */
    private List<UserFill> fillsOf(long oid) {
        HyperliquidCredentials auth = requireAuth();
        List<UserFill> all = info(infoBody("userFills", "user", auth.account()), HyperliquidMapper::userFills);
        return all.stream().filter(f -> f.oid() == oid).toList();
    }

    /**
     * The fee of order {@code oid}: the sum over its fills. If they cannot be read, or the venue
     * does not show them yet, the fill is still returned with fee 0 and a WARN, as on Backpack.
     */
    private BigDecimal feeOf(long oid) {
        try {
            List<UserFill> fills = fillsOf(oid);
            if (fills.isEmpty()) {
                LOG.warn("{} order {}: no fills visible yet; its fee is recorded as 0", venue.configName(), oid);
                return BigDecimal.ZERO;
            }
            return feeSum(fills);
        } catch (ExchangeException e) {
            LOG.warn(
                    "{} order {}: fills not readable ({}); its fee is recorded as 0",
                    venue.configName(),
                    oid,
                    e.getMessage());
            return BigDecimal.ZERO;
        }
    }

    private static BigDecimal feeSum(List<UserFill> fills) {
        return fills.stream().map(UserFill::fee).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static BigDecimal averagePrice(List<UserFill> fills) {
        BigDecimal qty = BigDecimal.ZERO;
        BigDecimal value = BigDecimal.ZERO;
        for (UserFill f : fills) {
            qty = qty.add(f.sz());
            value = value.add(f.sz().multiply(f.px()));
        }
        return Money.divide(value, qty).stripTrailingZeros();
    }

    /** {@code qty} on the wire; finer than szDecimals, or zero, is refused before anything is sent. */
    private String size(BigDecimal qty, Market m) {
        if (qty.signum() <= 0) {
            throw new ExchangeException(
                    venue, ExchangeError.REJECTED, "size " + qty.toPlainString() + " <= 0; not sent");
        }
        try {
            return HyperliquidWire.size(qty, m.szDecimals());
        } catch (IllegalArgumentException e) {
            throw new ExchangeException(venue, ExchangeError.REJECTED, m.coin() + ": " + e.getMessage() + "; not sent");
        }
    }

    private Market market(String symbol) {
        Market m = cachedMarkets().byCoin().get(symbol);
        if (m == null) {
            throw new ExchangeException(venue, ExchangeError.REJECTED, symbol + " is not a listed perpetual");
        }
        return m;
    }

    private Markets cachedMarkets() {
        Markets m = markets;
        if (m != null && clock.instant().isBefore(m.loadedAt().plus(settings.marketsTtl()))) {
            return m;
        }
        return loadMarkets();
    }

    private Markets loadMarkets() {
        List<Market> list = info(infoBody("metaAndAssetCtxs"), HyperliquidMapper::markets);
        Map<String, Market> byCoin = new LinkedHashMap<>();
        for (Market m : list) {
            if (m.mark().signum() <= 0) {
                if (!m.delisted()) {
                    throw http.malformed(
                            HyperliquidHttp.Kind.READ,
                            "POST /info metaAndAssetCtxs",
                            m.coin() + " without a positive markPx");
                }
                continue;
            }
            byCoin.put(m.coin(), m);
        }
        Markets fresh = new Markets(Collections.unmodifiableMap(byCoin), clock.instant());
        markets = fresh;
        return fresh;
    }

    /** {@code POST /info} of {@code body} through {@code mapping}; a reply without its documented shape is unusable. */
    private <T> T info(Map<String, Object> body, Function<JsonNode, T> mapping) {
        JsonNode reply = http.info(body);
        try {
            return mapping.apply(reply);
        } catch (MalformedReply e) {
            throw http.malformed(HyperliquidHttp.Kind.READ, "POST /info " + body.get("type"), e.getMessage());
        }
    }

    private static Map<String, Object> infoBody(String type, String... keyValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        for (int i = 0; i < keyValues.length; i += 2) {
            body.put(keyValues[i], keyValues[i + 1]);
        }
        return body;
    }

    private HyperliquidCredentials requireAuth() {
        return credentials.orElseThrow(() ->
                new ExchangeException(venue, ExchangeError.REJECTED, "no private key (paper mode): public data only"));
    }

    @Override
    public String toString() {
        return "HyperliquidExchange[" + network.name().toLowerCase(Locale.ROOT) + ", " + describeKeys() + "]";
    }
}
