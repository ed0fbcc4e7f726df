package dev.perptrader.exchange.sim;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.Venue;
import dev.perptrader.domain.VenueFill;
import dev.perptrader.exchange.RestingOrder;
import dev.perptrader.files.PrivateFiles;
import dev.perptrader.store.CachingStatementBuilder;
import dev.perptrader.store.NamedParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.array.SqlArrayTypes;
import org.jdbi.v3.sqlite3.SQLitePlugin;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The simulated venues' SQLite state file (one per mode: sim or paper; {@code sim_meta} says
 * which): tables prefixed {@code sim_}, money as TEXT, times as epoch millis. Paper mode leaves
 * the price tables empty. One connection, used only under {@link SimWorld}'s lock.
 */
final class SimStore implements AutoCloseable {
    static final String SCHEMA_VERSION = "1";
    /** {@code sim_meta} keys. */
    static final String META_SCHEMA = "schema_version";

    static final String META_FEED = "market_feed";
    static final String META_LAST_UPDATE = "last_update";
    static final String META_DRAWS = "draws";
    static final String META_SETTLED_PREFIX = "settled_to.";
    private static final String MARKET = "market";

    private static final List<String> SCHEMA =
            List.of("""
            CREATE TABLE IF NOT EXISTS sim_meta (
                key   TEXT PRIMARY KEY,
                value TEXT NOT NULL)""", """
            CREATE TABLE IF NOT EXISTS sim_mid (
                asset TEXT PRIMARY KEY,
                mid   TEXT NOT NULL)""", """
            CREATE TABLE IF NOT EXISTS sim_venue_market (
                venue        TEXT NOT NULL,
                asset        TEXT NOT NULL,
                basis_bps    TEXT NOT NULL,
                funding_rate TEXT NOT NULL,
                PRIMARY KEY (venue, asset))""", """
            CREATE TABLE IF NOT EXISTS sim_account (
                venue      TEXT PRIMARY KEY,
                balance    TEXT NOT NULL,
                client_seq INTEGER NOT NULL,
                order_seq  INTEGER NOT NULL)""", """
            CREATE TABLE IF NOT EXISTS sim_position (
                venue       TEXT NOT NULL,
                symbol      TEXT NOT NULL,
                qty         TEXT NOT NULL,
                entry_price TEXT NOT NULL,
                PRIMARY KEY (venue, symbol))""", """
            CREATE TABLE IF NOT EXISTS sim_leverage (
                venue    TEXT NOT NULL,
                symbol   TEXT NOT NULL,
                leverage TEXT NOT NULL,
                PRIMARY KEY (venue, symbol))""", """
            CREATE TABLE IF NOT EXISTS sim_order (
                venue          TEXT NOT NULL,
                client_id      TEXT NOT NULL,
                venue_order_id TEXT NOT NULL,
                symbol         TEXT NOT NULL,
                side           TEXT NOT NULL,
                reduce_only    INTEGER NOT NULL,
                requested_qty  TEXT NOT NULL,
                state          TEXT NOT NULL,
                filled_qty     TEXT NOT NULL,
                avg_price      TEXT NOT NULL,
                fee            TEXT NOT NULL,
                realized_pnl   TEXT NOT NULL,
                created_at     INTEGER NOT NULL,
                PRIMARY KEY (venue, client_id))""", """
            CREATE TABLE IF NOT EXISTS sim_funding (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                venue       TEXT NOT NULL,
                symbol      TEXT NOT NULL,
                at          INTEGER NOT NULL,
                qty         TEXT NOT NULL,
                mark_price  TEXT NOT NULL,
                rate        TEXT NOT NULL,
                amount      TEXT NOT NULL)""", """
            CREATE INDEX IF NOT EXISTS sim_funding_by_symbol ON sim_funding (venue, symbol, at)""", """
            CREATE TABLE IF NOT EXISTS sim_resting (
                venue          TEXT NOT NULL,
                client_id      TEXT NOT NULL,
                venue_order_id TEXT NOT NULL,
                symbol         TEXT NOT NULL,
                side           TEXT NOT NULL,
                qty            TEXT NOT NULL,
                price          TEXT NOT NULL,
                post_only      INTEGER NOT NULL,
                reduce_only    INTEGER NOT NULL,
                status         TEXT NOT NULL,
                filled_qty     TEXT NOT NULL,
                avg_price      TEXT NOT NULL,
                fee            TEXT NOT NULL,
                created_at     INTEGER NOT NULL,
                PRIMARY KEY (venue, client_id))""", """
            CREATE INDEX IF NOT EXISTS sim_resting_open ON sim_resting (venue, status)""", """
            CREATE TABLE IF NOT EXISTS sim_resting_fill (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                venue          TEXT NOT NULL,
                client_id      TEXT NOT NULL,
                venue_order_id TEXT NOT NULL,
                symbol         TEXT NOT NULL,
                side           TEXT NOT NULL,
                qty            TEXT NOT NULL,
                price          TEXT NOT NULL,
                fee            TEXT NOT NULL,
                realized_pnl   TEXT NOT NULL,
                maker          INTEGER NOT NULL,
                at             INTEGER NOT NULL)""", """
            CREATE INDEX IF NOT EXISTS sim_resting_fill_by_symbol ON sim_resting_fill (venue, symbol, at)""", """
            CREATE TABLE IF NOT EXISTS sim_liquidation (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                venue        TEXT NOT NULL,
                symbol       TEXT NOT NULL,
                at           INTEGER NOT NULL,
                qty          TEXT NOT NULL,
                price        TEXT NOT NULL,
                realized_pnl TEXT NOT NULL,
                fee          TEXT NOT NULL)""");

    /**
     * The state file name ({@code sim.state_file}) that keeps the state in memory instead, gone
     * when the world closes: SQLite's own name for a private in-memory database. For
     * {@code simulate}, which never restarts from its state.
     */
    static final Path IN_MEMORY = Path.of(":memory:");

    /** How long a statement waits for another process's write to finish. */
    static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final Path file;
    private final Handle handle;
    /**
     * In memory only: the rows of the state tables (meta, mids, venue markets, accounts,
     * positions, leverage), held as values instead of SQL rows. They are read back only when the
     * world is loaded, at open and after a failed write; a simulation never restarts, so writing
     * them through SQL on every market step would be wasted. Market orders and funding payments,
     * which the venues read back, are kept here too, as values with their lookups; limit orders,
     * their fills and liquidations stay in SQL. Null for a file.
     */
    private final StateImage state;

    /** In memory: whether an {@link #inTransaction} body is running (on the world's one thread). */
    private boolean inBody;

    private SimStore(Path file, Handle handle, StateImage state) {
        this.file = file;
        this.handle = handle;
        this.state = state;
    }

    /**
     * Opens (creating if needed) the state file in WAL mode and makes sure the tables exist. A
     * new file is created 0600 (it holds the simulated accounts; SQLite gives -wal and -shm the
     * same permissions). Another process may use the file at the same time (a {@code check}
     * beside a {@code run}): writes wait on a busy timeout, and every transaction takes the write
     * lock when it begins, so a read inside it never has to upgrade a stale snapshot
     * (SQLITE_BUSY_SNAPSHOT). {@link #IN_MEMORY} opens a private database in memory instead (its
     * journal in memory, never synced), on the one connection.
     */
    static SimStore open(Path file) {
        boolean inMemory = file.equals(IN_MEMORY);
        Path abs = inMemory ? file : file.toAbsolutePath();
        if (!inMemory) {
            try {
                PrivateFiles.createIfAbsent(abs);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + abs, e);
            }
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setJournalMode(inMemory ? SQLiteConfig.JournalMode.MEMORY : SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(inMemory ? SQLiteConfig.SynchronousMode.OFF : SQLiteConfig.SynchronousMode.NORMAL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // no row id is ever read back: without this the driver runs a query after every INSERT
        config.setGetGeneratedKeys(false);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + abs);
        Jdbi jdbi = Jdbi.create(ds).installPlugin(new SQLitePlugin());
        // the one handle prepares a statement's SQL once and reuses it until it is closed
        jdbi.setStatementBuilderFactory(CachingStatementBuilder.FACTORY);
        // made once here, copied into every statement, instead of built afresh for each
        jdbi.getConfig(SqlArrayTypes.class);
        NamedParameters.install(jdbi);
        Handle handle = jdbi.open();
        try {
            String mode = handle.createQuery("PRAGMA journal_mode")
                    .mapTo(String.class)
                    .one();
            if (!inMemory && !"wal".equalsIgnoreCase(mode)) {
                throw new IllegalStateException("journal_mode is " + mode + ", not wal: " + abs);
            }
            handle.useTransaction(h -> SCHEMA.forEach(h::execute));
            return new SimStore(abs, handle, inMemory ? new StateImage() : null);
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    void inTransaction(Runnable body) {
        if (state == null) {
            handle.useTransaction(h -> body.run());
            return;
        }
        if (inBody) {
            body.run(); // joins the transaction already under way
            return;
        }
        // most bodies (a market step) change only the state held as values: the SQL transaction
        // begins at the body's first SQL write ({@link #writing}), if it makes one
        state.record();
        inBody = true;
        try {
            body.run();
            if (handle.isInTransaction()) {
                handle.commit();
            }
            state.keep();
        } catch (RuntimeException | Error e) {
            // rolled back with the SQL rows, as a file's state tables would be
            if (handle.isInTransaction()) {
                handle.rollback();
            }
            state.undo();
            throw e;
        } finally {
            inBody = false;
        }
    }

    /**
     * The handle, for a statement that writes a row: in memory, inside {@link #inTransaction},
     * the body's transaction begins here at its first write.
     */
    private Handle writing() {
        if (inBody && !handle.isInTransaction()) {
            handle.begin();
        }
        return handle;
    }

    /** Whether the state is kept in memory ({@link #IN_MEMORY}) rather than in a file. */
    boolean inMemory() {
        return state != null;
    }

    /** In memory only: keeps the market's state as one value (see {@link SimMarket#save}). */
    void keepMarketImage(SimMarket.Image image) {
        requireInMemory();
        state.put(state.market, MARKET, Objects.requireNonNull(image, "image"));
    }

    /** In memory only: the market's state last kept, if any. */
    Optional<SimMarket.Image> marketImage() {
        requireInMemory();
        return Optional.ofNullable(state.market.get(MARKET));
    }

    /**
     * The instant stored under {@code key}: in a file, a meta row in ISO-8601; in memory, the
     * value itself (no text is made of it at every market step).
     */
    Optional<Instant> instant(String key) {
        if (state != null) {
            return Optional.ofNullable(state.instants.get(key));
        }
        return meta(key).map(Instant::parse);
    }

    void putInstant(String key, Instant at) {
        if (state != null) {
            state.put(state.instants, Objects.requireNonNull(key, "key"), Objects.requireNonNull(at, "at"));
            return;
        }
        putMeta(key, at.toString());
    }

    private void requireInMemory() {
        if (state == null) {
            throw new IllegalStateException("a market image is kept in memory only, not in " + file);
        }
    }

    Optional<String> meta(String key) {
        if (state != null) {
            return Optional.ofNullable(state.meta.get(key));
        }
        return handle.createQuery("SELECT value FROM sim_meta WHERE key = :key")
                .bind("key", key)
                .mapTo(String.class)
                .findOne();
    }

    void putMeta(String key, String value) {
        if (state != null) {
            state.put(state.meta, Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return;
        }
        handle.createUpdate("""
                        INSERT INTO sim_meta (key, value) VALUES (:key, :value)
                        ON CONFLICT (key) DO UPDATE SET value = excluded.value""").bind("key", key).bind("value", value).execute();
    }

    /** Loads mids, bases and funding rates into {@code market} (which keeps its clock). */
    void loadMarket(SimMarket market) {
        if (state != null) {
            // as read back from TEXT columns, in the order the rows were first written
            state.mids.forEach((asset, mid) -> market.restoreMid(asset, dec(text(mid))));
            state.venueMarkets.forEach((key, row) -> market.restoreVenue(
                    key.venue(), key.asset(), dec(text(row.basisBps())), dec(text(row.fundingRate()))));
            return;
        }
        handle.createQuery("SELECT asset, mid FROM sim_mid")
                .map((rs, ctx) -> Map.entry(rs.getString("asset"), dec(rs.getString("mid"))))
                .forEach(e -> market.restoreMid(e.getKey(), e.getValue()));
        handle.createQuery("SELECT venue, asset, basis_bps, funding_rate FROM sim_venue_market")
                .map((rs, ctx) -> new VenueMarketRow(
                        Venue.parse(rs.getString("venue")),
                        rs.getString("asset"),
                        dec(rs.getString("basis_bps")),
                        dec(rs.getString("funding_rate"))))
                .forEach(r -> market.restoreVenue(r.venue(), r.asset(), r.basisBps(), r.fundingRate()));
    }

    void saveMarket(SimMarket market, SimCatalog catalog) {
        if (state != null) {
            for (SimCatalog.Asset a : catalog.assets()) {
                state.put(state.mids, a.asset(), market.mid(a.asset()));
                for (Venue v : market.venues()) {
                    state.put(
                            state.venueMarkets,
                            new VenueAsset(v, a.asset()),
                            new VenueMarketRow(
                                    v, a.asset(), market.basisBps(v, a.asset()), market.fundingRate(v, a.asset())));
                }
            }
            return;
        }
        for (SimCatalog.Asset a : catalog.assets()) {
            handle.createUpdate("""
                            INSERT INTO sim_mid (asset, mid) VALUES (:asset, :mid)
                            ON CONFLICT (asset) DO UPDATE SET mid = excluded.mid""")
                    .bind("asset", a.asset())
                    .bind("mid", text(market.mid(a.asset())))
                    .execute();
            for (Venue v : market.venues()) {
                handle.createUpdate("""
                                INSERT INTO sim_venue_market (venue, asset, basis_bps,
                                    funding_rate)
                                VALUES (:venue, :asset, :basis, :rate)
                                ON CONFLICT (venue, asset) DO UPDATE
                                SET basis_bps = excluded.basis_bps,
                                    funding_rate = excluded.funding_rate""")
                        .bind("venue", v.name())
                        .bind("asset", a.asset())
                        .bind("basis", text(market.basisBps(v, a.asset())))
                        .bind("rate", text(market.fundingRate(v, a.asset())))
                        .execute();
            }
        }
    }

    /** The stored account of {@code venue} with its positions and leverage, if any. */
    Optional<SimAccount> loadAccount(Venue venue) {
        if (state != null) {
            return Optional.ofNullable(state.accounts.get(venue)).map(row -> {
                SimAccount a =
                        new SimAccount(venue, SimBook.of(dec(text(row.balance()))), row.clientSeq(), row.orderSeq());
                TreeMap<String, SimPosition> positions = new TreeMap<>();
                for (SimPosition p : state.positions.getOrDefault(venue, List.of())) {
                    positions.put(
                            p.symbol(), new SimPosition(p.symbol(), dec(text(p.qty())), dec(text(p.entryPrice()))));
                }
                a.book(new SimBook(a.book().balance(), positions));
                state.leverage
                        .getOrDefault(venue, Map.of())
                        .forEach((symbol, lev) -> a.leverage(symbol, dec(text(lev))));
                return a;
            });
        }
        Optional<SimAccount> account = handle.createQuery("""
                        SELECT balance, client_seq, order_seq FROM sim_account
                        WHERE venue = :venue""")
                .bind("venue", venue.name())
                .map((rs, ctx) -> new SimAccount(
                        venue,
                        SimBook.of(dec(rs.getString("balance"))),
                        rs.getLong("client_seq"),
                        rs.getLong("order_seq")))
                .findOne();
        account.ifPresent(a -> {
            TreeMap<String, SimPosition> positions = new TreeMap<>();
            handle.createQuery("""
                            SELECT symbol, qty, entry_price FROM sim_position
                            WHERE venue = :venue""")
                    .bind("venue", venue.name())
                    .map((rs, ctx) -> new SimPosition(
                            rs.getString("symbol"), dec(rs.getString("qty")), dec(rs.getString("entry_price"))))
                    .forEach(p -> positions.put(p.symbol(), p));
            a.book(new SimBook(a.book().balance(), positions));
            handle.createQuery("SELECT symbol, leverage FROM sim_leverage WHERE venue = :venue")
                    .bind("venue", venue.name())
                    .map((rs, ctx) -> Map.entry(rs.getString("symbol"), dec(rs.getString("leverage"))))
                    .forEach(e -> a.leverage(e.getKey(), e.getValue()));
        });
        return account;
    }

    /** Writes balance, counters and the full set of positions of one account. */
    void saveAccount(SimAccount account) {
        if (state != null) {
            state.put(
                    state.accounts,
                    account.venue(),
                    new AccountRow(account.book().balance(), account.clientSeq(), account.orderSeq()));
            state.put(
                    state.positions,
                    account.venue(),
                    List.copyOf(account.book().positions().values()));
            return;
        }
        String venue = account.venue().name();
        handle.createUpdate("""
                        INSERT INTO sim_account (venue, balance, client_seq, order_seq)
                        VALUES (:venue, :balance, :clientSeq, :orderSeq)
                        ON CONFLICT (venue) DO UPDATE SET balance = excluded.balance,
                            client_seq = excluded.client_seq, order_seq = excluded.order_seq""")
                .bind("venue", venue)
                .bind("balance", text(account.book().balance()))
                .bind("clientSeq", account.clientSeq())
                .bind("orderSeq", account.orderSeq())
                .execute();
        handle.createUpdate("DELETE FROM sim_position WHERE venue = :venue")
                .bind("venue", venue)
                .execute();
        for (SimPosition p : account.book().positions().values()) {
            handle.createUpdate("""
                            INSERT INTO sim_position (venue, symbol, qty, entry_price)
                            VALUES (:venue, :symbol, :qty, :entry)""")
                    .bind("venue", venue)
                    .bind("symbol", p.symbol())
                    .bind("qty", text(p.qty()))
                    .bind("entry", text(p.entryPrice()))
                    .execute();
        }
    }

    void saveLeverage(Venue venue, String symbol, BigDecimal leverage) {
        if (state != null) {
            state.put(
                    state.leverage.computeIfAbsent(venue, v -> new LinkedHashMap<>()),
                    Objects.requireNonNull(symbol, "symbol"),
                    Objects.requireNonNull(leverage, "leverage"));
            return;
        }
        handle.createUpdate("""
                        INSERT INTO sim_leverage (venue, symbol, leverage)
                        VALUES (:venue, :symbol, :lev)
                        ON CONFLICT (venue, symbol) DO UPDATE SET leverage = excluded.leverage""")
                .bind("venue", venue.name())
                .bind("symbol", symbol)
                .bind("lev", text(leverage))
                .execute();
    }

    Optional<Fill> findOrder(Venue venue, String clientId) {
        if (state != null) {
            return Optional.ofNullable(state.orders.get(new VenueClient(venue, clientId)))
                    .map(KeptOrder::fill);
        }
        return handle.createQuery("""
                        SELECT client_id, venue_order_id, symbol, side, state, filled_qty,
                            avg_price, fee
                        FROM sim_order WHERE venue = :venue AND client_id = :id""")
                .bind("venue", venue.name())
                .bind("id", clientId)
                .map((rs, ctx) -> new Fill(
                        rs.getString("client_id"),
                        rs.getString("venue_order_id"),
                        rs.getString("symbol"),
                        OrderSide.valueOf(rs.getString("side")),
                        OrderState.valueOf(rs.getString("state")),
                        dec(rs.getString("filled_qty")),
                        dec(rs.getString("avg_price")),
                        dec(rs.getString("fee"))))
                .findOne();
    }

    void insertOrder(
            Venue venue, Fill fill, boolean reduceOnly, BigDecimal requestedQty, BigDecimal realizedPnl, Instant at) {
        if (state != null) {
            // the values as the row gives them back (stored as plain text); the order's fields
            // that only a file's row holds (reduce-only, requested quantity, realized PnL) are
            // never read back
            KeptOrder kept = new KeptOrder(
                    new Fill(
                            fill.clientId(),
                            fill.venueOrderId(),
                            fill.symbol(),
                            fill.side(),
                            fill.state(),
                            dec(text(fill.filledQty())),
                            dec(text(fill.avgPrice())),
                            dec(text(fill.fee()))),
                    at.toEpochMilli());
            VenueClient key = new VenueClient(venue, fill.clientId());
            if (state.orders.containsKey(key)) {
                // as the table's UNIQUE (venue, client_id) refuses it
                throw new IllegalStateException("client id " + fill.clientId() + " already used on " + venue);
            }
            state.put(state.orders, key, kept);
            state.append(
                    state.ordersBySymbol.computeIfAbsent(new VenueSymbol(venue, fill.symbol()), k -> new ArrayList<>()),
                    kept);
            return;
        }
        writing()
                .createUpdate("""
                        INSERT INTO sim_order (venue, client_id, venue_order_id, symbol, side,
                            reduce_only, requested_qty, state, filled_qty, avg_price, fee,
                            realized_pnl, created_at)
                        VALUES (:venue, :clientId, :venueOrderId, :symbol, :side, :reduceOnly,
                            :requestedQty, :state, :filledQty, :avgPrice, :fee, :realized, :at)""")
                .bind("venue", venue.name())
                .bind("clientId", fill.clientId())
                .bind("venueOrderId", fill.venueOrderId())
                .bind("symbol", fill.symbol())
                .bind("side", fill.side().name())
                .bind("reduceOnly", reduceOnly ? 1 : 0)
                .bind("requestedQty", text(requestedQty))
                .bind("state", fill.state().name())
                .bind("filledQty", text(fill.filledQty()))
                .bind("avgPrice", text(fill.avgPrice()))
                .bind("fee", text(fill.fee()))
                .bind("realized", text(realizedPnl))
                .bind("at", at.toEpochMilli())
                .execute();
    }

    /**
     * Whether an order with this client id, market or limit, was ever accepted on {@code venue}:
     * one statement, asked before every order.
     */
    boolean clientIdUsed(Venue venue, String clientId) {
        if (state != null) {
            VenueClient key = new VenueClient(venue, clientId);
            return state.orders.containsKey(key) || state.restingIds.containsKey(key);
        }
        return handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM sim_order WHERE venue = :venue AND client_id = :id)
                            OR EXISTS (SELECT 1 FROM sim_resting WHERE venue = :venue AND client_id = :id)""")
                .bind("venue", venue.name())
                .bind("id", clientId)
                .mapTo(Boolean.class)
                .one();
    }

    /** Inserts or updates one limit order. */
    void saveResting(Venue venue, SimResting o) {
        if (state != null) {
            state.put(state.restingIds, new VenueClient(venue, o.clientId()), Boolean.TRUE);
        }
        writing()
                .createUpdate("""
                        INSERT INTO sim_resting (venue, client_id, venue_order_id, symbol, side, qty,
                            price, post_only, reduce_only, status, filled_qty, avg_price, fee, created_at)
                        VALUES (:venue, :clientId, :venueOrderId, :symbol, :side, :qty, :price,
                            :postOnly, :reduceOnly, :status, :filledQty, :avgPrice, :fee, :at)
                        ON CONFLICT (venue, client_id) DO UPDATE SET status = excluded.status,
                            filled_qty = excluded.filled_qty, avg_price = excluded.avg_price,
                            fee = excluded.fee""")
                .bind("venue", venue.name())
                .bind("clientId", o.clientId())
                .bind("venueOrderId", o.venueOrderId())
                .bind("symbol", o.symbol())
                .bind("side", o.side().name())
                .bind("qty", text(o.qty()))
                .bind("price", text(o.price()))
                .bind("postOnly", o.postOnly() ? 1 : 0)
                .bind("reduceOnly", o.reduceOnly() ? 1 : 0)
                .bind("status", o.status().name())
                .bind("filledQty", text(o.filledQty()))
                .bind("avgPrice", text(o.avgPrice()))
                .bind("fee", text(o.fee()))
                .bind("at", o.createdAt().toEpochMilli())
                .execute();
    }

    /** The limit order with this client id, resting or ended. */
    Optional<SimResting> findResting(Venue venue, String clientId) {
        return handle.createQuery("SELECT * FROM sim_resting WHERE venue = :venue AND client_id = :id")
                .bind("venue", venue.name())
                .bind("id", clientId)
                .map((rs, ctx) -> resting(rs))
                .findOne();
    }

    /** The venue's limit orders still on the book, oldest first. */
    List<SimResting> openResting(Venue venue) {
        return handle.createQuery("""
                        SELECT * FROM sim_resting WHERE venue = :venue AND status = 'OPEN'
                        ORDER BY created_at, rowid""")
                .bind("venue", venue.name())
                .map((rs, ctx) -> resting(rs))
                .list();
    }

    private static SimResting resting(ResultSet rs) throws SQLException {
        return new SimResting(
                rs.getString("client_id"),
                rs.getString("venue_order_id"),
                rs.getString("symbol"),
                OrderSide.valueOf(rs.getString("side")),
                dec(rs.getString("qty")),
                dec(rs.getString("price")),
                rs.getInt("post_only") != 0,
                rs.getInt("reduce_only") != 0,
                RestingOrder.Status.valueOf(rs.getString("status")),
                dec(rs.getString("filled_qty")),
                dec(rs.getString("avg_price")),
                dec(rs.getString("fee")),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    /** One fill of a limit order ({@code maker}: it rested; otherwise it crossed when placed). */
    void insertRestingFill(
            Venue venue,
            SimResting order,
            BigDecimal qty,
            BigDecimal price,
            BigDecimal fee,
            BigDecimal realizedPnl,
            boolean maker,
            Instant at) {
        writing()
                .createUpdate("""
                        INSERT INTO sim_resting_fill (venue, client_id, venue_order_id, symbol, side, qty,
                            price, fee, realized_pnl, maker, at)
                        VALUES (:venue, :clientId, :venueOrderId, :symbol, :side, :qty, :price, :fee,
                            :realized, :maker, :at)""")
                .bind("venue", venue.name())
                .bind("clientId", order.clientId())
                .bind("venueOrderId", order.venueOrderId())
                .bind("symbol", order.symbol())
                .bind("side", order.side().name())
                .bind("qty", text(qty))
                .bind("price", text(price))
                .bind("fee", text(fee))
                .bind("realized", text(realizedPnl))
                .bind("maker", maker ? 1 : 0)
                .bind("at", at.toEpochMilli())
                .execute();
    }

    /**
     * Records a funding payment. In memory it is kept with the state (undone with it) rather than
     * written as a row: a year's payments are a few thousand, each a write that began an SQL
     * transaction in a market step that would otherwise make none; only its amount is read back.
     */
    void insertFunding(
            Venue venue,
            String symbol,
            Instant at,
            BigDecimal qty,
            BigDecimal mark,
            BigDecimal rate,
            BigDecimal amount) {
        if (state != null) {
            // the amount as its row gives it back (stored as plain text)
            state.append(
                    state.funding.computeIfAbsent(new VenueSymbol(venue, symbol), k -> new ArrayList<>()),
                    new FundingPaid(at.toEpochMilli(), dec(text(amount))));
            return;
        }
        writing()
                .createUpdate("""
                        INSERT INTO sim_funding (venue, symbol, at, qty, mark_price, rate, amount)
                        VALUES (:venue, :symbol, :at, :qty, :mark, :rate, :amount)""")
                .bind("venue", venue.name())
                .bind("symbol", symbol)
                .bind("at", at.toEpochMilli())
                .bind("qty", text(qty))
                .bind("mark", text(mark))
                .bind("rate", text(rate))
                .bind("amount", text(amount))
                .execute();
    }

    /** Funding amounts of payments with {@code from < at <= to}, in time order. */
    List<BigDecimal> fundingAmounts(Venue venue, String symbol, Instant from, Instant to) {
        if (state != null) {
            long after = from.toEpochMilli();
            long until = to.toEpochMilli();
            List<FundingPaid> paid = new ArrayList<>();
            for (FundingPaid p : state.funding.getOrDefault(new VenueSymbol(venue, symbol), List.of())) {
                if (p.at() > after && p.at() <= until) {
                    paid.add(p);
                }
            }
            paid.sort(Comparator.comparingLong(FundingPaid::at)); // stable: as the index gives them
            return paid.stream().map(FundingPaid::amount).toList();
        }
        return handle.createQuery("""
                        SELECT amount FROM sim_funding
                        WHERE venue = :venue AND symbol = :symbol AND at > :from AND at <= :to""")
                .bind("venue", venue.name())
                .bind("symbol", symbol)
                .bind("from", from.toEpochMilli())
                .bind("to", to.toEpochMilli())
                .map((rs, ctx) -> dec(rs.getString("amount")))
                .list();
    }

    void insertLiquidation(
            Venue venue, SimPosition position, Instant at, BigDecimal price, BigDecimal realizedPnl, BigDecimal fee) {
        writing()
                .createUpdate("""
                        INSERT INTO sim_liquidation (venue, symbol, at, qty, price, realized_pnl,
                            fee)
                        VALUES (:venue, :symbol, :at, :qty, :price, :pnl, :fee)""")
                .bind("venue", venue.name())
                .bind("symbol", position.symbol())
                .bind("at", at.toEpochMilli())
                .bind("qty", text(position.qty()))
                .bind("price", text(price))
                .bind("pnl", text(realizedPnl))
                .bind("fee", text(fee))
                .execute();
    }

    /**
     * The venue's fill history on {@code symbol} at or after {@code since}, oldest first: its
     * executed orders (nothing filled: left out) and its liquidations, which carry no client id,
     * a venue order id {@code "liquidation-<n>"}, the side that closed the position, and the
     * liquidation fee; and every fill of a limit order, one row per fill. At
     * the same millisecond market orders come first, then limit-order fills, then liquidations (a
     * liquidation closes a position an order built), each in the order it was stored.
     */
    List<VenueFill> fillsSince(Venue venue, String symbol, Instant since) {
        record Row(VenueFill fill, int kind, long seq) {}
        List<Row> rows = new ArrayList<>();
        if (state != null) {
            List<KeptOrder> kept = state.ordersBySymbol.getOrDefault(new VenueSymbol(venue, symbol), List.of());
            for (int i = 0; i < kept.size(); i++) {
                KeptOrder o = kept.get(i);
                if (o.at() >= since.toEpochMilli() && o.fill().filledQty().signum() != 0) {
                    Fill f = o.fill();
                    rows.add(new Row(
                            new VenueFill(
                                    f.venueOrderId(),
                                    f.clientId(),
                                    symbol,
                                    f.side(),
                                    f.filledQty(),
                                    f.avgPrice(),
                                    f.fee(),
                                    Instant.ofEpochMilli(o.at()),
                                    false),
                            0,
                            i)); // in the order accepted, as the table's rowid
                }
            }
        }
        if (state == null) {
            handle
                    .createQuery("""
                        SELECT rowid AS seq, client_id, venue_order_id, side, filled_qty, avg_price, fee,
                            created_at
                        FROM sim_order
                        WHERE venue = :venue AND symbol = :symbol AND created_at >= :since""")
                    .bind("venue", venue.name())
                    .bind("symbol", symbol)
                    .bind("since", since.toEpochMilli())
                    .map((rs, ctx) -> {
                        BigDecimal qty = dec(rs.getString("filled_qty"));
                        return qty.signum() == 0
                                ? null
                                : new Row(
                                        new VenueFill(
                                                rs.getString("venue_order_id"),
                                                rs.getString("client_id"),
                                                symbol,
                                                OrderSide.valueOf(rs.getString("side")),
                                                qty,
                                                dec(rs.getString("avg_price")),
                                                dec(rs.getString("fee")),
                                                Instant.ofEpochMilli(rs.getLong("created_at")),
                                                false),
                                        0,
                                        rs.getLong("seq"));
                    })
                    .list()
                    .stream()
                    .filter(Objects::nonNull)
                    .forEach(rows::add);
        }
        handle.createQuery("""
                        SELECT id, client_id, venue_order_id, side, qty, price, fee, at
                        FROM sim_resting_fill
                        WHERE venue = :venue AND symbol = :symbol AND at >= :since""")
                .bind("venue", venue.name())
                .bind("symbol", symbol)
                .bind("since", since.toEpochMilli())
                .map((rs, ctx) -> new Row(
                        new VenueFill(
                                rs.getString("venue_order_id"),
                                rs.getString("client_id"),
                                symbol,
                                OrderSide.valueOf(rs.getString("side")),
                                dec(rs.getString("qty")),
                                dec(rs.getString("price")),
                                dec(rs.getString("fee")),
                                Instant.ofEpochMilli(rs.getLong("at")),
                                false),
                        1,
                        rs.getLong("id")))
                .forEach(rows::add);
        handle.createQuery("""
                        SELECT id, at, qty, price, fee FROM sim_liquidation
                        WHERE venue = :venue AND symbol = :symbol AND at >= :since""")
                .bind("venue", venue.name())
                .bind("symbol", symbol)
                .bind("since", since.toEpochMilli())
                .map((rs, ctx) -> {
                    BigDecimal signed = dec(rs.getString("qty"));
                    return new Row(
                            new VenueFill(
                                    "liquidation-" + rs.getLong("id"),
                                    null,
                                    symbol,
                                    signed.signum() > 0 ? OrderSide.SELL : OrderSide.BUY,
                                    signed.abs(),
                                    dec(rs.getString("price")),
                                    dec(rs.getString("fee")),
                                    Instant.ofEpochMilli(rs.getLong("at")),
                                    true),
                            2,
                            rs.getLong("id"));
                })
                .forEach(rows::add);
        rows.sort(Comparator.comparing((Row r) -> r.fill().at())
                .thenComparingInt(Row::kind)
                .thenComparingLong(Row::seq));
        return rows.stream().map(Row::fill).toList();
    }

    @Override
    public void close() {
        handle.close();
    }

    private record VenueMarketRow(Venue venue, String asset, BigDecimal basisBps, BigDecimal fundingRate) {}

    private record VenueAsset(Venue venue, String asset) {}

    private record AccountRow(BigDecimal balance, long clientSeq, long orderSeq) {}

    private record VenueSymbol(Venue venue, String symbol) {}

    private record VenueClient(Venue venue, String clientId) {}

    /** A market order kept in memory: what it filled, as its row gives it back, and when it was accepted. */
    private record KeptOrder(Fill fill, long at) {}

    /** A funding payment kept in memory: when, and its amount. */
    private record FundingPaid(long at, BigDecimal amount) {}

    /** The state tables' rows of a store in memory (see {@link #state}); every value is immutable. */
    private static final class StateImage {
        final Map<String, String> meta = new LinkedHashMap<>();
        final Map<String, Instant> instants = new LinkedHashMap<>();
        /** The market's state under {@link #MARKET}, its one key: a map so a put of it is undone like any other. */
        final Map<String, SimMarket.Image> market = new HashMap<>();

        final Map<String, BigDecimal> mids = new LinkedHashMap<>();
        final Map<VenueAsset, VenueMarketRow> venueMarkets = new LinkedHashMap<>();
        final Map<Venue, AccountRow> accounts = new TreeMap<>();
        final Map<Venue, List<SimPosition>> positions = new TreeMap<>();
        final Map<Venue, Map<String, BigDecimal>> leverage = new TreeMap<>();
        /** Market orders by venue and client id (see {@link #insertOrder}). */
        final Map<VenueClient, KeptOrder> orders = new HashMap<>();
        /** The same orders by venue and symbol, in the order accepted. */
        final Map<VenueSymbol, List<KeptOrder>> ordersBySymbol = new HashMap<>();
        /** The client ids of the limit orders saved; their rows stay in SQL (see {@link #saveResting}). */
        final Map<VenueClient, Boolean> restingIds = new HashMap<>();
        /** Funding payments by venue and symbol, in the order paid (see {@link #insertFunding}). */
        final Map<VenueSymbol, List<FundingPaid>> funding = new HashMap<>();

        /** Undoes the puts since {@link #record}, newest first; empty when not recording. */
        private final ArrayDeque<Runnable> undo = new ArrayDeque<>();

        private boolean recording;

        /** Every put from now is remembered, to be undone by {@link #undo} or kept by {@link #keep}. */
        void record() {
            undo.clear();
            recording = true;
        }

        void keep() {
            undo.clear();
            recording = false;
        }

        /** Puts back what every put since {@link #record} replaced or removes what it added. */
        void undo() {
            while (!undo.isEmpty()) {
                undo.pop().run();
            }
            recording = false;
        }

        /** Adds {@code value} at the end of {@code list}; undone by taking it off again. */
        <T> void append(List<T> list, T value) {
            if (recording) {
                undo.push(() -> list.remove(list.size() - 1));
            }
            list.add(value);
        }

        <K, V> void put(Map<K, V> map, K key, V value) {
            if (recording) {
                boolean had = map.containsKey(key);
                V old = map.get(key);
                undo.push(() -> {
                    if (had) {
                        map.put(key, old);
                    } else {
                        map.remove(key);
                    }
                });
            }
            map.put(key, value);
        }
    }

    private static String text(BigDecimal v) {
        return v.toPlainString();
    }

    private static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }
}
