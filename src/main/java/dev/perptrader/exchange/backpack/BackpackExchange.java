package dev.perptrader.exchange.backpack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigError;
import dev.perptrader.domain.Fill;
import dev.perptrader.domain.MarketRules;
import dev.perptrader.domain.Money;
import dev.perptrader.domain.OrderSide;
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
import dev.perptrader.exchange.PreparedOrder;
import dev.perptrader.exchange.PreparingExchange;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.exchange.Sleeper;
import dev.perptrader.exchange.TopOfBook;
import dev.perptrader.exchange.VenueDriver;
import dev.perptrader.exchange.backpack.BackpackErrors.CallKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backpack Exchange perpetuals over REST (ED25519-signed). Thread-safe: one instance per
 * account, shared by every caller.
 *
 * <p>Reads are paced (10 requests/s by default), retried with backoff on throttling, 5xx,
 * timeouts and unusable replies, and end in {@link ExchangeError#VENUE_DOWN} or
 * {@link ExchangeError#RATE_LIMITED}. Orders are sent exactly once: a timeout, a lost connection
 * after sending, a 5xx or an unreadable reply is {@link ExchangeError#UNKNOWN_OUTCOME}, to be
 * reconciled with {@link #lookupOrder} by client id.
 */
public final class BackpackExchange implements PreparingExchange {
    private static final Logger LOG = LoggerFactory.getLogger(BackpackExchange.class);
    /** This venue, as registered by {@link BackpackDriver}. */
    public static final Venue VENUE = Venue.parse("backpack");

    private static final int HISTORY_PAGE = 1000;
    private static final int FILLS_PAGE = 100;
    private static final int LOOKUP_MAX_PAGES = 5;
    private static final int FEE_MAX_PAGES = 10;
    private static final int FUNDING_MAX_PAGES = 100;
    /** Pages of {@value #HISTORY_PAGE} read by {@link #fillsSince} per query before giving up. */
    static final int FILLS_SINCE_MAX_PAGES = 5;

    private record CachedMarkets(
            Map<String, MarketRules> rules, Map<String, Duration> fundingIntervals, Instant fetchedAt) {}

    private final BackpackHttp http;
    /** Daemon threads for the second read of a pair of reads asked at once; idle ones end after 60 s. */
    private final ExecutorService reads = Futures.daemonPool("backpack-reads");

    private final Clock clock;
    private final Tuning tuning;
    private final ClientIds clientIds;
    private volatile CachedMarkets markets;

    /**
     * A trading client. Validates the key pair first: {@code api_secret} must be base64 of a
     * 32-byte ED25519 seed whose public key is {@code api_key}; otherwise {@link ConfigError}.
     * Its signed window and late-execution window are {@code late_execution_seconds} (the window
     * capped at 60 s), its clock is measured again every {@code exchanges.clock_check_minutes}.
     */
    public static BackpackExchange live(AppConfig.ExchangeCredentials creds, Clock clock) {
        Objects.requireNonNull(creds, "creds");
        Objects.requireNonNull(clock, "clock");
        HttpUrl url = baseUrl(creds.text("base_url"));
        BackpackCredentials keys = BackpackCredentials.of(creds.secret("api_key"), creds.secret("api_secret"));
        Tuning tuning = Tuning.DEFAULT.withVenueSettings(creds.lateExecution(), creds.clockCheckEvery());
        return new BackpackExchange(BackpackHttp.httpClient(tuning), url, keys, clock, Sleeper.SYSTEM, tuning);
    }

    /**
     * A client without keys (paper mode): markets, quotes and the clock offset work; every signed
     * call throws {@link ExchangeError#REJECTED} "no API keys (paper mode)".
     */
    public static BackpackExchange publicOnly(String baseUrl, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return new BackpackExchange(
                BackpackHttp.httpClient(Tuning.DEFAULT), baseUrl(baseUrl), null, clock, Sleeper.SYSTEM, Tuning.DEFAULT);
    }

    /** Tests: their own HTTP client, clock, sleeper and tuning; {@code credentials} may be null. */
    BackpackExchange(
            OkHttpClient client,
            HttpUrl baseUrl,
            RequestSigner credentials,
            Clock clock,
            Sleeper sleeper,
            Tuning tuning) {
        this.http = new BackpackHttp(client, baseUrl, credentials, clock, sleeper, tuning);
        this.clock = clock;
        this.tuning = tuning;
        this.clientIds = new ClientIds(clock);
    }

    private static HttpUrl baseUrl(String text) {
        HttpUrl url = text == null ? null : HttpUrl.parse(text.trim());
        if (url == null) {
            throw new ConfigError("exchanges.backpack.base_url must be an http:// or https:// URL");
        }
        return url;
    }

    @Override
    public Venue venue() {
        return VENUE;
    }

    /** PERP markets by base asset, from {@code GET /api/v1/markets}; kept for {@code marketsTtl}. */
    @Override
    public Map<String, MarketRules> markets() {
        return cachedMarkets().rules();
    }

    private CachedMarkets cachedMarkets() {
        CachedMarkets cached = markets;
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.fetchedAt().plus(tuning.marketsTtl()))) {
            return cached;
        }
        String what = "GET /api/v1/markets";
        JsonNode node = http.get("/api/v1/markets", params("marketType", "PERP"));
        List<BackpackDtos.Market> list = http.decodeList(node, BackpackDtos.Market.class, CallKind.READ, what);
        Map<String, MarketRules> rules = mapped(CallKind.READ, what, () -> BackpackMapper.markets(list));
        Map<String, Duration> intervals = mapped(CallKind.READ, what, () -> BackpackMapper.fundingIntervals(list));
        CachedMarkets loaded = new CachedMarkets(rules, intervals, now);
        markets = loaded;
        return loaded;
    }

    /** One {@code GET /api/v1/markPrices} (all markets) for any number of symbols. */
    @Override
    public Map<String, Quote> quotes(Collection<String> symbols) {
        Objects.requireNonNull(symbols, "symbols");
        if (symbols.isEmpty()) {
            return Map.of();
        }
        String what = "GET /api/v1/markPrices";
        JsonNode node = http.get("/api/v1/markPrices", Map.of());
        List<BackpackDtos.MarkPrice> list = http.decodeList(node, BackpackDtos.MarkPrice.class, CallKind.READ, what);
        Instant at = clock.instant();
        return mapped(CallKind.READ, what, () -> BackpackMapper.quotes(list, symbols, at));
    }

    /** {@code GET /api/v1/capital/collateral} and {@code GET /api/v1/position}; see {@link BackpackMapper#account}. */
    @Override
    public AccountState account() {
        // Backpack serves collateral and positions separately: both are asked at once, one round trip
        CompletableFuture<List<BackpackDtos.Position>> positionsCall = CompletableFuture.supplyAsync(
                () -> http.getSigned("positionQuery", "/api/v1/position", Map.of(), true)
                        .map(n ->
                                http.decodeList(n, BackpackDtos.Position.class, CallKind.READ, "GET /api/v1/position"))
                        .orElse(List.of()),
                reads);
        JsonNode c = http.getSigned("collateralQuery", "/api/v1/capital/collateral", Map.of(), false)
                .orElseThrow();
        BackpackDtos.Collateral collateral =
                http.decode(c, BackpackDtos.Collateral.class, CallKind.READ, "GET /api/v1/capital/collateral");
        List<BackpackDtos.Position> positions = Futures.join(positionsCall);
        return mapped(CallKind.READ, "GET /api/v1/position", () -> BackpackMapper.account(collateral, positions));
    }

    /**
     * Raises the account-wide {@code leverageLimit} to the ceiling of {@code leverage} when it is
     * lower; never lowers it. {@code symbol} is not needed: Backpack's limit is per account.
     */
    @Override
    public void ensureLeverage(String symbol, BigDecimal leverage) {
        Objects.requireNonNull(symbol, "symbol");
        if (leverage == null || leverage.signum() <= 0) {
            throw new IllegalArgumentException("leverage <= 0: " + leverage);
        }
        JsonNode node = http.getSigned("accountQuery", "/api/v1/account", Map.of(), false)
                .orElseThrow();
        BackpackDtos.Account account =
                http.decode(node, BackpackDtos.Account.class, CallKind.READ, "GET /api/v1/account");
        BigDecimal current = account.leverageLimit() == null
                ? BigDecimal.ZERO
                : mapped(
                        CallKind.READ,
                        "GET /api/v1/account",
                        () -> BackpackMapper.decimal(account.leverageLimit(), "leverageLimit"));
        if (current.compareTo(leverage) >= 0) {
            LOG.debug(
                    "backpack leverage limit {} covers {}x for {}",
                    current.toPlainString(),
                    leverage.toPlainString(),
                    symbol);
            return;
        }
        String target = leverage.setScale(0, RoundingMode.CEILING).toPlainString();
        http.writeExpectingEmpty("PATCH", "accountUpdate", "/api/v1/account", params("leverageLimit", target));
        LOG.info(
                "backpack leverage limit raised from {} to {} (account-wide) for {}x on {}",
                current.toPlainString(),
                target,
                leverage.toPlainString(),
                symbol);
    }

    /** See {@link ClientIds}: a uint32 as a decimal string. */
    @Override
    public String newClientId() {
        return clientIds.next();
    }

    /**
     * Checks the client id, builds the body of {@code POST /api/v1/order} and signs it
     * ({@code orderExecute}) with the timestamp of now; the clock offset is measured first when
     * due. Sending is then the call and the reply, as {@link #placeMarketOrder(OrderRequest, Consumer)}.
     *
     * <p>The order is sent exactly once. The fee is the sum of the order's fills
     * ({@code GET /wapi/v1/history/fills?orderId=}), read after {@code firstSeen}; if those cannot
     * be read the fill is still returned, with fee 0 and a WARN.
     */
    @Override
    public PreparedOrder prepareMarketOrder(OrderRequest request) {
        Objects.requireNonNull(request, "request");
        long clientId = ClientIds.parse(request.clientId());
        if (clientId < 0) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.REJECTED,
                    "client id '" + request.clientId() + "' is not a uint32 (0..4294967295); not sent");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("symbol", request.symbol());
        body.put("side", BackpackMapper.venueSide(request.side()));
        body.put("orderType", "Market");
        body.put("quantity", Money.plain(request.qty()));
        if (request.reduceOnly()) {
            body.put("reduceOnly", Boolean.TRUE);
        }
        body.put("clientId", clientId);
        BackpackHttp.PreparedWrite write = http.prepareWrite("POST", "orderExecute", "/api/v1/order", body);
        return new PreparedOrder(request, firstSeen -> placed(request, http.send(write), firstSeen));
    }

    /** The order reply: state, quantity and price to {@code firstSeen}, then the fee from the fills. */
    private Fill placed(OrderRequest request, JsonNode node, Consumer<Fill> firstSeen) {
        String what = "POST /api/v1/order";
        BackpackDtos.Order order = http.decode(node, BackpackDtos.Order.class, CallKind.WRITE, what);
        if (BackpackMapper.stillOpen(order.status())) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.UNKNOWN_OUTCOME,
                    what + ": order " + order.id() + " still open (" + order.status() + "): reconcile by client id");
        }
        Fill totals = mapped(
                CallKind.WRITE,
                what,
                () -> BackpackMapper.fill(
                        request.clientId(),
                        required(order.id(), "id"),
                        request.symbol(),
                        BackpackMapper.venueSide(request.side()),
                        order.status(),
                        order.executedQuantity(),
                        order.executedQuoteQuantity(),
                        BigDecimal.ZERO));
        firstSeen.accept(totals.withFee(null));
        return withFee(totals);
    }

    /**
     * The order with this client id: first the order history of {@code symbol} (most recent
     * first, up to 5000 orders), then, if the history does not show it yet, the fills (whose
     * {@code clientId} is a string). Empty when neither knows it. An order still open throws
     * {@link ExchangeError#UNKNOWN_OUTCOME}: ask again later.
     */
    @Override
    public Optional<Fill> lookupOrder(String symbol, String clientId) {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(clientId, "clientId");
        long id = ClientIds.parse(clientId);
        if (id < 0) {
            LOG.warn("backpack lookup of client id '{}': not a uint32, so never sent", clientId);
            return Optional.empty();
        }
        String what = "GET /wapi/v1/history/orders";
        Optional<BackpackDtos.HistoryOrder> order = historyOrder(symbol, id);
        if (order.isPresent()) {
            BackpackDtos.HistoryOrder o = order.get();
            if (BackpackMapper.stillOpen(o.status())) {
                throw new ExchangeException(
                        VENUE,
                        ExchangeError.UNKNOWN_OUTCOME,
                        what + ": order " + o.id() + " (client id " + clientId + ") still open (" + o.status() + ")");
            }
            Fill totals = mapped(
                    CallKind.READ,
                    what,
                    () -> BackpackMapper.fill(
                            clientId,
                            required(o.id(), "id"),
                            o.symbol() == null ? symbol : o.symbol(),
                            o.side(),
                            o.status(),
                            o.executedQuantity(),
                            o.executedQuoteQuantity(),
                            BigDecimal.ZERO));
            return Optional.of(withFee(totals));
        }
        List<BackpackDtos.FillItem> fills = collectPages(
                "fillHistoryQueryAll",
                "/wapi/v1/history/fills",
                params("symbol", symbol, "sortDirection", "Desc"),
                HISTORY_PAGE,
                LOOKUP_MAX_PAGES,
                BackpackDtos.FillItem.class,
                f -> clientId.equals(f.clientId()),
                f -> false);
        if (fills.isEmpty()) {
            return Optional.empty();
        }
        LOG.warn(
                "backpack order with client id {} not in the order history yet; confirmed from {} fill(s)",
                clientId,
                fills.size());
        BigDecimal fee = orderFee(fills, fills.get(0).orderId(), clientId);
        return Optional.of(mapped(
                CallKind.READ, "GET /wapi/v1/history/fills", () -> BackpackMapper.fromFills(clientId, fills, fee)));
    }

    /**
     * {@code exchanges.backpack.late_execution_seconds}: a signed order is valid for its
     * {@code X-Window} after its {@code X-Timestamp}, and the window sent is this setting (at most
     * the venue's 60 s), so the venue cannot execute an order later than this.
     */
    @Override
    public Duration lateExecutionWindow() {
        return tuning.lateExecution();
    }

    /**
     * The market's own {@code fundingInterval} from {@code GET /api/v1/markets} (cached with the
     * markets): it differs between markets, so none is assumed. A symbol the venue does not list
     * is {@link ExchangeError#REJECTED}; a listed market without a readable interval is
     * {@link ExchangeError#VENUE_DOWN}.
     */
    @Override
    public Duration fundingInterval(String symbol) {
        Objects.requireNonNull(symbol, "symbol");
        CachedMarkets cached = cachedMarkets();
        Duration interval = cached.fundingIntervals().get(symbol);
        if (interval != null) {
            return interval;
        }
        boolean listed =
                cached.rules().values().stream().anyMatch(r -> r.symbol().equals(symbol));
        throw new ExchangeException(
                VENUE,
                listed ? ExchangeError.VENUE_DOWN : ExchangeError.REJECTED,
                "GET /api/v1/markets: " + (listed ? "no readable fundingInterval for " : "no PERP market ") + symbol);
    }

    /**
     * Σ {@code quantity} of the funding payments on {@code symbol} whose interval ended in
     * {@code (from, to]} (positive = received), from {@code GET /wapi/v1/history/funding}, newest
     * first, paging until entries reach back to {@code from}.
     */
    @Override
    public BigDecimal fundingBetween(String symbol, Instant from, Instant to) {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        String what = "GET /wapi/v1/history/funding";
        List<BackpackDtos.FundingPayment> inWindow = collectPages(
                "fundingHistoryQueryAll",
                "/wapi/v1/history/funding",
                params("symbol", symbol, "sortDirection", "Desc"),
                HISTORY_PAGE,
                FUNDING_MAX_PAGES,
                BackpackDtos.FundingPayment.class,
                p -> {
                    Instant t = endOf(p, what);
                    return (p.symbol() == null || symbol.equals(p.symbol())) && t.isAfter(from) && !t.isAfter(to);
                },
                p -> !endOf(p, what).isAfter(from));
        return mapped(
                CallKind.READ,
                what,
                () -> inWindow.stream()
                        .map(p -> BackpackMapper.decimal(p.quantity(), "funding.quantity"))
                        .reduce(BigDecimal.ZERO, BigDecimal::add));
    }

    /**
     * Measured from {@code GET /api/v1/time}: on first use, then every
     * {@code exchanges.clock_check_minutes}, and at once when the venue refuses a timestamp.
     */
    @Override
    public Optional<Duration> clockOffset() {
        return Optional.of(http.clockOffset());
    }

    /**
     * Every fill on {@code symbol} from {@code since} on, oldest first, from
     * {@code GET /wapi/v1/history/fills} ({@code fillHistoryQueryAll}, {@code from} in ms,
     * ascending, pages of 1000): the bot's fills, the owner's, and the venue's own.
     *
     * <p>System fills: since 2025-04-22 the endpoint returns all fills, the venue's included,
     * when no {@code fillType} is given (the spec's {@code FillType} has no "all" value, and
     * {@code User} would hide them), so the first query sends none. A second query with
     * {@code fillType=AllLiquidation} (book liquidation, ADL, backstop) makes sure a liquidation
     * is seen even if a deployment's default were still user fills only; fills found by both are
     * kept once. A fill is {@code liquidation} when it carries a {@code systemOrderType} or came
     * back for {@code AllLiquidation}. Fees are in USD (see {@link BackpackMapper#feeUsd}); a fee
     * that cannot be valued is {@link ExchangeError#VENUE_DOWN}, like a history longer than
     * {@value #FILLS_SINCE_MAX_PAGES} pages: an incomplete history is never returned as complete.
     */
    @Override
    public Optional<List<VenueFill>> fillsSince(String symbol, Instant since) {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(since, "since");
        String what = "GET /wapi/v1/history/fills";
        Map<String, Object> query = params("symbol", symbol, "from", since.toEpochMilli(), "sortDirection", "Asc");
        List<BackpackDtos.FillItem> all = allPages(query, what);
        Map<String, Object> liquidationQuery = new LinkedHashMap<>(query);
        liquidationQuery.put("fillType", "AllLiquidation");
        List<BackpackDtos.FillItem> liquidations = allPages(liquidationQuery, what);
        Map<String, VenueFill> byKey = new LinkedHashMap<>();
        mapped(CallKind.READ, what, () -> {
            for (BackpackDtos.FillItem f : all) {
                byKey.put(fillKey(f), BackpackMapper.venueFill(f, false));
            }
            for (BackpackDtos.FillItem f : liquidations) {
                byKey.put(fillKey(f), BackpackMapper.venueFill(f, true));
            }
            return null;
        });
        List<VenueFill> fills = byKey.values().stream()
                .filter(f -> f.symbol().equals(symbol) && !f.at().isBefore(since))
                .sorted(Comparator.comparing(VenueFill::at))
                .toList();
        return Optional.of(fills);
    }

    /** A fill's identity: its trade id, or (backstop fills before 2025-11 had trade id 0) all it says. */
    private static String fillKey(BackpackDtos.FillItem f) {
        if (f.tradeId() != null && f.tradeId() != 0) {
            return "t" + f.tradeId();
        }
        return String.join("|", "o" + f.orderId(), f.timestamp(), f.side(), f.price(), f.quantity());
    }

    /** Every page of a fills query, or VENUE_DOWN when there are more than the bound. */
    private List<BackpackDtos.FillItem> allPages(Map<String, Object> query, String what) {
        List<BackpackDtos.FillItem> out = new ArrayList<>();
        for (int page = 0; page < FILLS_SINCE_MAX_PAGES; page++) {
            List<BackpackDtos.FillItem> items = page(
                    "fillHistoryQueryAll",
                    "/wapi/v1/history/fills",
                    query,
                    HISTORY_PAGE,
                    page,
                    BackpackDtos.FillItem.class);
            items.stream().filter(Objects::nonNull).forEach(out::add);
            if (items.size() < HISTORY_PAGE) {
                return out;
            }
        }
        throw new ExchangeException(
                VENUE,
                ExchangeError.VENUE_DOWN,
                what + ": more than " + FILLS_SINCE_MAX_PAGES * HISTORY_PAGE
                        + " fills since the requested time; the history was not read whole");
    }

    /**
     * A signed read ({@code GET /api/v1/capital/collateral}, {@code collateralQuery}): it trades
     * nothing and the venue answers it only for a key and signature it accepts. PROVEN when it
     * answers, WRONG when it refuses the key or signature ({@link ExchangeError#AUTH_FAILED}),
     * CANNOT_PROVE for anything else (unreachable, throttled, refused timestamp, no keys).
     */
    @Override
    public KeyProof proveKeys() {
        if (!http.hasKeys()) {
            return KeyProof.cannotProve("no API keys (paper mode)");
        }
        try {
            http.getSigned("collateralQuery", "/api/v1/capital/collateral", Map.of(), false);
            return KeyProof.proven("signed GET /api/v1/capital/collateral answered");
        } catch (ExchangeException e) {
            return e.error() == ExchangeError.AUTH_FAILED
                    ? KeyProof.wrong(e.getMessage())
                    : KeyProof.cannotProve(e.getMessage());
        }
    }

    // ---------------------------------------------------------------- resting (maker) orders

    /**
     * {@code POST /api/v1/order} ({@code orderExecute}), a {@code Limit} order, {@code GTC}, with
     * {@code postOnly} and {@code reduceOnly} sent when set (both may be), sent exactly once. A
     * crossing post-only order is answered either 400 INVALID_ORDER "Order would immediately match
     * and take" or 200 {@code Expired} / {@code PostOnlyTaker} (api doc §3.4): both are
     * {@link ExchangeError#WOULD_TAKE}. A timeout, 5xx or unreadable reply is
     * {@link ExchangeError#UNKNOWN_OUTCOME}: find the order with {@link #restingOrder}. An order
     * that filled at once (not post-only) carries its fee from the fills.
     */
    @Override
    public RestingOrder placeLimitOrder(LimitOrderRequest request) {
        Objects.requireNonNull(request, "request");
        long clientId = uint32(request.clientId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("symbol", request.symbol());
        body.put("side", BackpackMapper.venueSide(request.side()));
        body.put("orderType", "Limit");
        body.put("quantity", Money.plain(request.qty()));
        body.put("price", Money.plain(request.price()));
        body.put("timeInForce", "GTC");
        if (request.postOnly()) {
            body.put("postOnly", Boolean.TRUE);
        }
        if (request.reduceOnly()) {
            body.put("reduceOnly", Boolean.TRUE);
        }
        body.put("clientId", clientId);
        String what = "POST /api/v1/order";
        JsonNode node = http.send(http.prepareWrite("POST", "orderExecute", "/api/v1/order", body));
        BackpackDtos.Order order = http.decode(node, BackpackDtos.Order.class, CallKind.WRITE, what);
        if ("Expired".equals(order.status())
                && isZero(order.executedQuantity())
                && (BackpackMapper.POST_ONLY_TAKER.equals(order.expiryReason()) || request.postOnly())) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.WOULD_TAKE,
                    what + ": post-only " + request.side() + " " + Money.plain(request.qty()) + " " + request.symbol()
                            + " at " + Money.plain(request.price()) + " (client id " + request.clientId()
                            + ") expired " + (order.expiryReason() == null ? "unfilled" : order.expiryReason())
                            + ": it would have taken; nothing executed");
        }
        RestingOrder placed = mapped(
                CallKind.WRITE, what, () -> restingOf(order, request.clientId(), request.symbol(), request.side()));
        return withOrderFills(placed);
    }

    /**
     * {@code DELETE /api/v1/order} ({@code orderCancel}) with {@code {symbol, clientId}}, sent
     * once. 200: the order as cancelled, with what filled before. 404 / RESOURCE_NOT_FOUND (it
     * filled or was cancelled already): the order as its history shows it, or empty when the
     * venue has none. 202 (accepted, not carried out yet): the order as {@code GET /api/v1/order}
     * reads now, usually still OPEN, so the caller reads again (an order that has already left
     * the book reads as it ended). A timeout or 5xx is {@link ExchangeError#UNKNOWN_OUTCOME}:
     * read the order again.
     */
    @Override
    public Optional<RestingOrder> cancelOrder(String symbol, String clientId) {
        Objects.requireNonNull(symbol, "symbol");
        long id = uint32(clientId);
        String what = "DELETE /api/v1/order";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("symbol", symbol);
        body.put("clientId", id);
        Optional<BackpackHttp.WriteReply> reply =
                http.sendMayBeGone(http.prepareWriteMayBeAccepted("DELETE", "orderCancel", "/api/v1/order", body));
        if (reply.isEmpty()) {
            LOG.info("backpack cancel of client id {} on {}: not on the book; reading its history", clientId, symbol);
            return endedOrder(symbol, clientId, id);
        }
        if (reply.get().node() == null) {
            LOG.info("backpack cancel of client id {} on {} accepted (202), not carried out yet", clientId, symbol);
            return restingOrder(symbol, clientId);
        }
        BackpackDtos.Order order = http.decode(reply.get().node(), BackpackDtos.Order.class, CallKind.WRITE, what);
        RestingOrder cancelled = mapped(CallKind.WRITE, what, () -> restingOf(order, clientId, symbol, null));
        return Optional.of(withOrderFills(cancelled));
    }

    /**
     * {@code GET /api/v1/order?symbol&clientId} ({@code orderQuery}) while the order rests; once
     * it has left the book (404) its history item (api doc §3.6: {@code GET /wapi/v1/history/orders}
     * takes no client id, so the symbol's history is read newest first and matched by client id).
     * Average price and fee of what filled come from the fills ({@code orderId}). Empty when neither
     * knows the order; a history that does not show it yet while fills do is
     * {@link ExchangeError#VENUE_DOWN} (read again): an order that filled never reads as unknown.
     */
    @Override
    public Optional<RestingOrder> restingOrder(String symbol, String clientId) {
        Objects.requireNonNull(symbol, "symbol");
        long id = uint32(clientId);
        String what = "GET /api/v1/order";
        Optional<JsonNode> open =
                http.getSigned("orderQuery", "/api/v1/order", params("symbol", symbol, "clientId", id), true);
        if (open.isPresent()) {
            BackpackDtos.Order order = http.decode(open.get(), BackpackDtos.Order.class, CallKind.READ, what);
            RestingOrder resting = mapped(CallKind.READ, what, () -> restingOf(order, clientId, symbol, null));
            return Optional.of(withOrderFills(resting));
        }
        return endedOrder(symbol, clientId, id);
    }

    /** The order with client id {@code id} in the order history (newest first, a few pages at most). */
    private Optional<BackpackDtos.HistoryOrder> historyOrder(String symbol, long id) {
        return findInPages(
                "orderHistoryQueryAll",
                "/wapi/v1/history/orders",
                params("symbol", symbol, "sortDirection", "Desc"),
                HISTORY_PAGE,
                LOOKUP_MAX_PAGES,
                BackpackDtos.HistoryOrder.class,
                o -> o.clientId() != null && o.clientId() == id);
    }

    /** An order no longer on the book, from the history (and its fills); see {@link #restingOrder}. */
    private Optional<RestingOrder> endedOrder(String symbol, String clientId, long id) {
        String what = "GET /wapi/v1/history/orders";
        Optional<BackpackDtos.HistoryOrder> found = historyOrder(symbol, id);
        if (found.isPresent()) {
            BackpackDtos.HistoryOrder o = found.get();
            RestingOrder ended = mapped(
                    CallKind.READ,
                    what,
                    () -> BackpackMapper.resting(
                            clientId,
                            required(o.id(), "id"),
                            o.symbol() == null ? symbol : o.symbol(),
                            o.side(),
                            o.quantity(),
                            o.price(),
                            o.status(),
                            o.expiryReason(),
                            o.executedQuantity(),
                            o.executedQuoteQuantity(),
                            null));
            return Optional.of(withOrderFills(ended));
        }
        List<BackpackDtos.FillItem> fills = collectPages(
                "fillHistoryQueryAll",
                "/wapi/v1/history/fills",
                params("symbol", symbol, "sortDirection", "Desc"),
                HISTORY_PAGE,
                LOOKUP_MAX_PAGES,
                BackpackDtos.FillItem.class,
                f -> clientId.equals(f.clientId()),
                f -> false);
        if (!fills.isEmpty()) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.VENUE_DOWN,
                    what + ": order with client id " + clientId + " has " + fills.size()
                            + " fill(s) but is neither on the book nor in the history yet; read it again");
        }
        return Optional.empty();
    }

    /** An order reply as a RestingOrder; {@code side} when the reply lacks one (null: required). */
    private static RestingOrder restingOf(BackpackDtos.Order order, String clientId, String symbol, OrderSide side) {
        return BackpackMapper.resting(
                clientId,
                required(order.id(), "id"),
                order.symbol() == null ? symbol : order.symbol(),
                order.side() == null && side != null ? BackpackMapper.venueSide(side) : order.side(),
                order.quantity(),
                order.price(),
                order.status(),
                order.expiryReason(),
                order.executedQuantity(),
                order.executedQuoteQuantity(),
                null);
    }

    /**
     * The fee (and, where the order lacks it, the average price) of what filled, from the
     * order's fills; a failed read leaves both as they were (fee null) with a WARN.
     */
    private RestingOrder withOrderFills(RestingOrder order) {
        if (order.filledQty().signum() == 0) {
            return order;
        }
        try {
            List<BackpackDtos.FillItem> fills = collectPages(
                    "fillHistoryQueryAll",
                    "/wapi/v1/history/fills",
                    params("orderId", order.venueOrderId(), "symbol", order.symbol()),
                    FILLS_PAGE,
                    FEE_MAX_PAGES,
                    BackpackDtos.FillItem.class,
                    f -> true,
                    f -> false);
            if (fills.isEmpty()) {
                LOG.warn(
                        "backpack order {} (client id {}) filled {} but shows no fills yet; fee not known",
                        order.venueOrderId(),
                        order.clientId(),
                        order.filledQty().toPlainString());
                return order;
            }
            BigDecimal fee = orderFee(fills, order.venueOrderId(), order.clientId());
            return mapped(
                    CallKind.READ, "GET /wapi/v1/history/fills", () -> BackpackMapper.withFills(order, fills, fee));
        } catch (ExchangeException e) {
            LOG.warn(
                    "backpack fills of order {} (client id {}) unavailable; fee not known: {}",
                    order.venueOrderId(),
                    order.clientId(),
                    e.getMessage());
            return order;
        }
    }

    /**
     * {@code GET /api/v1/depth?symbol&limit=5} (public): the highest bid and the lowest ask,
     * whatever order the levels come in (the recordings list bids ascending). A book with an
     * empty side, or crossed, is {@link ExchangeError#VENUE_DOWN}.
     */
    @Override
    public TopOfBook topOfBook(String symbol) {
        Objects.requireNonNull(symbol, "symbol");
        String what = "GET /api/v1/depth";
        JsonNode node = http.get("/api/v1/depth", params("symbol", symbol, "limit", 5L));
        BackpackDtos.Depth depth = http.decode(node, BackpackDtos.Depth.class, CallKind.READ, what);
        BigDecimal[] bid = mapped(CallKind.READ, what, () -> BackpackMapper.best(depth.bids(), true, "bids"));
        BigDecimal[] ask = mapped(CallKind.READ, what, () -> BackpackMapper.best(depth.asks(), false, "asks"));
        if (bid == null || ask == null) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.VENUE_DOWN,
                    what + ": " + symbol + " book is one-sided (" + (bid == null ? "no bids" : "no asks") + ")");
        }
        if (bid[0].compareTo(ask[0]) >= 0) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.VENUE_DOWN,
                    what + ": " + symbol + " book is crossed (bid " + bid[0].toPlainString() + " >= ask "
                            + ask[0].toPlainString() + ")");
        }
        Instant at =
                depth.timestamp() == null ? clock.instant() : Instant.EPOCH.plus(depth.timestamp(), ChronoUnit.MICROS);
        return new TopOfBook(symbol, bid[0], bid[1], ask[0], ask[1], at);
    }

    /**
     * {@code GET /api/v1/account} ({@code accountQuery}): {@code futuresMakerFee} and
     * {@code futuresTakerFee} are basis points (2 = 0.0002); a negative maker fee is a rebate.
     */
    @Override
    public FeeRates feeRates() {
        String what = "GET /api/v1/account";
        JsonNode node = http.getSigned("accountQuery", "/api/v1/account", Map.of(), false)
                .orElseThrow();
        BackpackDtos.Account account = http.decode(node, BackpackDtos.Account.class, CallKind.READ, what);
        return mapped(
                CallKind.READ,
                what,
                () -> new FeeRates(
                        BackpackMapper.decimal(account.futuresMakerFee(), "futuresMakerFee")
                                .movePointLeft(4),
                        BackpackMapper.decimal(account.futuresTakerFee(), "futuresTakerFee")
                                .movePointLeft(4)));
    }

    /** As {@link BackpackDriver#postOnlyReduceOnly} says of the venue. */
    @Override
    public boolean postOnlyReduceOnly() {
        return VenueDriver.of(venue()).postOnlyReduceOnly();
    }

    /** The uint32 of a client id; REJECTED (nothing sent) when it is not one. */
    private static long uint32(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        long id = ClientIds.parse(clientId);
        if (id < 0) {
            throw new ExchangeException(
                    VENUE,
                    ExchangeError.REJECTED,
                    "client id '" + clientId + "' is not a uint32 (0..4294967295); not sent");
        }
        return id;
    }

    private static boolean isZero(String decimal) {
        try {
            return decimal == null || Money.parse(decimal).signum() == 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Instant endOf(BackpackDtos.FundingPayment p, String what) {
        return mapped(
                CallKind.READ,
                what,
                () -> BackpackMapper.naiveUtc(p.intervalEndTimestamp(), "funding.intervalEndTimestamp"));
    }

    /** The order's fee from its fills; a failed fee lookup leaves the fee at 0 with a WARN. */
    private Fill withFee(Fill totals) {
        if (totals.filledQty().signum() == 0) {
            return totals;
        }
        BigDecimal fee;
        try {
            List<BackpackDtos.FillItem> fills = collectPages(
                    "fillHistoryQueryAll",
                    "/wapi/v1/history/fills",
                    params("orderId", totals.venueOrderId(), "symbol", totals.symbol()),
                    FILLS_PAGE,
                    FEE_MAX_PAGES,
                    BackpackDtos.FillItem.class,
                    f -> true,
                    f -> false);
            fee = orderFee(fills, totals.venueOrderId(), totals.clientId());
            if (fills.isEmpty()) {
                LOG.warn(
                        "backpack order {} (client id {}) filled {} but shows no fills yet; fee recorded as 0",
                        totals.venueOrderId(),
                        totals.clientId(),
                        totals.filledQty().toPlainString());
            }
        } catch (ExchangeException e) {
            LOG.warn(
                    "backpack fee lookup for order {} (client id {}) failed; fee recorded as 0: {}",
                    totals.venueOrderId(),
                    totals.clientId(),
                    e.getMessage());
            fee = BigDecimal.ZERO;
        }
        return totals.withFee(fee);
    }

    /**
     * Σ of an order's fees in USD. A fee in an asset that cannot be valued in USD is an ERROR in
     * the log and counts as 0: the fill itself (quantity, price) is certain, and failing here would
     * turn an order the venue executed into one whose outcome is unknown and never settles.
     */
    private static BigDecimal orderFee(List<BackpackDtos.FillItem> fills, String orderId, String clientId) {
        try {
            return BackpackMapper.fees(fills);
        } catch (BackpackMapper.UnpricedFee e) {
            LOG.error(
                    "backpack order {} (client id {}): {}; its fee is recorded as 0 USD",
                    orderId,
                    clientId,
                    e.getMessage());
            return BigDecimal.ZERO;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw BackpackErrors.unusable(CallKind.READ, "GET /wapi/v1/history/fills", String.valueOf(e.getMessage()))
                    .toException(VENUE);
        }
    }

    private <T> Optional<T> findInPages(
            String instruction,
            String path,
            Map<String, Object> query,
            int pageSize,
            int maxPages,
            Class<T> type,
            Predicate<T> match) {
        for (int page = 0; page < maxPages; page++) {
            List<T> items = page(instruction, path, query, pageSize, page, type);
            for (T item : items) {
                if (item != null && match.test(item)) {
                    return Optional.of(item);
                }
            }
            if (items.size() < pageSize) {
                break;
            }
        }
        return Optional.empty();
    }

    /**
     * Items matching {@code keep} over pages of {@code pageSize}; stops at a short page, after
     * a page holding an item that satisfies {@code last}, or after {@code maxPages} (WARN).
     */
    private <T> List<T> collectPages(
            String instruction,
            String path,
            Map<String, Object> query,
            int pageSize,
            int maxPages,
            Class<T> type,
            Predicate<T> keep,
            Predicate<T> last) {
        List<T> kept = new ArrayList<>();
        for (int page = 0; page < maxPages; page++) {
            List<T> items = page(instruction, path, query, pageSize, page, type);
            boolean reachedEnd = items.size() < pageSize;
            for (T item : items) {
                if (item == null) {
                    continue;
                }
                if (keep.test(item)) {
                    kept.add(item);
                }
                reachedEnd |= last.test(item);
            }
            if (reachedEnd) {
                return kept;
            }
        }
        LOG.warn("backpack {}: stopped after {} pages of {}", path, maxPages, pageSize);
        return kept;
    }

    private <T> List<T> page(
            String instruction, String path, Map<String, Object> query, int pageSize, int page, Class<T> type) {
        Map<String, Object> q = new LinkedHashMap<>(query);
        q.put("limit", pageSize);
        if (page > 0) {
            q.put("offset", (long) page * pageSize);
        }
        return http.getSigned(instruction, path, q, true)
                .map(n -> http.decodeList(n, type, CallKind.READ, "GET " + path))
                .orElse(List.of());
    }

    /** Runs a mapping step; a missing or malformed field becomes an unusable-reply error. */
    private static <T> T mapped(CallKind kind, String what, Supplier<T> mapping) {
        try {
            return mapping.get();
        } catch (IllegalArgumentException | NullPointerException | ArithmeticException e) {
            throw BackpackErrors.unusable(kind, what, String.valueOf(e.getMessage()))
                    .toException(VENUE);
        }
    }

    private static String required(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " missing");
        }
        return value;
    }

    private static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Override
    public String toString() {
        return "BackpackExchange[" + http + "]";
    }
}
