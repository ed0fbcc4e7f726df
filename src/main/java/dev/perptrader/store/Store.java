package dev.perptrader.store;

import dev.perptrader.domain.Fill;
import dev.perptrader.domain.HedgePair;
import dev.perptrader.domain.Leg;
import dev.perptrader.domain.LegStatus;
import dev.perptrader.domain.Mode;
import dev.perptrader.domain.OrderPurpose;
import dev.perptrader.domain.OrderRecord;
import dev.perptrader.domain.OrderSide;
import dev.perptrader.domain.OrderState;
import dev.perptrader.domain.OrderStatus;
import dev.perptrader.domain.PairMark;
import dev.perptrader.domain.PairResult;
import dev.perptrader.domain.PairSnapshot;
import dev.perptrader.domain.PairStatus;
import dev.perptrader.domain.Side;
import dev.perptrader.domain.Venue;
import dev.perptrader.domain.VenueRatio;
import dev.perptrader.files.PrivateFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.array.SqlArrayTypes;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;
import org.jdbi.v3.sqlite3.SQLitePlugin;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteException;

/**
 * The bot's memory: pairs, legs, orders, alerts and monitor marks in SQLite. Every write that
 * announces an action is committed before the action happens; multi-row writes are one
 * transaction. Money goes in and out as exact decimal text.
 */
public final class Store implements AutoCloseable {
    private static final String MODE_KEY = "mode";

    /**
     * Connections kept open: the loop thread, the two legs' threads and one reader (health,
     * metrics) each find one ready; more are opened when needed and closed after use.
     */
    private static final int KEEP_OPEN = 4;

    /** Null for a book in memory, which keeps a handle per thread instead. */
    private final ReusedConnections connections;

    private final Jdbi jdbi;
    private final Path file;
    /** The handle of a {@link #batch} running on this thread. */
    private final ThreadLocal<Handle> bound = new ThreadLocal<>();

    private final StoreTiming timing = new StoreTiming();
    /**
     * Held by every write of this process, so its writers queue here and are woken the moment
     * the lock is free. Left to SQLite, a writer that finds the file locked sleeps in its busy
     * handler (1, 2, 5, 10 ms and so on) even when the other write ends within a millisecond:
     * a rollback recorded while a fill's price is written would wait that long before it is sent.
     * The busy timeout still covers another process's writes.
     */
    private final ReentrantLock writes = new ReentrantLock();

    /** For a book in memory: a connection held open so the database lives until {@link #close}. */
    private final Connection anchor;
    /**
     * For a book in memory: each thread's own handle, opened at its first call and kept until
     * {@link #close} (or until a call fails), so a call costs no handle and no connection.
     */
    private final ThreadLocal<Handle> kept;

    private final Set<Handle> keptHandles = ConcurrentHashMap.newKeySet();

    /** For a book in memory: the frequent reads, kept until the next write; null for a file. */
    private final ReadMemo memo;

    /** For a book in memory: the monitor's per-tick writes, held (see {@link TickWrites}); null for a file. */
    private final TickWrites held;

    /**
     * For a book in memory: the pairs, legs and orders tables, written and read in memory (see
     * {@link BookRows}) and put into the database's tables before SQL reads them; null for a file.
     */
    private final BookRows rows;

    /** For a book in memory: the mode its meta table records, once claimed. */
    private volatile String claimedMode;

    /** For a book in memory: whether marks rows went in unthinned, so the thinning must delete again. */
    private volatile boolean marksUnthinned;

    /**
     * For a book in memory: no row in the marks table is later than this (none: Long.MIN_VALUE),
     * so a read of the rows after a later instant need not ask the table.
     */
    private volatile long marksTableUntil = Long.MIN_VALUE;

    /** A book in a file: connections from a {@link ReusedConnections}, a handle per call. */
    private Store(DataSource source, Path file) {
        this.connections = new ReusedConnections(source, KEEP_OPEN);
        this.jdbi = configure(Jdbi.create(connections));
        this.file = file;
        this.anchor = null;
        this.kept = null;
        this.memo = null;
        this.held = null;
        this.rows = null;
    }

    /** A book in memory, alive while {@code anchor} is open: a handle (and connection) per thread. */
    private Store(SQLiteDataSource source, Path file, Connection anchor) {
        this.connections = null;
        this.jdbi = configure(Jdbi.create(source));
        this.file = file;
        this.anchor = anchor;
        this.kept = new ThreadLocal<>();
        this.memo = new ReadMemo();
        this.held = new TickWrites();
        this.rows = new BookRows();
    }

    private static Jdbi configure(Jdbi jdbi) {
        jdbi.installPlugin(new SQLitePlugin());
        // a connection prepares a statement's SQL once and reuses it
        jdbi.setStatementBuilderFactory(CachingStatementBuilder.FACTORY);
        // made once here, copied into every handle and statement, instead of built afresh for each
        jdbi.getConfig(SqlArrayTypes.class);
        NamedParameters.install(jdbi);
        return jdbi;
    }

    /**
     * Opens (creating and migrating as needed) the database at {@code file}. A file SQLite cannot
     * open or migrate throws {@link UnusableDatabase}.
     */
    public static Store open(Path file) {
        Database.openMigrated(file, "/perp_trader.db.schema.sql", Database.MIGRATIONS);
        return new Store(Database.dataSource(file), file);
    }

    /**
     * A new, empty book in the normal schema held in memory only, gone when it is closed (for
     * {@code simulate}: no file, no journal, no sync); {@link #saveTo} writes it out as a file.
     * Unlike a file's WAL, a read on one thread waits while another thread's write transaction is
     * open.
     */
    public static Store openInMemory() {
        Path name = Path.of(":memory:");
        SQLiteDataSource source = Database.memoryDataSource();
        Connection anchor;
        try {
            anchor = source.getConnection();
        } catch (SQLException e) {
            throw new StoreException("cannot open a database in memory: " + e.getMessage());
        }
        try {
            Database.migrate(source, name, "/perp_trader.db.schema.sql", Database.MIGRATIONS);
            return new Store(source, name, anchor);
        } catch (RuntimeException e) {
            closeQuietly(anchor);
            throw e;
        }
    }

    /**
     * Writes the whole database, as it is now, to the new file {@code out} (created 0600; it must
     * not exist, or be empty), in WAL mode like every book: a normal database in the normal schema
     * that {@link #open} and {@link #openForReading} read. For a book held in memory.
     */
    public void saveTo(Path out) {
        if (anchor == null) {
            throw new IllegalStateException("saveTo is for a book in memory; " + file + " is a file already");
        }
        writeHeldMarks();
        writeHeld();
        writeRows();
        Path abs = out.toAbsolutePath();
        try {
            if (Files.isRegularFile(abs) && Files.size(abs) > 0) {
                throw new StoreException("cannot write the book to " + abs + ": it exists (name a new file)");
            }
            PrivateFiles.createIfAbsent(abs);
        } catch (IOException e) {
            throw UnusableDatabase.of(abs, abs, e);
        }
        try {
            // SQLite's online backup, on the connection that runs no statements of its own
            anchor.unwrap(SQLiteConnection.class).getDatabase().backup("main", abs.toString(), null);
        } catch (SQLiteException e) {
            throw UnusableDatabase.of(abs, e);
        } catch (SQLException e) {
            throw new StoreException("cannot write " + abs + ": " + e.getMessage());
        }
        try {
            // the copy has the memory's journal mode: a book on disk is in WAL mode
            Database.connect(abs).useHandle(h -> h.execute("PRAGMA journal_mode = WAL"));
        } catch (RuntimeException e) {
            throw Database.unusable(abs, e);
        }
    }

    /**
     * Opens {@code file} for a command that only reads ({@code status}, {@code history},
     * {@code alerts}): a read-only connection beside a running bot; every write method fails.
     */
    public static Store openForReading(Path file) {
        return new Store(Database.readOnlyDataSource(file, "/perp_trader.db.schema.sql", Database.MIGRATIONS), file);
    }

    public Path file() {
        return file;
    }

    /**
     * Runs {@code body} in one transaction: every Store call it makes on this thread joins it,
     * so a tick's writes cost one commit. {@code body} must not wait on the network (the
     * transaction holds the write lock). Nested batches join the outer one. A book in memory holds
     * the tick's writes instead (see {@link TickWrites}) and writes them later in one
     * transaction: there the body's calls simply run.
     */
    public void batch(Runnable body) {
        if (bound.get() != null || held != null) {
            body.run();
            return;
        }
        ownTransaction(h -> {
            bound.set(h);
            try {
                body.run();
            } finally {
                bound.remove();
            }
        });
    }

    /** Runs {@code body} in a transaction of its own, under the write lock. */
    private void ownTransaction(HandleConsumer<RuntimeException> body) {
        lockWrites();
        long start = timing.enter();
        boolean committed = false;
        try {
            onHandle(x -> {
                x.useTransaction(body);
                return null;
            });
            committed = true;
        } finally {
            timing.exit(start);
            unlockWrites(committed);
        }
    }

    /**
     * Time spent in the database since this Store was opened: the wall time of every outermost
     * call into SQLite (a {@link #batch} counts once, with its commit), summed over all threads.
     */
    public DbTime dbTime() {
        return timing.totals();
    }

    /** Nanoseconds spent inside the database and how many calls took them; see {@link #dbTime()}. */
    public record DbTime(long nanos, long calls) {
        /** What was spent after {@code earlier} was read. */
        public DbTime since(DbTime earlier) {
            return new DbTime(nanos - earlier.nanos, calls - earlier.calls);
        }
    }

    /** A read: what a book in memory holds is written first (see {@link TickWrites}, {@link BookRows}). */
    private <R> R with(HandleCallback<R, RuntimeException> callback) {
        writeHeld();
        writeRows();
        return readNow(callback);
    }

    private <R> R readNow(HandleCallback<R, RuntimeException> callback) {
        long start = timing.enter();
        try {
            Handle h = bound.get();
            return h != null ? callback.withHandle(h) : onHandle(callback);
        } finally {
            timing.exit(start);
        }
    }

    private void use(HandleConsumer<RuntimeException> consumer) {
        writeHeld();
        writeRows();
        useNow(consumer);
    }

    private void useNow(HandleConsumer<RuntimeException> consumer) {
        long start = timing.enter();
        try {
            Handle h = bound.get();
            if (h != null) {
                consumer.useHandle(h);
            } else {
                onHandle(x -> {
                    consumer.useHandle(x);
                    return null;
                });
            }
        } finally {
            timing.exit(start);
        }
    }

    /**
     * Runs {@code callback} on a handle of its own: a new one, closed after (a book in a file), or
     * this thread's kept one (a book in memory), which a failure closes, its transaction rolled
     * back, so the next call starts afresh as with a new handle.
     */
    private <R> R onHandle(HandleCallback<R, RuntimeException> callback) {
        if (kept == null) {
            return jdbi.withHandle(callback);
        }
        Handle h = kept.get();
        if (h == null) {
            h = jdbi.open();
            kept.set(h);
            keptHandles.add(h);
        }
        try {
            return callback.withHandle(h);
        } catch (RuntimeException | Error e) {
            kept.remove();
            keptHandles.remove(h);
            try {
                if (h.isInTransaction()) {
                    h.rollback();
                }
                h.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** A write outside a transaction of its own: one statement, under the write lock. */
    private <R> R write(HandleCallback<R, RuntimeException> callback) {
        writeHeld();
        writeRows();
        lockWrites();
        boolean committed = false;
        try {
            R r = readNow(callback);
            committed = true;
            return r;
        } finally {
            unlockWrites(committed);
        }
    }

    private void writeUse(HandleConsumer<RuntimeException> consumer) {
        writeHeld();
        writeRows();
        lockWrites();
        boolean committed = false;
        try {
            useNow(consumer);
            committed = true;
        } finally {
            unlockWrites(committed);
        }
    }

    /**
     * For a book in memory: a write of pairs, legs or orders, done on its rows ({@link BookRows})
     * under the write lock. The rows {@code body} hands over are the book's once it returns, and
     * forgotten if it throws, as a transaction's. The leg marks held before it are written first,
     * in a write of their own, as {@link #writeHeld} writes them before a statement.
     */
    private <R> R rowsWrite(Supplier<R> body) {
        // the memo keeps no read of these tables: it need not forget
        writes.lock();
        boolean committed = false;
        try {
            if (writes.getHoldCount() == 1 && held.holdsLegMarks()) {
                held.takeLegMarks().forEach(this::legMarkRow);
                rows.commit();
            }
            R r = body.get();
            committed = true;
            return r;
        } finally {
            endRows(committed);
            writes.unlock();
        }
    }

    /**
     * A write ends, the write lock still held: a book in memory's rows take what the outermost
     * write handed over if it went in ({@code committed}) and forget it if not.
     */
    private void endRows(boolean committed) {
        if (rows == null || writes.getHoldCount() != 1) {
            return;
        }
        if (committed) {
            rows.commit();
        } else {
            rows.abort();
        }
    }

    /** A held leg mark written to its row, as {@link #writeLegMark} writes it to the table. */
    private void legMarkRow(long legId, TickWrites.LegMark m) {
        BookRows.LegRow was = rows.txLegRow(legId);
        if (was == null) {
            return; // as the UPDATE of no row
        }
        rows.wroteLeg(new BookRows.LegRow(
                TickWrites.withMark(was.leg(), m), was.openClientId(), was.closeClientId(), m.atMillis()));
    }

    /** Takes the write lock; a book in memory forgets its kept reads until {@link #unlockWrites}. */
    private void lockWrites() {
        writes.lock();
        if (memo != null) {
            memo.writeStarted();
        }
    }

    /**
     * Releases the write lock; {@code committed}: the write went in. A book in memory's rows take
     * what the outermost write handed over if it went in, and forget it if not, before the memo
     * may keep reads again.
     */
    private void unlockWrites(boolean committed) {
        endRows(committed);
        if (memo != null) {
            memo.writeEnded();
        }
        writes.unlock();
    }

    /**
     * A read the trader repeats many times between two writes: kept by a book in memory until
     * the next write of SQL ({@link ReadMemo}), read afresh from a file. Only for a table the
     * book's rows do not hold ({@link BookRows}): a write of those rows does not make the memo
     * forget. A kept list is immutable.
     */
    private <R> R memo(Object key, HandleCallback<R, RuntimeException> read) {
        if (memo == null) {
            return with(read);
        }
        @SuppressWarnings("unchecked")
        R hit = (R) memo.kept(key); // asked many times a step: a kept answer costs one lookup
        if (hit != null) {
            return hit;
        }
        return memo.readAndKeep(key, () -> {
            R value = readNow(read);
            @SuppressWarnings("unchecked")
            R kept = value instanceof List<?> l ? (R) List.copyOf(l) : value;
            return kept;
        });
    }

    /** {@code legs} as read now: a book in memory lays the held marks over them. */
    private List<Leg> marked(List<Leg> legs) {
        return held == null ? legs : held.overlay(legs);
    }

    /**
     * Writes the leg marks and venue reads a book in memory holds, in one transaction, so the
     * write or read about to run meets them in the database.
     */
    private void writeHeld() {
        if (held == null || !held.holdsState()) {
            return;
        }
        if (held.holdsLegMarks()) {
            rowsWrite(() -> null); // writes the held leg marks to their rows
            if (!held.holdsState()) {
                return;
            }
        }
        ownTransaction(h -> {
            TickWrites.State state = held.takeState();
            state.legMarks().forEach((id, m) -> {
                if (rows != null) {
                    legMarkRow(id, m); // held since the rows took the others: taken with this write
                } else {
                    writeLegMark(h, id, m.mark(), m.upnl(), m.atMillis());
                }
            });
            state.venueReads().forEach((venue, r) -> {
                if (r.okAt() != null) {
                    writeVenueReadOk(h, venue, r.okAt());
                }
                if (r.failedAt() != null) {
                    writeVenueReadFailed(h, venue, r.failedAt(), r.error());
                }
            });
            if (state.gate() != null) {
                writeGate(h, state.gate().reason(), state.gate().checkedAt().toEpochMilli());
            }
        });
    }

    /**
     * For a book in memory: puts the pair, leg and order rows written since the last time into the
     * database's tables, in one transaction, so SQL that reads them (or a marks row that refers to
     * its pair) finds them.
     */
    private void writeRows() {
        if (rows == null || !rows.changed()) {
            return;
        }
        BookRows.Changed changed = rows.takeChanged();
        try {
            ownTransaction(h -> {
                inBatch(h, UPSERT_PAIR, changed.pairs(), Store::bindPairRow);
                inBatch(h, UPSERT_LEG, changed.legs(), Store::bindLegRow);
                inBatch(h, UPSERT_ORDER, changed.orders(), Store::bindOrderRow);
            });
        } catch (RuntimeException | Error e) {
            rows.changedAgain(changed); // rolled back: they go in with the next attempt
            throw e;
        }
    }

    /** Runs {@code sql} once for each of {@code rows}, as one prepared batch, in their order. */
    private static <T> void inBatch(
            Handle h, String sql, List<T> rows, BiFunction<PreparedBatch, T, PreparedBatch> bind) {
        if (rows.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch(sql);
        rows.forEach(row -> bind.apply(batch, row).add());
        batch.execute();
    }

    private static PreparedBatch bindPairRow(PreparedBatch batch, BookRows.PairRow r) {
        HedgePair p = r.pair();
        return batch.bind("id", p.id())
                .bind("asset", p.asset())
                .bind("lv", p.longVenue().configName())
                .bind("sv", p.shortVenue().configName())
                .bind("mode", p.mode().name())
                .bind("lev", text(p.leverage()))
                .bind("qty", text(p.quantity()))
                .bind("notional", text(p.notional()))
                .bind("status", p.status().name())
                .bind("dur", p.durationMs())
                .bind("created", millis(p.createdAt()))
                .bind("opened", millis(p.openedAt()))
                .bind("closeAt", millis(p.closeAt()))
                .bind("closed", millis(p.closedAt()))
                .bind("reason", p.closeReason())
                .bind("rp", text(p.realizedPnl()))
                .bind("fees", text(p.fees()))
                .bind("funding", text(p.funding()))
                .bind("net", text(r.netPnl()))
                .bind("vol", text(p.volume()))
                .bind("pts", text(p.points()))
                .bind("updated", r.updatedAt())
                .bind("me", text(r.makerExposure()))
                .bind("mf", r.makerFills())
                .bind("mw", r.makerWorstHedgeMs());
    }

    private static PreparedBatch bindLegRow(PreparedBatch batch, BookRows.LegRow r) {
        Leg l = r.leg();
        return batch.bind("id", l.id())
                .bind("pair", l.pairId())
                .bind("venue", l.venue().configName())
                .bind("symbol", l.symbol())
                .bind("side", l.side().name())
                .bind("opened", text(l.openedQty()))
                .bind("held", text(l.size()))
                .bind("closed", text(l.closedQty()))
                .bind("entry", text(l.entryPrice()))
                .bind("exit", text(l.exitPrice()))
                .bind("mark", text(l.markPrice()))
                .bind("upnl", text(l.unrealizedPnl()))
                .bind("rp", text(l.realizedPnl()))
                .bind("fees", text(l.fees()))
                .bind("funding", text(l.funding()))
                .bind("status", l.status().name())
                .bind("occ", r.openClientId())
                .bind("ccc", r.closeClientId())
                .bind("updated", r.updatedAt())
                .bind("ss", millis(l.suspectSince()))
                .bind("sr", l.suspectReason());
    }

    private static PreparedBatch bindOrderRow(PreparedBatch batch, BookRows.OrderRow r) {
        OrderRecord o = r.order();
        return batch.bind("id", o.id())
                .bind("pair", o.pairId())
                .bind("leg", o.legId())
                .bind("venue", o.venue().configName())
                .bind("symbol", o.symbol())
                .bind("cid", o.clientId())
                .bind("purpose", o.purpose().name())
                .bind("side", o.side().name())
                .bind("qty", text(o.qty()))
                .bind("ro", o.purpose().reduceOnly() ? 1 : 0)
                .bind("status", o.status().name())
                .bind("fq", text(o.filledQty()))
                .bind("px", text(o.avgPrice()))
                .bind("fee", text(o.fee()))
                .bind("vid", o.venueOrderId())
                .bind("err", o.error())
                .bind("created", millis(o.createdAt()))
                .bind("updated", millis(o.updatedAt()))
                .bind("priced", o.priced() ? 1 : 0)
                .bind("accounted", r.accounted() ? 1 : 0)
                .bind("lp", text(o.limitPrice()));
    }

    private static final String UPSERT_PAIR = """
            INSERT INTO hedge_pairs (id, asset, long_venue, short_venue, mode, leverage, quantity, notional, status,
                duration_ms, created_at, opened_at, close_at, closed_at, close_reason, realized_pnl, fees, funding,
                net_pnl, volume, points, updated_at, maker_exposure, maker_fills, maker_worst_hedge_ms)
            VALUES (:id, :asset, :lv, :sv, :mode, :lev, :qty, :notional, :status, :dur, :created, :opened, :closeAt,
                :closed, :reason, :rp, :fees, :funding, :net, :vol, :pts, :updated, :me, :mf, :mw)
            ON CONFLICT (id) DO UPDATE SET asset = excluded.asset, long_venue = excluded.long_venue,
                short_venue = excluded.short_venue, mode = excluded.mode, leverage = excluded.leverage,
                quantity = excluded.quantity, notional = excluded.notional, status = excluded.status,
                duration_ms = excluded.duration_ms, created_at = excluded.created_at, opened_at = excluded.opened_at,
                close_at = excluded.close_at, closed_at = excluded.closed_at, close_reason = excluded.close_reason,
                realized_pnl = excluded.realized_pnl, fees = excluded.fees, funding = excluded.funding,
                net_pnl = excluded.net_pnl, volume = excluded.volume, points = excluded.points,
                updated_at = excluded.updated_at, maker_exposure = excluded.maker_exposure,
                maker_fills = excluded.maker_fills, maker_worst_hedge_ms = excluded.maker_worst_hedge_ms""";

    private static final String UPSERT_LEG = """
            INSERT INTO positions (id, pair_id, venue, symbol, side, size, held, closed_qty, entry_price, exit_price,
                current_price, unrealized_pnl, realized_pnl, fees, funding, status, open_client_id, close_client_id,
                updated_at, suspect_since, suspect_reason)
            VALUES (:id, :pair, :venue, :symbol, :side, :opened, :held, :closed, :entry, :exit, :mark, :upnl, :rp,
                :fees, :funding, :status, :occ, :ccc, :updated, :ss, :sr)
            ON CONFLICT (id) DO UPDATE SET pair_id = excluded.pair_id, venue = excluded.venue,
                symbol = excluded.symbol, side = excluded.side, size = excluded.size, held = excluded.held,
                closed_qty = excluded.closed_qty, entry_price = excluded.entry_price,
                exit_price = excluded.exit_price, current_price = excluded.current_price,
                unrealized_pnl = excluded.unrealized_pnl, realized_pnl = excluded.realized_pnl,
                fees = excluded.fees, funding = excluded.funding, status = excluded.status,
                open_client_id = excluded.open_client_id, close_client_id = excluded.close_client_id,
                updated_at = excluded.updated_at, suspect_since = excluded.suspect_since,
                suspect_reason = excluded.suspect_reason""";

    private static final String UPSERT_ORDER = """
            INSERT INTO orders (id, pair_id, position_id, venue, symbol, client_id, purpose, side, qty, reduce_only,
                status, filled_qty, avg_price, fee, venue_order_id, error, created_at, updated_at, priced, accounted,
                limit_price)
            VALUES (:id, :pair, :leg, :venue, :symbol, :cid, :purpose, :side, :qty, :ro, :status, :fq, :px, :fee,
                :vid, :err, :created, :updated, :priced, :accounted, :lp)
            ON CONFLICT (id) DO UPDATE SET pair_id = excluded.pair_id, position_id = excluded.position_id,
                venue = excluded.venue, symbol = excluded.symbol, client_id = excluded.client_id,
                purpose = excluded.purpose, side = excluded.side, qty = excluded.qty,
                reduce_only = excluded.reduce_only, status = excluded.status, filled_qty = excluded.filled_qty,
                avg_price = excluded.avg_price, fee = excluded.fee, venue_order_id = excluded.venue_order_id,
                error = excluded.error, created_at = excluded.created_at, updated_at = excluded.updated_at,
                priced = excluded.priced, accounted = excluded.accounted, limit_price = excluded.limit_price""";

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    /** An instant as an INTEGER column of epoch milliseconds gives it back. */
    private static Instant stored(Instant t) {
        return t == null ? null : Instant.ofEpochMilli(t.toEpochMilli());
    }

    /** Writes every marks row a book in memory holds, unthinned (for a read of marks, or a save). */
    private void writeHeldMarks() {
        if (held == null) {
            return;
        }
        List<Mark> rows = held.takeAllMarks();
        if (!rows.isEmpty()) {
            marksUnthinned = true;
            writeHeldRows(rows);
        }
    }

    private <R> R inTx(HandleCallback<R, RuntimeException> callback) {
        writeHeld();
        writeRows();
        lockWrites();
        long start = timing.enter();
        boolean committed = false;
        try {
            Handle h = bound.get();
            if (h != null) {
                return h.inTransaction(callback); // the outer transaction commits, or not, later
            }
            R r = onHandle(x -> x.inTransaction(callback));
            committed = true;
            return r;
        } finally {
            timing.exit(start);
            unlockWrites(committed);
        }
    }

    private void useTx(HandleConsumer<RuntimeException> consumer) {
        writeHeld();
        writeRows();
        lockWrites();
        long start = timing.enter();
        boolean committed = false;
        try {
            Handle h = bound.get();
            if (h != null) {
                h.useTransaction(consumer);
            } else {
                onHandle(x -> {
                    x.useTransaction(consumer);
                    return null;
                });
            }
            committed = true;
        } finally {
            timing.exit(start);
            unlockWrites(committed);
        }
    }

    /** Closes the connections kept open; a Store is not used after this. */
    @Override
    public void close() {
        if (connections != null) {
            connections.close();
        }
        for (Handle h : keptHandles) {
            try {
                h.close();
            } catch (RuntimeException e) {
                // a handle whose thread left a transaction open: its connection closes anyway
            }
        }
        keptHandles.clear();
        if (anchor != null) {
            closeQuietly(anchor);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // closing a SQLite connection only fails if it is already unusable
        }
    }

    // ------------------------------------------------------------------ the database's own facts

    /** The mode this database belongs to; empty until its first pair or {@link #claimMode}. */
    public Optional<Mode> mode() {
        return with(h -> recordedMode(h)).map(this::parseMode);
    }

    /**
     * Records {@code mode} as this database's mode unless one is recorded already, and returns
     * the recorded one: a caller whose mode differs must not use the database.
     */
    public Mode claimMode(Mode mode) {
        return parseMode(claimed(mode));
    }

    /** The recorded mode after claiming {@code mode}; a book in memory, written by no one else, asks once. */
    private String claimed(Mode mode) {
        String known = claimedMode;
        if (known != null) {
            return known;
        }
        String recorded = inTx(h -> claim(h, mode));
        if (rows != null) {
            claimedMode = recorded;
        }
        return recorded;
    }

    /** The recorded mode, in any case; a value that names no mode is one line naming the file. */
    private Mode parseMode(String recorded) {
        try {
            return Mode.parse(recorded);
        } catch (IllegalArgumentException e) {
            throw new StoreException(file + " records an unknown mode '" + recorded + "' in its meta table (known: "
                    + "sim, paper, live, simulate): fix it with sqlite3, or point database.url at another database");
        }
    }

    /**
     * Proves the database can be written now (a committed write to {@code meta}, undone in the
     * same transaction); throws {@link UnusableDatabase} naming the file and the reason if not.
     */
    public void checkWritable() {
        try {
            useTx(h -> {
                h.execute("INSERT INTO meta (key, value) VALUES ('write_check', 'ok')");
                h.execute("DELETE FROM meta WHERE key = 'write_check'");
            });
        } catch (RuntimeException e) {
            throw Database.unusable(file, e);
        }
    }

    private static Optional<String> recordedMode(Handle h) {
        return h.createQuery("SELECT value FROM meta WHERE key = :k")
                .bind("k", MODE_KEY)
                .mapTo(String.class)
                .findOne();
    }

    private static String claim(Handle h, Mode mode) {
        h.createUpdate("INSERT OR IGNORE INTO meta (key, value) VALUES (:k, :v)")
                .bind("k", MODE_KEY)
                .bind("v", mode.name())
                .execute();
        return recordedMode(h).orElseThrow();
    }

    /** The intent to open a pair: both legs and their opening orders' client ids. */
    public record NewPair(
            String asset,
            Mode mode,
            BigDecimal leverage,
            BigDecimal quantity,
            BigDecimal notional,
            long durationMs,
            Venue longVenue,
            String longSymbol,
            String longClientId,
            Venue shortVenue,
            String shortSymbol,
            String shortClientId) {}

    /** One monitor observation of a pair. Ratios are null when the venue had no requirement. */
    public record Mark(
            long pairId,
            Instant at,
            BigDecimal longMark,
            BigDecimal shortMark,
            BigDecimal longUpnl,
            BigDecimal shortUpnl,
            BigDecimal longVenueRatio,
            BigDecimal shortVenueRatio,
            BigDecimal divergence) {}

    /** A stored alert. */
    public record AlertRow(long id, Instant at, String level, String kind, Long pairId, String venue, String message) {}

    // ------------------------------------------------------------------ writes

    /**
     * Records pair OPENING, both legs PENDING and both opening orders PENDING, in one
     * transaction. Returns the pair id. Nothing has been sent yet. A pair of another mode than
     * the database's is refused with {@link StoreException}; the first pair records the mode.
     */
    public long createPair(NewPair p, Instant now) {
        long t = now.toEpochMilli();
        claimFirst(p.mode());
        return bookTx(h -> {
            Inserted ids = insertPair(h, p, t);
            insertOrder(
                    h,
                    ids.pairId(),
                    ids.longLeg(),
                    p.longVenue(),
                    p.longSymbol(),
                    p.longClientId(),
                    OrderPurpose.OPEN,
                    Side.LONG.opening(),
                    p.quantity(),
                    null,
                    t);
            insertOrder(
                    h,
                    ids.pairId(),
                    ids.shortLeg(),
                    p.shortVenue(),
                    p.shortSymbol(),
                    p.shortClientId(),
                    OrderPurpose.OPEN,
                    Side.SHORT.opening(),
                    p.quantity(),
                    null,
                    t);
            saveClientId(h, ids.longLeg(), true, p.longClientId(), null);
            saveClientId(h, ids.shortLeg(), true, p.shortClientId(), null);
            return ids.pairId();
        });
    }

    /**
     * Records pair OPENING and both legs PENDING, with no order yet: a maker-first entry records
     * each of its orders (resting or hedging) with {@link #recordOpeningOrder} before it is sent.
     * The client ids of {@code p} are not used. Returns the pair id.
     */
    public long createPairWithoutOrders(NewPair p, Instant now) {
        claimFirst(p.mode());
        return bookTx(h -> insertPair(h, p, now.toEpochMilli()).pairId());
    }

    /**
     * A book in memory claims its mode before a pair's write, not inside it as a file does (its
     * rows' write holds no SQL transaction to join); it asks once.
     */
    private void claimFirst(Mode mode) {
        if (rows != null) {
            claimed(mode);
        }
    }

    /**
     * Records, before it is sent, one more opening order for {@code leg}: a resting post-only
     * order at {@code limitPrice}, or a market order when it is null.
     */
    public OrderRecord recordOpeningOrder(
            Leg leg, BigDecimal qty, String clientId, BigDecimal limitPrice, Instant now) {
        return recordLegOrder(leg, OrderPurpose.OPEN, qty, clientId, limitPrice, now);
    }

    /**
     * What hedging a maker-first entry fill by fill exposed: Σ (quantity × seconds from a fill
     * being seen to its hedge filling), over {@code fills} fills, the longest hedge taking
     * {@code worstMs}.
     */
    public void recordMakerExposure(long pairId, BigDecimal qtySeconds, int fills, long worstMs) {
        // an entry's and an exit's add up
        if (rows != null) {
            rowsWrite(() -> {
                BookRows.PairRow was = rows.txPair(pairId);
                if (was != null) { // as the UPDATE of no row
                    Optional<MakerExposure> before = makerExposure(was);
                    rows.wrotePair(new BookRows.PairRow(
                            was.pair(),
                            was.netPnl(),
                            was.updatedAt(),
                            asStored(before.map(MakerExposure::qtySeconds)
                                    .orElse(BigDecimal.ZERO)
                                    .add(qtySeconds)),
                            before.map(MakerExposure::fills).orElse(0) + fills,
                            Math.max(before.map(MakerExposure::worstHedgeMs).orElse(0L), worstMs)));
                }
                return null;
            });
            return;
        }
        useTx(h -> {
            Optional<MakerExposure> before = makerExposure(h, pairId);
            h.createUpdate("""
                            UPDATE hedge_pairs SET maker_exposure = :e, maker_fills = :n, maker_worst_hedge_ms = :w
                            WHERE id = :id""")
                    .bind(
                            "e",
                            text(before.map(MakerExposure::qtySeconds)
                                    .orElse(BigDecimal.ZERO)
                                    .add(qtySeconds)))
                    .bind("n", before.map(MakerExposure::fills).orElse(0) + fills)
                    .bind("w", Math.max(before.map(MakerExposure::worstHedgeMs).orElse(0L), worstMs))
                    .bind("id", pairId)
                    .execute();
        });
    }

    /** The maker-first exposure recorded for a pair, if its entry was maker-first. */
    public Optional<MakerExposure> makerExposure(long pairId) {
        if (rows != null) {
            BookRows.PairRow row = rows.pairRow(pairId);
            return row == null ? Optional.empty() : makerExposure(row);
        }
        return with(h -> makerExposure(h, pairId));
    }

    private static Optional<MakerExposure> makerExposure(BookRows.PairRow row) {
        return row.makerExposure() == null
                ? Optional.empty()
                : Optional.of(new MakerExposure(
                        row.makerExposure(),
                        row.makerFills() == null ? 0 : row.makerFills(),
                        row.makerWorstHedgeMs() == null ? 0 : row.makerWorstHedgeMs()));
    }

    private static Optional<MakerExposure> makerExposure(Handle h, long pairId) {
        return h.createQuery("SELECT maker_exposure, maker_fills, maker_worst_hedge_ms FROM hedge_pairs WHERE id = :id")
                .bind("id", pairId)
                .map((rs, ctx) -> rs.getString("maker_exposure") == null
                        ? null
                        : new MakerExposure(
                                dec(rs, "maker_exposure"),
                                rs.getInt("maker_fills"),
                                rs.getLong("maker_worst_hedge_ms")))
                .findOne();
    }

    /** See {@link #recordMakerExposure}. */
    public record MakerExposure(BigDecimal qtySeconds, int fills, long worstHedgeMs) {}

    /** Every pair's maker-first exposure added up (none: empty), the worst hedge over them all. */
    public Optional<MakerExposure> makerExposureTotals() {
        return with(h -> {
            List<MakerExposure> each = h.createQuery("""
                            SELECT maker_exposure, maker_fills, maker_worst_hedge_ms FROM hedge_pairs
                            WHERE maker_exposure IS NOT NULL""")
                    .map((rs, ctx) -> new MakerExposure(
                            dec(rs, "maker_exposure"), rs.getInt("maker_fills"), rs.getLong("maker_worst_hedge_ms")))
                    .list();
            return each.stream()
                    .reduce((a, b) -> new MakerExposure(
                            a.qtySeconds().add(b.qtySeconds()),
                            a.fills() + b.fills(),
                            Math.max(a.worstHedgeMs(), b.worstHedgeMs())));
        });
    }

    private record Inserted(long pairId, long longLeg, long shortLeg) {}

    private Inserted insertPair(Handle h, NewPair p, long t) {
        if (rows != null) {
            return pairRows(claimedMode, p, t);
        }
        String recorded = claim(h, p.mode());
        if (!recorded.equals(p.mode().name())) {
            throw new StoreException(file + " is a " + recorded.toLowerCase(Locale.ROOT)
                    + " database: it cannot hold a " + p.mode().configName() + " pair");
        }
        // RETURNING id: the driver asks for a generated key with a statement of its own, prepared
        // afresh after every insert
        long pairId = h.createQuery("""
                INSERT INTO hedge_pairs (asset, long_venue, short_venue, mode, leverage, quantity,
                    notional, status, duration_ms, created_at, updated_at)
                VALUES (:asset, :lv, :sv, :mode, :lev, :qty, :notional, 'OPENING', :dur, :t, :t)
                RETURNING id""")
                .bind("asset", p.asset())
                .bind("lv", p.longVenue().configName())
                .bind("sv", p.shortVenue().configName())
                .bind("mode", p.mode().name())
                .bind("lev", text(p.leverage()))
                .bind("qty", text(p.quantity()))
                .bind("notional", text(p.notional()))
                .bind("dur", p.durationMs())
                .bind("t", t)
                .mapTo(Long.class)
                .one();
        return new Inserted(
                pairId,
                insertLeg(h, pairId, p.longVenue(), p.longSymbol(), Side.LONG, t),
                insertLeg(h, pairId, p.shortVenue(), p.shortSymbol(), Side.SHORT, t));
    }

    /** {@link #insertPair} on a book in memory's rows: the pair OPENING, both legs PENDING. */
    private Inserted pairRows(String recorded, NewPair p, long t) {
        if (!recorded.equals(p.mode().name())) {
            throw new StoreException(file + " is a " + recorded.toLowerCase(Locale.ROOT)
                    + " database: it cannot hold a " + p.mode().configName() + " pair");
        }
        long pairId = rows.newPairId();
        rows.wrotePair(new BookRows.PairRow(
                new HedgePair(
                        pairId,
                        p.asset(),
                        p.longVenue(),
                        p.shortVenue(),
                        p.mode(),
                        asStored(p.leverage()),
                        asStored(p.quantity()),
                        asStored(p.notional()),
                        PairStatus.OPENING,
                        p.durationMs(),
                        Instant.ofEpochMilli(t),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                null,
                t,
                null,
                null,
                null));
        return new Inserted(
                pairId,
                insertLeg(null, pairId, p.longVenue(), p.longSymbol(), Side.LONG, t),
                insertLeg(null, pairId, p.shortVenue(), p.shortSymbol(), Side.SHORT, t));
    }

    /** A leg's last opening (or closing) client id; {@code t}, when given, its update time. */
    private void saveClientId(Handle h, long legId, boolean opening, String clientId, Long t) {
        if (rows != null) {
            clientIdRow(legId, opening, clientId, t);
            return;
        }
        String column = opening ? "open_client_id" : "close_client_id";
        Update update = h.createUpdate(
                        t == null
                                ? "UPDATE positions SET " + column + " = :c WHERE id = :id"
                                : "UPDATE positions SET " + column + " = :c, updated_at = :t WHERE id = :id")
                .bind("c", clientId)
                .bind("id", legId);
        if (t != null) {
            update.bind("t", t);
        }
        update.execute();
    }

    private void clientIdRow(long legId, boolean opening, String clientId, Long t) {
        BookRows.LegRow was = rows.txLegRow(legId);
        if (was == null) {
            return; // as the UPDATE of no row
        }
        rows.wroteLeg(new BookRows.LegRow(
                was.leg(),
                opening ? clientId : was.openClientId(),
                opening ? was.closeClientId() : clientId,
                t == null ? was.updatedAt() : t));
    }

    private long insertLeg(Handle h, long pairId, Venue venue, String symbol, Side side, long t) {
        if (rows != null) { // the columns' defaults, PENDING
            found(rows.txPair(pairId), "pair", pairId); // the table's foreign key
            long id = rows.newLegId();
            BigDecimal zero = BigDecimal.ZERO; // DEFAULT '0'
            rows.wroteLeg(new BookRows.LegRow(
                    new Leg(
                            id,
                            pairId,
                            venue,
                            symbol,
                            side,
                            zero,
                            zero,
                            zero,
                            null,
                            null,
                            null,
                            null,
                            zero,
                            zero,
                            zero,
                            LegStatus.PENDING,
                            null,
                            null),
                    null,
                    null,
                    t));
            return id;
        }
        return h.createQuery("""
                INSERT INTO positions (pair_id, venue, symbol, side, status, updated_at)
                VALUES (:pair, :venue, :symbol, :side, 'PENDING', :t)
                RETURNING id""")
                .bind("pair", pairId)
                .bind("venue", venue.configName())
                .bind("symbol", symbol)
                .bind("side", side.name())
                .bind("t", t)
                .mapTo(Long.class)
                .one();
    }

    private long insertOrder(
            Handle h,
            long pairId,
            long legId,
            Venue venue,
            String symbol,
            String clientId,
            OrderPurpose purpose,
            OrderSide side,
            BigDecimal qty,
            BigDecimal limitPrice,
            long t) {
        if (rows != null) { // PENDING, priced and accounted by default
            // the table's foreign keys: its pair and its leg are recorded
            found(rows.txPair(pairId), "pair", pairId);
            found(rows.txLegRow(legId), "leg", legId);
            long id = rows.newOrderId(venue.configName(), clientId);
            Instant at = Instant.ofEpochMilli(t);
            rows.wroteOrder(new BookRows.OrderRow(
                    new OrderRecord(
                            id,
                            pairId,
                            legId,
                            venue,
                            symbol,
                            clientId,
                            purpose,
                            side,
                            asStored(qty),
                            OrderStatus.PENDING,
                            BigDecimal.ZERO,
                            null,
                            BigDecimal.ZERO,
                            true,
                            null,
                            null,
                            at,
                            at,
                            asStored(limitPrice)),
                    true));
            return id;
        }
        return h.createQuery("""
                INSERT INTO orders (pair_id, position_id, venue, symbol, client_id, purpose, side, qty,
                    reduce_only, status, limit_price, created_at, updated_at)
                VALUES (:pair, :leg, :venue, :symbol, :cid, :purpose, :side, :qty, :ro, 'PENDING', :lp, :t, :t)
                RETURNING id""")
                .bind("pair", pairId)
                .bind("leg", legId)
                .bind("venue", venue.configName())
                .bind("symbol", symbol)
                .bind("cid", clientId)
                .bind("purpose", purpose.name())
                .bind("side", side.name())
                .bind("qty", text(qty))
                .bind("ro", purpose.reduceOnly() ? 1 : 0)
                .bind("lp", limitPrice == null ? null : text(limitPrice))
                .bind("t", t)
                .mapTo(Long.class)
                .one();
    }

    /** Records a reduce-only order (trim, rollback or close) for a leg, before it is sent. */
    public OrderRecord recordOrder(Leg leg, OrderPurpose purpose, BigDecimal qty, String clientId, Instant now) {
        return recordRestingReduce(leg, purpose, qty, clientId, null, now);
    }

    /**
     * As {@link #recordOrder}, for a resting post-only reduce-only order at {@code limitPrice} (a
     * maker-first exit's); a market order when {@code limitPrice} is null.
     */
    public OrderRecord recordRestingReduce(
            Leg leg, OrderPurpose purpose, BigDecimal qty, String clientId, BigDecimal limitPrice, Instant now) {
        if (purpose == OrderPurpose.OPEN) {
            throw new IllegalArgumentException("opening orders are recorded with createPair or recordOpeningOrder");
        }
        return recordLegOrder(leg, purpose, qty, clientId, limitPrice, now);
    }

    /**
     * One order for {@code leg}, before it is sent: an opening one takes the leg's opening side and
     * becomes its last opening client id, any other the closing side and its last closing one.
     */
    private OrderRecord recordLegOrder(
            Leg leg, OrderPurpose purpose, BigDecimal qty, String clientId, BigDecimal limitPrice, Instant now) {
        boolean opening = purpose == OrderPurpose.OPEN;
        long t = now.toEpochMilli();
        long id = bookTx(h -> {
            long orderId = insertOrder(
                    h,
                    leg.pairId(),
                    leg.id(),
                    leg.venue(),
                    leg.symbol(),
                    clientId,
                    purpose,
                    opening ? leg.side().opening() : leg.side().closing(),
                    qty,
                    limitPrice,
                    t);
            saveClientId(h, leg.id(), opening, clientId, t);
            return orderId;
        });
        return order(id).orElseThrow();
    }

    /**
     * Records, before it is sent, a new order for the same intent as {@code original} (same leg,
     * purpose, side and quantity) under a new client id: the venue refused the original without
     * executing it (its clock window), so this is a new order, never the same one sent twice.
     */
    public OrderRecord recordResend(OrderRecord original, String clientId, Instant now) {
        if (!original.status().settled() || original.filledQty().signum() != 0) {
            throw new IllegalArgumentException("order " + original.id() + " is " + original.status() + " with "
                    + original.filledQty() + " filled: only an order refused unfilled is sent again");
        }
        long t = now.toEpochMilli();
        long id = bookTx(h -> insertOrder(
                h,
                original.pairId(),
                original.legId(),
                original.venue(),
                original.symbol(),
                clientId,
                original.purpose(),
                original.side(),
                original.qty(),
                original.limitPrice(),
                t));
        return order(id).orElseThrow();
    }

    /**
     * Applies a venue's answer to an order, and to its leg, in one transaction: to an order still
     * PENDING or UNKNOWN, or to one whose quantity {@link #recordFirstWord} recorded and whose
     * price and fee this answer brings. Returns false (and changes nothing) if the order was
     * already settled and priced, so the same fill is never counted twice. A fill that reports a
     * quantity but no price is recorded unpriced, to be looked up again.
     */
    public boolean applyFill(long orderId, Fill fill, Instant now) {
        long t = now.toEpochMilli();
        return bookTx(h -> {
            OrderRecord o = loadOrder(h, orderId);
            if (o.status().settled() && o.priced()) {
                return false;
            }
            BigDecimal filled = filledBy(fill);
            boolean priced = filled.signum() == 0 || fill.avgPrice() != null;
            saveFill(
                    h,
                    o,
                    fill,
                    filled,
                    filled.signum() == 0 ? null : fill.avgPrice(),
                    priced && fill.fee() != null ? fill.fee() : BigDecimal.ZERO,
                    priced,
                    t);
            // what the leg already holds of this order (its first word), if anything
            BigDecimal counted = o.status().settled() ? o.filledQty() : BigDecimal.ZERO;
            Leg leg = loadLeg(h, o.legId());
            if (filled.compareTo(counted) != 0 || !o.status().settled()) {
                leg = leg.held(o.purpose(), filled.subtract(counted));
            }
            saveFigures(h, account(h, leg), t);
            return true;
        });
    }

    /**
     * Records the venue's first word on an order still PENDING or UNKNOWN: its state and filled
     * quantity, before its average price and fee are read ({@link #applyFill} brings them). The
     * order is settled and its leg holds the quantity, so a pair can be OPEN at once; the leg's
     * money figures wait for the price. Returns false (and changes nothing) if the order was
     * already settled.
     */
    public boolean recordFirstWord(long orderId, Fill fill, Instant now) {
        BigDecimal filled = filledBy(fill);
        if (filled.signum() == 0) {
            return applyFill(orderId, fill, now);
        }
        long t = now.toEpochMilli();
        return bookTx(h -> {
            OrderRecord o = loadOrder(h, orderId);
            if (o.status().settled()) {
                return false;
            }
            saveFill(h, o, fill, filled, null, BigDecimal.ZERO, false, t);
            saveFigures(h, loadLeg(h, o.legId()).held(o.purpose(), filled), t);
            return true;
        });
    }

    /**
     * A write of pairs, legs or orders in one transaction: on a book in memory's rows, where
     * {@code callback} gets no handle (every step it takes asks {@link #rows} first), else in SQL.
     */
    private <R> R bookTx(HandleCallback<R, RuntimeException> callback) {
        if (rows != null) {
            return rowsWrite(() -> callback.withHandle(null));
        }
        return inTx(callback);
    }

    /** An order's fill as the venue told it: its state, quantity, price and fee; not yet accounted. */
    private void saveFill(
            Handle h,
            OrderRecord o,
            Fill fill,
            BigDecimal filled,
            BigDecimal avgPrice,
            BigDecimal fee,
            boolean priced,
            long t) {
        if (rows != null) {
            rows.wroteOrder(new BookRows.OrderRow(
                    changed(
                            o,
                            fill.state().status(),
                            asStored(filled),
                            asStored(avgPrice),
                            asStored(fee),
                            priced,
                            fill.venueOrderId() != null ? fill.venueOrderId() : o.venueOrderId(),
                            o.error(),
                            t),
                    false));
            return;
        }
        h.createUpdate("""
                        UPDATE orders SET status = :st, filled_qty = :fq, avg_price = :px, fee = :fee, priced = :priced,
                            accounted = 0, venue_order_id = coalesce(:vid, venue_order_id), updated_at = :t
                        WHERE id = :id""")
                .bind("st", fill.state().status().name())
                .bind("fq", text(filled))
                .bind("px", text(avgPrice))
                .bind("fee", text(fee))
                .bind("priced", priced ? 1 : 0)
                .bind("vid", fill.venueOrderId())
                .bind("t", t)
                .bind("id", o.id())
                .execute();
    }

    /** {@code o} with the columns an order's updates change, at {@code t}. */
    private static OrderRecord changed(
            OrderRecord o,
            OrderStatus status,
            BigDecimal filledQty,
            BigDecimal avgPrice,
            BigDecimal fee,
            boolean priced,
            String venueOrderId,
            String error,
            long t) {
        return new OrderRecord(
                o.id(),
                o.pairId(),
                o.legId(),
                o.venue(),
                o.symbol(),
                o.clientId(),
                o.purpose(),
                o.side(),
                o.qty(),
                status,
                filledQty,
                avgPrice,
                fee,
                priced,
                venueOrderId,
                error,
                o.createdAt(),
                Instant.ofEpochMilli(t),
                o.limitPrice());
    }

    /** Orders whose fill's price and fee are not read yet, oldest first. */
    public List<OrderRecord> unpricedOrders() {
        if (rows != null) {
            return rows.unpriced();
        }
        return with(h -> h.createQuery("SELECT * FROM orders WHERE priced = 0 ORDER BY id")
                .map(Store::mapOrder)
                .list());
    }

    private static BigDecimal filledBy(Fill fill) {
        return fill.state() == OrderState.REJECTED ? BigDecimal.ZERO : fill.filledQty();
    }

    /** A leg's fills not yet in its money figures, in the order sent (read through idx_orders_to_account). */
    static final String UNACCOUNTED_FILLS =
            "SELECT * FROM orders WHERE position_id = :leg AND accounted = 0 ORDER BY id";

    /**
     * The leg with every fill not yet in its money figures added, in the order the fills were
     * sent, up to the first one not priced yet (a reduction must meet the entry it reduces).
     */
    private Leg account(Handle h, Leg leg) {
        List<OrderRecord> waiting = rows != null
                ? rows.txUnaccounted(leg.id())
                : h.createQuery(UNACCOUNTED_FILLS)
                        .bind("leg", leg.id())
                        .map(Store::mapOrder)
                        .list();
        Leg out = leg;
        for (OrderRecord o : waiting) {
            if (!o.priced()) {
                break;
            }
            out = out.accounted(o.purpose(), o.filledQty(), o.avgPrice(), o.fee());
            if (rows != null) {
                rows.wroteOrder(new BookRows.OrderRow(o, true));
            } else {
                h.createUpdate("UPDATE orders SET accounted = 1 WHERE id = :id")
                        .bind("id", o.id())
                        .execute();
            }
        }
        return out;
    }

    /** The order as this write sees it. */
    private OrderRecord loadOrder(Handle h, long orderId) {
        if (rows != null) {
            return found(rows.txOrder(orderId), "order", orderId);
        }
        return h.createQuery("SELECT * FROM orders WHERE id = :id")
                .bind("id", orderId)
                .map(Store::mapOrder)
                .one();
    }

    /** The leg as this write sees it. */
    private Leg loadLeg(Handle h, long legId) {
        if (rows != null) {
            return found(rows.txLeg(legId), "leg", legId);
        }
        return h.createQuery("SELECT * FROM positions WHERE id = :id")
                .bind("id", legId)
                .map(Store::mapLeg)
                .one();
    }

    private static <T> T found(T row, String what, long id) {
        if (row == null) {
            throw new IllegalStateException("no " + what + " " + id);
        }
        return row;
    }

    /** Persists a leg's figures after its accounting changed them (see {@link Leg#apply}). */
    private void saveFigures(Handle h, Leg leg, long t) {
        if (rows != null) {
            BookRows.LegRow was = found(rows.txLegRow(leg.id()), "leg", leg.id());
            Leg l = was.leg();
            rows.wroteLeg(new BookRows.LegRow(
                    new Leg(
                            l.id(),
                            l.pairId(),
                            l.venue(),
                            l.symbol(),
                            l.side(),
                            asStored(leg.size()),
                            asStored(leg.openedQty()),
                            asStored(leg.closedQty()),
                            asStored(leg.entryPrice()),
                            asStored(leg.exitPrice()),
                            l.markPrice(),
                            l.unrealizedPnl(),
                            asStored(leg.realizedPnl()),
                            asStored(leg.fees()),
                            l.funding(),
                            leg.status(),
                            stored(leg.suspectSince()),
                            leg.suspectReason()),
                    was.openClientId(),
                    was.closeClientId(),
                    t));
            return;
        }
        h.createUpdate("""
                UPDATE positions SET held = :held, size = :opened, closed_qty = :closed, entry_price = :entry,
                    exit_price = :exit, realized_pnl = :rp, fees = :fees, status = :st, suspect_since = :ss,
                    suspect_reason = :sr, updated_at = :t WHERE id = :id""")
                .bind("held", text(leg.size()))
                .bind("opened", text(leg.openedQty()))
                .bind("closed", text(leg.closedQty()))
                .bind("entry", text(leg.entryPrice()))
                .bind("exit", text(leg.exitPrice()))
                .bind("rp", text(leg.realizedPnl()))
                .bind("fees", text(leg.fees()))
                .bind("st", leg.status().name())
                .bind(
                        "ss",
                        leg.suspectSince() == null ? null : leg.suspectSince().toEpochMilli())
                .bind("sr", leg.suspectReason())
                .bind("t", t)
                .bind("id", leg.id())
                .execute();
    }

    /**
     * Marks an unsettled order REJECTED (the venue refused it or never saw it) or UNKNOWN (sent,
     * no answer). Returns false if it was already settled.
     */
    public boolean markOrder(long orderId, OrderStatus status, String error, Instant now) {
        if (status != OrderStatus.REJECTED && status != OrderStatus.UNKNOWN) {
            throw new IllegalArgumentException("markOrder takes REJECTED or UNKNOWN, not " + status);
        }
        long t = now.toEpochMilli();
        return bookTx(h -> {
            OrderRecord o = loadOrder(h, orderId);
            if (o.status().settled()) {
                return false;
            }
            if (rows != null) {
                rows.wroteOrder(new BookRows.OrderRow(
                        changed(
                                o,
                                status,
                                o.filledQty(),
                                o.avgPrice(),
                                o.fee(),
                                o.priced(),
                                o.venueOrderId(),
                                error,
                                t),
                        rows.txOrderRow(orderId).accounted()));
                if (status == OrderStatus.REJECTED && o.purpose() == OrderPurpose.OPEN) {
                    changeLegRow(
                            o.legId(),
                            t,
                            l -> l.status() != LegStatus.PENDING
                                    ? null
                                    : leg(l, l.funding(), LegStatus.REJECTED, l.suspectSince(), l.suspectReason()));
                }
                return true;
            }
            h.createUpdate("UPDATE orders SET status = :st, error = :err, updated_at = :t WHERE id = :id")
                    .bind("st", status.name())
                    .bind("err", error)
                    .bind("t", t)
                    .bind("id", orderId)
                    .execute();
            if (status == OrderStatus.REJECTED && o.purpose() == OrderPurpose.OPEN) {
                h.createUpdate("""
                        UPDATE positions SET status = 'REJECTED', updated_at = :t
                        WHERE id = :id AND status = 'PENDING'""").bind("t", t).bind("id", o.legId()).execute();
            }
            return true;
        });
    }

    /** Moves a pair from {@code from} to {@code to}; refuses illegal or stale transitions. */
    public void transition(long pairId, PairStatus from, PairStatus to, Instant now) {
        from.moveTo(to);
        if (rows != null) {
            long t = now.toEpochMilli();
            requireOne(
                    changePairRow(pairId, from, t, null, p -> changed(p, to, null, false, null, null)),
                    pairId,
                    from,
                    to);
            return;
        }
        int n = write(h -> h.createUpdate(
                        "UPDATE hedge_pairs SET status = :to, updated_at = :t WHERE id = :id AND status = :from")
                .bind("to", to.name())
                .bind("from", from.name())
                .bind("t", now.toEpochMilli())
                .bind("id", pairId)
                .execute());
        requireOne(n, pairId, from, to);
    }

    /** Both legs hold {@code quantity}: the pair is OPEN and expires at {@code closeAt}. */
    public void markOpen(long pairId, PairStatus from, BigDecimal quantity, Instant openedAt, Instant closeAt) {
        from.moveTo(PairStatus.OPEN);
        if (rows != null) {
            UnaryOperator<HedgePair> open = p -> new HedgePair(
                    p.id(),
                    p.asset(),
                    p.longVenue(),
                    p.shortVenue(),
                    p.mode(),
                    p.leverage(),
                    asStored(quantity),
                    p.notional(),
                    PairStatus.OPEN,
                    p.durationMs(),
                    p.createdAt(),
                    stored(openedAt),
                    stored(closeAt),
                    p.closedAt(),
                    p.closeReason(),
                    p.realizedPnl(),
                    p.fees(),
                    p.funding(),
                    p.volume(),
                    p.points());
            requireOne(changePairRow(pairId, from, openedAt.toEpochMilli(), null, open), pairId, from, PairStatus.OPEN);
            return;
        }
        int n = write(h -> h.createUpdate("""
                        UPDATE hedge_pairs SET status = 'OPEN', quantity = :qty, opened_at = :o, close_at = :c,
                            updated_at = :o WHERE id = :id AND status = :from""")
                .bind("qty", text(quantity))
                .bind("o", openedAt.toEpochMilli())
                .bind("c", closeAt.toEpochMilli())
                .bind("id", pairId)
                .bind("from", from.name())
                .execute());
        requireOne(n, pairId, from, PairStatus.OPEN);
    }

    /** Commits CLOSING with the reason, before any closing order is sent. */
    public void markClosing(long pairId, PairStatus from, String reason, Instant now) {
        from.moveTo(PairStatus.CLOSING);
        if (rows != null) {
            long t = now.toEpochMilli();
            requireOne(
                    changePairRow(pairId, from, t, null, p -> changed(p, PairStatus.CLOSING, null, true, reason, null)),
                    pairId,
                    from,
                    PairStatus.CLOSING);
            return;
        }
        int n = write(h -> h.createUpdate("""
                        UPDATE hedge_pairs SET status = 'CLOSING', close_reason = :r, updated_at = :t
                        WHERE id = :id AND status = :from""")
                .bind("r", reason)
                .bind("t", now.toEpochMilli())
                .bind("id", pairId)
                .bind("from", from.name())
                .execute());
        requireOne(n, pairId, from, PairStatus.CLOSING);
    }

    /** Ends a pair (CLOSED, ROLLED_BACK or FAILED) with its figures. */
    public void markEnded(long pairId, PairStatus from, PairStatus to, PairResult r, Instant now) {
        from.moveTo(to);
        if (!to.isTerminal()) {
            throw new IllegalArgumentException("not a final status: " + to);
        }
        long t = now.toEpochMilli();
        if (rows != null) {
            Instant at = Instant.ofEpochMilli(t);
            requireOne(
                    changePairRow(pairId, from, t, asStored(r.netPnl()), p -> changed(p, to, at, true, r.reason(), r)),
                    pairId,
                    from,
                    to);
            return;
        }
        int n = write(h -> h.createUpdate("""
                        UPDATE hedge_pairs SET status = :to, closed_at = :t, close_reason = :reason,
                            realized_pnl = :rp, fees = :fees, funding = :funding, net_pnl = :net,
                            volume = :vol, points = :pts, updated_at = :t
                        WHERE id = :id AND status = :from""")
                .bind("to", to.name())
                .bind("t", t)
                .bind("reason", r.reason())
                .bind("rp", text(r.realizedPnl()))
                .bind("fees", text(r.fees()))
                .bind("funding", text(r.funding()))
                .bind("net", text(r.netPnl()))
                .bind("vol", text(r.volume()))
                .bind("pts", text(r.points()))
                .bind("id", pairId)
                .bind("from", from.name())
                .execute());
        requireOne(n, pairId, from, to);
    }

    /**
     * The venue holds less of this leg than recorded, and the bot confirmed it (liquidated, closed
     * by hand): {@code held} becomes what the venue shows; the vanished part is closed at
     * {@code price} (the venue's own closing fill where one was found, else the last mark) with
     * {@code fee}; a leg the venue no longer holds at all is MISSING. Its suspicion ends.
     */
    public void recordVenueReduction(long legId, BigDecimal venueHeld, BigDecimal price, BigDecimal fee, Instant now) {
        bookTx(h -> {
            saveFigures(h, loadLeg(h, legId).venueReduced(venueHeld, price, fee), now.toEpochMilli());
            return null;
        });
    }

    /** Marks a leg SUSPECT (kept from the first time it was suspected) with the latest reason. */
    public void markSuspect(long legId, String reason, Instant now) {
        if (rows != null) {
            Instant at = stored(now);
            rowsWrite(() -> changeLegRow(
                    legId,
                    at.toEpochMilli(),
                    l -> leg(l, l.funding(), l.status(), l.suspectSince() != null ? l.suspectSince() : at, reason)));
            return;
        }
        writeUse(h -> h.createUpdate("""
                        UPDATE positions SET suspect_since = COALESCE(suspect_since, :t), suspect_reason = :r,
                            updated_at = :t WHERE id = :id""")
                .bind("t", now.toEpochMilli())
                .bind("r", reason)
                .bind("id", legId)
                .execute());
    }

    /** The venue shows the leg again: no longer suspect. Returns false if it was not. */
    public boolean clearSuspect(long legId, Instant now) {
        if (rows != null) {
            return rowsWrite(() -> changeLegRow(
                    legId,
                    now.toEpochMilli(),
                    l -> l.suspectSince() == null ? null : leg(l, l.funding(), l.status(), null, null)));
        }
        return write(h -> h.createUpdate("""
                        UPDATE positions SET suspect_since = NULL, suspect_reason = NULL, updated_at = :t
                        WHERE id = :id AND suspect_since IS NOT NULL""")
                        .bind("t", now.toEpochMilli())
                        .bind("id", legId)
                        .execute())
                == 1;
    }

    /**
     * For a book in memory: a pair's row changed as an {@code UPDATE ... WHERE id = :id AND status =
     * :from} changes it, at {@code t}; {@code netPnl}, when given, its net PnL. Returns how many
     * rows it changed (0: not there, or not {@code from}).
     */
    private int changePairRow(
            long pairId, PairStatus from, long t, BigDecimal netPnl, UnaryOperator<HedgePair> change) {
        return rowsWrite(() -> {
            BookRows.PairRow was = rows.txPair(pairId);
            if (was == null || was.pair().status() != from) {
                return 0;
            }
            rows.wrotePair(new BookRows.PairRow(
                    change.apply(was.pair()),
                    netPnl != null ? netPnl : was.netPnl(),
                    t,
                    was.makerExposure(),
                    was.makerFills(),
                    was.makerWorstHedgeMs()));
            return 1;
        });
    }

    /**
     * {@code p} with the columns a pair's status updates change: its status, and (null: unchanged)
     * its close time and result figures (as stored), and its close reason when {@code setsReason}.
     */
    private static HedgePair changed(
            HedgePair p, PairStatus status, Instant closedAt, boolean setsReason, String closeReason, PairResult r) {
        return new HedgePair(
                p.id(),
                p.asset(),
                p.longVenue(),
                p.shortVenue(),
                p.mode(),
                p.leverage(),
                p.quantity(),
                p.notional(),
                status,
                p.durationMs(),
                p.createdAt(),
                p.openedAt(),
                p.closeAt(),
                closedAt != null ? closedAt : p.closedAt(),
                setsReason ? closeReason : p.closeReason(),
                r != null ? asStored(r.realizedPnl()) : p.realizedPnl(),
                r != null ? asStored(r.fees()) : p.fees(),
                r != null ? asStored(r.funding()) : p.funding(),
                r != null ? asStored(r.volume()) : p.volume(),
                r != null ? asStored(r.points()) : p.points());
    }

    /**
     * For a book in memory, inside a write: a leg's row changed by {@code change} (which returns
     * null to change nothing, as an UPDATE whose WHERE finds no row) at {@code t} (null: the
     * update time stays). Returns whether the row changed.
     */
    private boolean changeLegRow(long legId, Long t, UnaryOperator<Leg> change) {
        BookRows.LegRow was = rows.txLegRow(legId);
        Leg now = was == null ? null : change.apply(was.leg());
        if (now == null) {
            return false;
        }
        rows.wroteLeg(
                new BookRows.LegRow(now, was.openClientId(), was.closeClientId(), t == null ? was.updatedAt() : t));
        return true;
    }

    /** {@code l} with the columns a leg's funding, status and suspicion updates change. */
    private static Leg leg(Leg l, BigDecimal funding, LegStatus status, Instant suspectSince, String suspectReason) {
        return leg(l, l.markPrice(), l.unrealizedPnl(), funding, status, suspectSince, suspectReason);
    }

    /** {@code l} with the columns other than its figures (what {@link #saveFigures} writes) changed. */
    static Leg leg(
            Leg l,
            BigDecimal mark,
            BigDecimal upnl,
            BigDecimal funding,
            LegStatus status,
            Instant suspectSince,
            String suspectReason) {
        return new Leg(
                l.id(),
                l.pairId(),
                l.venue(),
                l.symbol(),
                l.side(),
                l.size(),
                l.openedQty(),
                l.closedQty(),
                l.entryPrice(),
                l.exitPrice(),
                mark,
                upnl,
                l.realizedPnl(),
                l.fees(),
                funding,
                status,
                suspectSince,
                suspectReason);
    }

    /** Every leg of an active pair that is SUSPECT, oldest suspicion first. */
    public List<Leg> suspectLegs() {
        if (rows != null) {
            List<Leg> out = new ArrayList<>();
            for (Leg leg : activeLegs()) {
                if (leg.suspectSince() != null) {
                    out.add(leg);
                }
            }
            out.sort(SUSPICION_ORDER);
            return marked(List.copyOf(out));
        }
        // a book in a file: nothing held to lay over, no memo
        return with(h -> h.createQuery("""
                        SELECT p.* FROM positions p JOIN hedge_pairs h ON h.id = p.pair_id
                        WHERE p.suspect_since IS NOT NULL
                          AND h.status IN ('OPENING', 'OPEN', 'CLOSING', 'UNHEDGED')
                        ORDER BY p.suspect_since, p.id""").map(Store::mapLeg).list());
    }

    /** As suspectLegs' query orders them: oldest suspicion first, then by id. */
    private static final Comparator<Leg> SUSPICION_ORDER =
            Comparator.comparing(Leg::suspectSince).thenComparingLong(Leg::id);

    /** Why opening is paused, and since when. */
    public record Pause(String cause, Instant pausedAt) {}

    /** Pauses opening with {@code cause}; an existing pause keeps its first cause. Returns true if newly paused. */
    public boolean pauseOpening(String cause, Instant now) {
        return inTx(h -> {
            h.execute("INSERT OR IGNORE INTO opening_pause (id) VALUES (1)");
            return h.createUpdate("UPDATE opening_pause SET cause = :c, paused_at = :t WHERE id = 1 AND cause IS NULL")
                            .bind("c", cause)
                            .bind("t", now.toEpochMilli())
                            .execute()
                    == 1;
        });
    }

    /** Lifts a pause; failed opens before {@code now} no longer count. Returns the lifted pause, if any. */
    public Optional<Pause> resumeOpening(Instant now) {
        return inTx(h -> {
            Optional<Pause> was = openingPause(h);
            h.execute("INSERT OR IGNORE INTO opening_pause (id) VALUES (1)");
            h.createUpdate("UPDATE opening_pause SET cause = NULL, paused_at = NULL, resumed_at = :t WHERE id = 1")
                    .bind("t", now.toEpochMilli())
                    .execute();
            return was;
        });
    }

    public Optional<Pause> openingPause() {
        return memo("openingPause", Store::openingPause);
    }

    private static Optional<Pause> openingPause(Handle h) {
        return h.createQuery("SELECT cause, paused_at FROM opening_pause WHERE id = 1 AND cause IS NOT NULL")
                .map((rs, ctx) -> new Pause(rs.getString("cause"), instant(rs, "paused_at")))
                .findOne();
    }

    /**
     * How the reason of a maker-first pair that ended with nothing filled begins: the market did
     * not come to the order, so it does not count as a failed open.
     */
    public static final String UNFILLED_REASON = "UNFILLED:";

    /**
     * How many pairs in a row, newest first, ended ROLLED_BACK or FAILED, among pairs created
     * after the last {@code resume}.
     */
    public int failedOpensInARow() {
        return with(h -> {
            long resumedAt = h.createQuery("SELECT COALESCE(MAX(resumed_at), 0) FROM opening_pause")
                    .mapTo(Long.class)
                    .one();
            List<String> statuses = h.createQuery("""
                            SELECT status FROM hedge_pairs WHERE created_at >= :t
                              AND status IN ('OPEN', 'CLOSING', 'CLOSED', 'UNHEDGED', 'ROLLED_BACK', 'FAILED')
                              AND COALESCE(close_reason, '') NOT LIKE :unfilled
                            ORDER BY id DESC LIMIT 100""")
                    .bind("t", resumedAt)
                    .bind("unfilled", UNFILLED_REASON + "%")
                    .mapTo(String.class)
                    .list();
            int n = 0;
            for (String st : statuses) {
                if (!st.equals("ROLLED_BACK") && !st.equals("FAILED")) {
                    break;
                }
                n++;
            }
            return n;
        });
    }

    /** Why the running bot last held an open back (null reason: nothing held it back). */
    public record Gate(String reason, Instant checkedAt) {}

    /** Why the last open was held back, at {@code now} (held, in a book in memory: see {@link TickWrites}). */
    public void recordGate(String reason, Instant now) {
        if (held != null) {
            held.gate(new Gate(reason, stored(now)));
            return;
        }
        writeUse(h -> writeGate(h, reason, now.toEpochMilli()));
    }

    private static void writeGate(Handle h, String reason, long t) {
        h.createUpdate("""
                        INSERT INTO opening_gate (id, reason, checked_at) VALUES (1, :r, :t)
                        ON CONFLICT (id) DO UPDATE SET reason = :r, checked_at = :t""").bind("r", reason).bind("t", t).execute();
    }

    public Optional<Gate> gate() {
        Gate heldGate = held == null ? null : held.heldGate();
        if (heldGate != null) {
            return Optional.of(heldGate);
        }
        return memo(
                "gate",
                h -> h.createQuery("SELECT reason, checked_at FROM opening_gate WHERE id = 1")
                        .map((rs, ctx) -> new Gate(rs.getString("reason"), instant(rs, "checked_at")))
                        .findOne());
    }

    /**
     * Whether an order with this client id or venue order id on {@code venue} was sent by the bot
     * (a pair's order or an orphan-closing order).
     */
    public boolean sentOrder(Venue venue, String clientId, String venueOrderId) {
        return with(h -> h.createQuery("""
                        SELECT COUNT(*) FROM orders WHERE venue = :v
                          AND ((:cid IS NOT NULL AND client_id = :cid) OR (:vid IS NOT NULL AND venue_order_id = :vid))""")
                                .bind("v", venue.configName())
                                .bind("cid", clientId)
                                .bind("vid", venueOrderId)
                                .mapTo(Integer.class)
                                .one()
                        + h.createQuery("SELECT COUNT(*) FROM orphan_orders WHERE venue = :v AND client_id = :cid")
                                .bind("v", venue.configName())
                                .bind("cid", clientId)
                                .mapTo(Integer.class)
                                .one()
                > 0);
    }

    /** The monitor's mark of a leg (held, in a book in memory: see {@link TickWrites}). */
    public void updateLegMark(long legId, BigDecimal mark, BigDecimal upnl, Instant now) {
        if (held != null) {
            held.legMark(legId, mark, upnl, now.toEpochMilli());
            return;
        }
        writeUse(h -> writeLegMark(h, legId, mark, upnl, now.toEpochMilli()));
    }

    private static void writeLegMark(Handle h, long legId, BigDecimal mark, BigDecimal upnl, long t) {
        h.createUpdate("""
                        UPDATE positions SET current_price = :m, unrealized_pnl = :u, updated_at = :t
                        WHERE id = :id""")
                .bind("m", text(mark))
                .bind("u", text(upnl))
                .bind("t", t)
                .bind("id", legId)
                .execute();
    }

    public void setLegFunding(long legId, BigDecimal funding) {
        if (rows != null) {
            // the one write of a leg that leaves its update time
            rowsWrite(() -> changeLegRow(
                    legId, null, l -> leg(l, asStored(funding), l.status(), l.suspectSince(), l.suspectReason())));
            return;
        }
        writeUse(h -> h.createUpdate("UPDATE positions SET funding = :f WHERE id = :id")
                .bind("f", text(funding))
                .bind("id", legId)
                .execute());
    }

    /** A row of the monitor's marks (held, in a book in memory: see {@link TickWrites}). */
    public void insertMark(Mark m) {
        if (held != null) {
            held.mark(m);
            return;
        }
        writeUse(h -> writeMark(h, m));
    }

    /** Writes marks rows a book in memory held (oldest first), in one transaction. */
    private void writeHeldRows(List<Mark> marks) {
        // one prepared statement for the lot, each row in the order held (its id in that order)
        useTx(h -> inBatch(h, INSERT_MARK, marks, Store::bindMark));
        long until = marksTableUntil;
        for (Mark m : marks) {
            until = Math.max(until, m.at().toEpochMilli());
        }
        marksTableUntil = until;
    }

    private static final String INSERT_MARK = """
            INSERT INTO marks (at, pair_id, long_mark, short_mark, long_upnl, short_upnl,
                long_venue_ratio, short_venue_ratio, divergence)
            VALUES (:at, :pair, :lm, :sm, :lu, :su, :lr, :sr, :d)""";

    private static void writeMark(Handle h, Mark m) {
        bindMark(h.createUpdate(INSERT_MARK), m).execute();
    }

    private static <S extends SqlStatement<S>> S bindMark(S statement, Mark m) {
        return statement
                .bind("at", m.at().toEpochMilli())
                .bind("pair", m.pairId())
                .bind("lm", text(m.longMark()))
                .bind("sm", text(m.shortMark()))
                .bind("lu", text(m.longUpnl()))
                .bind("su", text(m.shortUpnl()))
                .bind("lr", text(ratio(m.longVenueRatio())))
                .bind("sr", text(ratio(m.shortVenueRatio())))
                .bind("d", text(ratio(m.divergence())));
    }

    /**
     * Keeps one mark per pair per hour (the first) among marks older than {@code before}; newer
     * marks are all kept. Returns how many were deleted. A book in memory thins the rows it holds
     * before they go in ({@link TickWrites#thin}), and writes those kept in batches, so the table
     * needs no deleting unless rows went in unthinned.
     */
    public int thinMarks(Instant before) {
        if (held != null) {
            int dropped = held.thin(before.toEpochMilli());
            List<Mark> rows = held.takeThinnedBatch();
            if (!rows.isEmpty()) {
                writeHeldRows(rows);
            }
            return dropped + (marksUnthinned ? deleteThinned(before) : 0);
        }
        return deleteThinned(before);
    }

    private int deleteThinned(Instant before) {
        return inTx(
                h -> h.createUpdate("""
                        DELETE FROM marks WHERE at < :before AND id NOT IN (
                            SELECT MIN(id) FROM marks WHERE at < :before GROUP BY pair_id, at / 3600000)""").bind("before", before.toEpochMilli()).execute());
    }

    /** What the running bot last saw of one venue: its last successful read and its last failure since. */
    public record VenueRead(
            Venue venue, Optional<Instant> lastOk, Optional<Instant> lastErrorAt, Optional<String> lastError) {}

    /** A successful read of {@code venue} at {@code at}: clears the last failure. */
    public void venueReadOk(Venue venue, Instant at) {
        if (held != null) {
            held.venueReadOk(venue, at.toEpochMilli());
            return;
        }
        writeUse(h -> writeVenueReadOk(h, venue, at.toEpochMilli()));
    }

    private static void writeVenueReadOk(Handle h, Venue venue, long t) {
        h.createUpdate("""
                        INSERT INTO venue_reads (venue, last_ok_at) VALUES (:v, :t)
                        ON CONFLICT (venue) DO UPDATE SET last_ok_at = :t, last_error_at = NULL, last_error = NULL""").bind("v", venue.configName()).bind("t", t).execute();
    }

    /** A failed read of {@code venue} at {@code at}; the last successful read is kept. */
    public void venueReadFailed(Venue venue, Instant at, String error) {
        if (held != null) {
            held.venueReadFailed(venue, at.toEpochMilli(), error);
            return;
        }
        writeUse(h -> writeVenueReadFailed(h, venue, at.toEpochMilli(), error));
    }

    private static void writeVenueReadFailed(Handle h, Venue venue, long t, String error) {
        h.createUpdate("""
                        INSERT INTO venue_reads (venue, last_error_at, last_error) VALUES (:v, :t, :e)
                        ON CONFLICT (venue) DO UPDATE SET last_error_at = :t, last_error = :e""")
                .bind("v", venue.configName())
                .bind("t", t)
                .bind("e", error)
                .execute();
    }

    /** Every venue the running bot has read or tried to read, by name. */
    public List<VenueRead> venueReads() {
        return with(h -> h.createQuery("SELECT * FROM venue_reads ORDER BY venue")
                .map((rs, ctx) -> new VenueRead(
                        Venue.parse(rs.getString("venue")),
                        Optional.ofNullable(nullableLong(rs, "last_ok_at")).map(Instant::ofEpochMilli),
                        Optional.ofNullable(nullableLong(rs, "last_error_at")).map(Instant::ofEpochMilli),
                        Optional.ofNullable(rs.getString("last_error"))))
                .list());
    }

    public void insertAlert(Instant at, String level, String kind, Long pairId, Venue venue, String message) {
        writeUse(h -> h.createUpdate("""
                        INSERT INTO alerts (at, level, kind, pair_id, venue, message)
                        VALUES (:at, :level, :kind, :pair, :venue, :msg)""")
                .bind("at", at.toEpochMilli())
                .bind("level", level)
                .bind("kind", kind)
                .bind("pair", pairId)
                .bind("venue", venue == null ? null : venue.configName())
                .bind("msg", message)
                .execute());
    }

    /** An order closing an orphan position (no pair), as stored. */
    public record OrphanOrder(
            long id,
            Venue venue,
            String symbol,
            String clientId,
            OrderSide side,
            BigDecimal qty,
            OrderStatus status,
            BigDecimal filledQty,
            String error,
            Instant createdAt) {}

    /** Records an orphan-closing order as PENDING, before it is sent. */
    public OrphanOrder recordOrphanOrder(
            Venue venue, String symbol, String clientId, OrderSide side, BigDecimal qty, Instant now) {
        long id = write(h -> h.createUpdate("""
                        INSERT INTO orphan_orders (venue, symbol, client_id, side, qty, status, created_at, updated_at)
                        VALUES (:venue, :symbol, :cid, :side, :qty, 'PENDING', :t, :t)""")
                .bind("venue", venue.configName())
                .bind("symbol", symbol)
                .bind("cid", clientId)
                .bind("side", side.name())
                .bind("qty", text(qty))
                .bind("t", now.toEpochMilli())
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
        return orphanOrders(venue, symbol).stream()
                .filter(o -> o.id() == id)
                .findFirst()
                .orElseThrow();
    }

    /** Stores an orphan order's outcome: a fill (FILLED/PARTIAL/REJECTED), or REJECTED/UNKNOWN with an error. */
    public void settleOrphanOrder(long id, OrderStatus status, Fill fill, String error, Instant now) {
        writeUse(h -> h.createUpdate("""
                        UPDATE orphan_orders SET status = :st, filled_qty = :fq, avg_price = :px, fee = :fee,
                            error = :err, updated_at = :t WHERE id = :id""")
                .bind("st", status.name())
                .bind("fq", text(fill == null ? BigDecimal.ZERO : fill.filledQty()))
                .bind("px", fill == null || fill.filledQty().signum() == 0 ? null : text(fill.avgPrice()))
                .bind("fee", text(fill == null || fill.fee() == null ? BigDecimal.ZERO : fill.fee()))
                .bind("err", error)
                .bind("t", now.toEpochMilli())
                .bind("id", id)
                .execute());
    }

    /** Orphan orders on one venue market, oldest first. */
    public List<OrphanOrder> orphanOrders(Venue venue, String symbol) {
        return with(h -> h.createQuery(
                        "SELECT * FROM orphan_orders WHERE venue = :venue AND symbol = :symbol ORDER BY id")
                .bind("venue", venue.configName())
                .bind("symbol", symbol)
                .map((rs, ctx) -> new OrphanOrder(
                        rs.getLong("id"),
                        Venue.parse(rs.getString("venue")),
                        rs.getString("symbol"),
                        rs.getString("client_id"),
                        OrderSide.valueOf(rs.getString("side")),
                        dec(rs, "qty"),
                        OrderStatus.valueOf(rs.getString("status")),
                        dec(rs, "filled_qty"),
                        rs.getString("error"),
                        instant(rs, "created_at")))
                .list());
    }

    // ------------------------------------------------------------------ reads

    /**
     * A pair with its legs and orders, read in one transaction. A book in memory takes them from
     * its rows under the write lock instead: no write commits between the three reads.
     */
    public PairSnapshot snapshot(long pairId) {
        if (rows != null) {
            writes.lock();
            try {
                HedgePair pair = pair(pairId).orElseThrow(() -> new IllegalStateException("no pair " + pairId));
                return new PairSnapshot(pair, legs(pairId), orders(pairId));
            } finally {
                writes.unlock();
            }
        }
        return inTx(h -> new PairSnapshot(
                h.createQuery("SELECT * FROM hedge_pairs WHERE id = :id")
                        .bind("id", pairId)
                        .map(Store::mapPair)
                        .one(),
                h.createQuery(
                                "SELECT * FROM positions WHERE pair_id = :id ORDER BY CASE side WHEN 'LONG' THEN 0 ELSE 1 END")
                        .bind("id", pairId)
                        .map(Store::mapLeg)
                        .list(),
                h.createQuery("SELECT * FROM orders WHERE pair_id = :id ORDER BY id")
                        .bind("id", pairId)
                        .map(Store::mapOrder)
                        .list()));
    }

    public Optional<HedgePair> pair(long id) {
        if (rows != null) {
            return Optional.ofNullable(rows.pair(id));
        }
        return with(h -> h.createQuery("SELECT * FROM hedge_pairs WHERE id = :id")
                .bind("id", id)
                .map(Store::mapPair)
                .findOne());
    }

    /**
     * Pairs in any of the given statuses, oldest first. Statuses that are all active are picked
     * from one read of the active pairs: the trader asks for several such sets at every step.
     */
    public List<HedgePair> pairs(Collection<PairStatus> statuses) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        int mask = StatusMask.mask(statuses);
        if ((mask & ~ACTIVE) == 0) {
            if (rows != null) {
                return rows.activePairs(mask);
            }
            List<HedgePair> active = activePairs();
            if (mask == ACTIVE) {
                return active;
            }
            List<HedgePair> out = new ArrayList<>(active.size());
            for (HedgePair p : active) {
                if ((mask & StatusMask.bit(p.status())) != 0) {
                    out.add(p);
                }
            }
            return List.copyOf(out);
        }
        return readPairs(statuses);
    }

    /** The active pairs (OPENING, OPEN, CLOSING, UNHEDGED), oldest first. */
    private List<HedgePair> activePairs() {
        if (rows != null) {
            return rows.activePairs();
        }
        return with(READ_ACTIVE_PAIRS);
    }

    private List<HedgePair> readPairs(Collection<PairStatus> statuses) {
        return with(h -> queryPairs(h, statuses));
    }

    private static List<HedgePair> queryPairs(Handle h, Collection<PairStatus> statuses) {
        return h.createQuery("SELECT * FROM hedge_pairs WHERE status IN (" + inList(statuses) + ") ORDER BY id")
                .map(Store::mapPair)
                .list();
    }

    /** Sum of the net PnL of every pair that ended (closed, rolled back, failed) at or after {@code since}. */
    public BigDecimal netPnlEndedSince(Instant since) {
        if (rows != null) {
            return rows.netPnlEndedSince(since);
        }
        return with(h -> h
                .createQuery("SELECT net_pnl FROM hedge_pairs WHERE closed_at >= :t AND net_pnl IS NOT NULL")
                .bind("t", since.toEpochMilli())
                .mapTo(String.class)
                .list()
                .stream()
                .map(BigDecimal::new)
                .reduce(BigDecimal.ZERO, BigDecimal::add));
    }

    /** Every pair that ended (closed, rolled back, failed) at or after {@code since}, oldest first. */
    public List<HedgePair> pairsEndedSince(Instant since) {
        if (rows != null) {
            return rows.pairsEndedSince(since);
        }
        return with(h -> h.createQuery("SELECT * FROM hedge_pairs WHERE closed_at >= :t ORDER BY closed_at, id")
                .bind("t", since.toEpochMilli())
                .map(Store::mapPair)
                .list());
    }

    /** Sum of the last unrealized PnL the monitor stored for legs still held by active pairs. */
    public BigDecimal unrealizedOfActivePairs() {
        if (rows != null) {
            BigDecimal sum = BigDecimal.ZERO;
            for (Leg leg : activeLegs()) {
                // held <> '0': the held quantity is stored as its plain text, "0" when none
                if (leg.size() != null && leg.size().signum() != 0) {
                    BigDecimal u = held.unrealized(leg.id(), leg.unrealizedPnl());
                    if (u != null) {
                        sum = sum.add(u);
                    }
                }
            }
            return sum;
        }
        // a book in a file: nothing held to lay over, no memo
        List<BigDecimal> stored = with(h ->
                h.createQuery("""
                        SELECT p.unrealized_pnl FROM positions p JOIN hedge_pairs h ON h.id = p.pair_id
                        WHERE h.status IN ('OPENING', 'OPEN', 'CLOSING', 'UNHEDGED') AND p.held <> '0'
                        ORDER BY p.id""").map((rs, ctx) -> dec(rs, "unrealized_pnl")).list());
        BigDecimal sum = BigDecimal.ZERO;
        for (BigDecimal u : stored) {
            if (u != null) {
                sum = sum.add(u);
            }
        }
        return sum;
    }

    /** Closed pairs, newest first. */
    public List<HedgePair> closedPairs(int limit) {
        return with(h -> h.createQuery("""
                        SELECT * FROM hedge_pairs WHERE status = 'CLOSED'
                        ORDER BY closed_at DESC, id DESC LIMIT :n""").bind("n", limit).map(Store::mapPair).list());
    }

    /**
     * Every closed pair whose close time is in [{@code since}, {@code until}), newest first; a
     * null bound is open.
     */
    public List<HedgePair> closedPairs(Instant since, Instant until) {
        return with(h -> h.createQuery("""
                        SELECT * FROM hedge_pairs WHERE status = 'CLOSED'
                          AND closed_at >= :since AND closed_at < :until
                        ORDER BY closed_at DESC, id DESC""")
                .bind("since", since == null ? Long.MIN_VALUE : since.toEpochMilli())
                .bind("until", until == null ? Long.MAX_VALUE : until.toEpochMilli())
                .map(Store::mapPair)
                .list());
    }

    /** The legs of the pairs {@link #closedPairs(Instant, Instant)} returns, by pair id, LONG first. */
    public List<Leg> legsOfClosedPairs(Instant since, Instant until) {
        return with(h -> h.createQuery("""
                        SELECT l.* FROM positions l JOIN hedge_pairs p ON p.id = l.pair_id
                        WHERE p.status = 'CLOSED' AND p.closed_at >= :since AND p.closed_at < :until
                        ORDER BY l.pair_id, CASE l.side WHEN 'LONG' THEN 0 ELSE 1 END""")
                .bind("since", since == null ? Long.MIN_VALUE : since.toEpochMilli())
                .bind("until", until == null ? Long.MAX_VALUE : until.toEpochMilli())
                .map(Store::mapLeg)
                .list());
    }

    /** The orders of the pairs {@link #closedPairs(Instant, Instant)} returns, oldest first. */
    public List<OrderRecord> ordersOfClosedPairs(Instant since, Instant until) {
        return with(h -> h.createQuery("""
                        SELECT o.* FROM orders o JOIN hedge_pairs p ON p.id = o.pair_id
                        WHERE p.status = 'CLOSED' AND p.closed_at >= :since AND p.closed_at < :until
                        ORDER BY o.id""")
                .bind("since", since == null ? Long.MIN_VALUE : since.toEpochMilli())
                .bind("until", until == null ? Long.MAX_VALUE : until.toEpochMilli())
                .map(Store::mapOrder)
                .list());
    }

    /** The legs of every pair in any of {@code statuses}, by pair id, LONG first. */
    public List<Leg> legsOf(Collection<PairStatus> statuses) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        return marked(readLegsOf(statuses));
    }

    /** For a book in memory: the legs of the active pairs as the table holds them (no held marks laid over). */
    private List<Leg> activeLegs() {
        return rows.activeLegs();
    }

    private List<Leg> readLegsOf(Collection<PairStatus> statuses) {
        return with(h -> queryLegsOf(h, statuses));
    }

    private static List<Leg> queryLegsOf(Handle h, Collection<PairStatus> statuses) {
        return h.createQuery("SELECT l.* FROM positions l JOIN hedge_pairs p ON p.id = l.pair_id"
                        + " WHERE p.status IN (" + inList(statuses) + ")"
                        + " ORDER BY l.pair_id, CASE l.side WHEN 'LONG' THEN 0 ELSE 1 END")
                .map(Store::mapLeg)
                .list();
    }

    /** The orders of every pair in any of {@code statuses}, oldest first. */
    public List<OrderRecord> ordersOf(Collection<PairStatus> statuses) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        return with(h -> h.createQuery("SELECT o.* FROM orders o JOIN hedge_pairs p ON p.id = o.pair_id"
                        + " WHERE p.status IN (" + inList(statuses) + ") ORDER BY o.id")
                .map(Store::mapOrder)
                .list());
    }

    /**
     * The monitor's marks of a pair nearest {@code at} with both legs' marks: the latest at or
     * before it and the earliest at or after it (none, one or two).
     */
    public List<PairMark> marksAround(long pairId, Instant at) {
        // a book in memory holds rows newer than any in the table (those the thinning kept, then
        // the rest): its latest at or before wins, the table's earliest at or after does
        long t = at.toEpochMilli();
        Mark heldBefore = held == null ? null : held.around(pairId, t, true);
        Mark heldAfter = held == null ? null : held.around(pairId, t, false);
        String both = "pair_id = :id AND long_mark IS NOT NULL AND short_mark IS NOT NULL";
        Optional<Mark> before = heldBefore != null
                ? Optional.of(heldBefore)
                : readNow(h -> h.createQuery("SELECT * FROM marks WHERE " + both
                                + " AND at <= :at ORDER BY at DESC, id DESC LIMIT 1")
                        .bind("id", pairId)
                        .bind("at", t)
                        .map(Store::mapMark)
                        .findOne());
        Optional<Mark> after = held != null && t > marksTableUntil
                ? Optional.empty() // no row in the table is that late
                : readNow(h -> h.createQuery(
                                "SELECT * FROM marks WHERE " + both + " AND at >= :at ORDER BY at, id LIMIT 1")
                        .bind("id", pairId)
                        .bind("at", t)
                        .map(Store::mapMark)
                        .findOne());
        if (after.isEmpty() && heldAfter != null) {
            after = Optional.of(heldAfter);
        }
        List<PairMark> out = new ArrayList<>();
        before.ifPresent(m -> out.add(new PairMark(m.at(), asStored(m.longMark()), asStored(m.shortMark()))));
        after.ifPresent(m -> out.add(new PairMark(m.at(), asStored(m.longMark()), asStored(m.shortMark()))));
        return out;
    }

    /**
     * Hands every collateral ratio the monitor stored to {@code each}, oldest first: each mark
     * row gives its long venue's and its short venue's ratio (a ratio stored as NULL, a venue
     * with no requirement, is left out). Read as a stream: a year of marks is never all in memory.
     */
    public void eachCollateralRatio(Consumer<VenueRatio> each) {
        // a book in memory hands over the rows it holds after those in the table, which are older
        List<Mark> heldRows = held == null ? List.of() : held.heldMarks();
        use(h -> h.createQuery("""
                        SELECT m.at, p.long_venue, p.short_venue, m.long_venue_ratio, m.short_venue_ratio
                        FROM marks m JOIN hedge_pairs p ON p.id = m.pair_id ORDER BY m.at, m.id""")
                .map((rs, ctx) -> new RatioRow(
                        Instant.ofEpochMilli(rs.getLong("at")),
                        Venue.parse(rs.getString("long_venue")),
                        Venue.parse(rs.getString("short_venue")),
                        dec(rs, "long_venue_ratio"),
                        dec(rs, "short_venue_ratio")))
                .useStream(rows -> rows.forEach(r -> {
                    if (r.longRatio() != null) {
                        each.accept(new VenueRatio(r.longVenue(), r.at(), r.longRatio()));
                    }
                    if (r.shortRatio() != null) {
                        each.accept(new VenueRatio(r.shortVenue(), r.at(), r.shortRatio()));
                    }
                })));
        Map<Long, HedgePair> pairsOfRows = new HashMap<>();
        for (Mark m : heldRows) {
            HedgePair p = pairsOfRows.computeIfAbsent(m.pairId(), id -> pair(id).orElseThrow());
            if (m.longVenueRatio() != null) {
                each.accept(new VenueRatio(p.longVenue(), m.at(), asStored(ratio(m.longVenueRatio()))));
            }
            if (m.shortVenueRatio() != null) {
                each.accept(new VenueRatio(p.shortVenue(), m.at(), asStored(ratio(m.shortVenueRatio()))));
            }
        }
    }

    /** {@code v} as its column gives it back: stored as its plain text without trailing zeros. */
    static BigDecimal asStored(BigDecimal v) {
        if (v == null) {
            return null;
        }
        // what new BigDecimal(text(v)) gives back, without the text: plain text has no exponent,
        // so a value that strips to a negative scale (1E+3) comes back as an integer (1000)
        BigDecimal stripped = v.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private record RatioRow(
            Instant at, Venue longVenue, Venue shortVenue, BigDecimal longRatio, BigDecimal shortRatio) {}

    /**
     * A set of statuses as a bit mask, so the trader's many reads of active pairs per step neither
     * copy the set nor compare enums one by one.
     */
    private static final class StatusMask {
        private StatusMask() {}

        private static final PairStatus[] ALL = PairStatus.values();

        static int mask(Collection<PairStatus> statuses) {
            // asked for every read of pairs: contains, where iterating would make an iterator
            int mask = 0;
            for (PairStatus status : ALL) {
                if (statuses.contains(status)) {
                    mask |= bit(status);
                }
            }
            return mask;
        }

        static int bit(PairStatus status) {
            return 1 << status.ordinal();
        }
    }

    /** The active statuses as a {@link StatusMask} mask. */
    private static final int ACTIVE = StatusMask.mask(PairStatus.active());

    private static final Set<PairStatus> ACTIVE_STATUSES = Collections.unmodifiableSet(PairStatus.active());
    private static final HandleCallback<List<HedgePair>, RuntimeException> READ_ACTIVE_PAIRS =
            h -> queryPairs(h, ACTIVE_STATUSES);

    /**
     * The statuses as an SQL list of literals ('OPEN', 'CLOSING'), in their declared order. They
     * are the enum's own names, never outside input, and written into the SQL so a statement
     * needs no template expansion (see {@link #configure}); each set of statuses is its own
     * prepared statement.
     */
    private static String inList(Collection<PairStatus> statuses) {
        StringBuilder out = new StringBuilder();
        for (PairStatus status : EnumSet.copyOf(statuses)) {
            out.append(out.length() == 0 ? "'" : ", '").append(status.name()).append('\'');
        }
        return out.toString();
    }

    /**
     * The pair's legs, LONG first. A book in memory picks an active pair's legs from its one
     * read of every active leg, which the monitor, the opening checks and the closer all ask for.
     */
    public List<Leg> legs(long pairId) {
        if (rows != null) {
            return marked(rows.legs(pairId));
        }
        return with(h -> h.createQuery(
                        "SELECT * FROM positions WHERE pair_id = :id ORDER BY CASE side WHEN 'LONG' THEN 0 ELSE 1 END")
                .bind("id", pairId)
                .map(Store::mapLeg)
                .list());
    }

    public List<OrderRecord> orders(long pairId) {
        if (rows != null) {
            return rows.orders(pairId);
        }
        return with(h -> h.createQuery("SELECT * FROM orders WHERE pair_id = :id ORDER BY id")
                .bind("id", pairId)
                .map(Store::mapOrder)
                .list());
    }

    public Optional<OrderRecord> order(long id) {
        if (rows != null) {
            return Optional.ofNullable(rows.order(id));
        }
        return with(h -> h.createQuery("SELECT * FROM orders WHERE id = :id")
                .bind("id", id)
                .map(Store::mapOrder)
                .findOne());
    }

    /** Every order ever recorded, oldest first. */
    public List<OrderRecord> allOrders() {
        return with(h -> h.createQuery("SELECT * FROM orders ORDER BY id")
                .map(Store::mapOrder)
                .list());
    }

    public Optional<Mark> latestMark(long pairId) {
        writeHeldMarks();
        return with(h -> h.createQuery("SELECT * FROM marks WHERE pair_id = :id ORDER BY at DESC, id DESC LIMIT 1")
                .bind("id", pairId)
                .map(Store::mapMark)
                .findOne());
    }

    public int markCount(long pairId) {
        writeHeldMarks();
        return with(h -> h.createQuery("SELECT COUNT(*) FROM marks WHERE pair_id = :id")
                .bind("id", pairId)
                .mapTo(Integer.class)
                .one());
    }

    /** Newest first. */
    public List<AlertRow> alerts(int limit) {
        return with(h -> h.createQuery("SELECT * FROM alerts ORDER BY at DESC, id DESC LIMIT :n")
                .bind("n", limit)
                .map((rs, ctx) -> new AlertRow(
                        rs.getLong("id"),
                        Instant.ofEpochMilli(rs.getLong("at")),
                        rs.getString("level"),
                        rs.getString("kind"),
                        nullableLong(rs, "pair_id"),
                        rs.getString("venue"),
                        rs.getString("message")))
                .list());
    }

    // ------------------------------------------------------------------ mapping

    private static HedgePair mapPair(ResultSet rs, StatementContext ctx) throws SQLException {
        return new HedgePair(
                rs.getLong("id"),
                rs.getString("asset"),
                Venue.parse(rs.getString("long_venue")),
                Venue.parse(rs.getString("short_venue")),
                Mode.valueOf(rs.getString("mode")),
                dec(rs, "leverage"),
                dec(rs, "quantity"),
                dec(rs, "notional"),
                PairStatus.valueOf(rs.getString("status")),
                rs.getLong("duration_ms"),
                instant(rs, "created_at"),
                instant(rs, "opened_at"),
                instant(rs, "close_at"),
                instant(rs, "closed_at"),
                rs.getString("close_reason"),
                dec(rs, "realized_pnl"),
                dec(rs, "fees"),
                dec(rs, "funding"),
                dec(rs, "volume"),
                dec(rs, "points"));
    }

    private static Leg mapLeg(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Leg(
                rs.getLong("id"),
                rs.getLong("pair_id"),
                Venue.parse(rs.getString("venue")),
                rs.getString("symbol"),
                Side.valueOf(rs.getString("side")),
                dec(rs, "held"),
                dec(rs, "size"),
                dec(rs, "closed_qty"),
                dec(rs, "entry_price"),
                dec(rs, "exit_price"),
                dec(rs, "current_price"),
                dec(rs, "unrealized_pnl"),
                dec(rs, "realized_pnl"),
                dec(rs, "fees"),
                dec(rs, "funding"),
                LegStatus.valueOf(rs.getString("status")),
                instant(rs, "suspect_since"),
                rs.getString("suspect_reason"));
    }

    private static OrderRecord mapOrder(ResultSet rs, StatementContext ctx) throws SQLException {
        return new OrderRecord(
                rs.getLong("id"),
                rs.getLong("pair_id"),
                rs.getLong("position_id"),
                Venue.parse(rs.getString("venue")),
                rs.getString("symbol"),
                rs.getString("client_id"),
                OrderPurpose.valueOf(rs.getString("purpose")),
                OrderSide.valueOf(rs.getString("side")),
                dec(rs, "qty"),
                OrderStatus.valueOf(rs.getString("status")),
                dec(rs, "filled_qty"),
                dec(rs, "avg_price"),
                dec(rs, "fee"),
                rs.getInt("priced") == 1,
                rs.getString("venue_order_id"),
                rs.getString("error"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                dec(rs, "limit_price"));
    }

    private static Mark mapMark(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Mark(
                rs.getLong("pair_id"),
                instant(rs, "at"),
                dec(rs, "long_mark"),
                dec(rs, "short_mark"),
                dec(rs, "long_upnl"),
                dec(rs, "short_upnl"),
                dec(rs, "long_venue_ratio"),
                dec(rs, "short_venue_ratio"),
                dec(rs, "divergence"));
    }

    private static BigDecimal dec(ResultSet rs, String col) throws SQLException {
        String s = rs.getString(col);
        return s == null ? null : new BigDecimal(s);
    }

    private static Instant instant(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Long nullableLong(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    /** Decimals a ratio is stored with. */
    private static final int RATIO_SCALE = 4;

    /** 10^k as a double, for {@link #ratio}. */
    private static final double[] POWERS_OF_TEN = new double[40];

    static {
        for (int k = 0; k < POWERS_OF_TEN.length; k++) {
            POWERS_OF_TEN[k] = Double.parseDouble("1e" + k);
        }
    }

    /**
     * A ratio as stored: 4 decimals are all that is meaningful ({@code setScale(4, HALF_EVEN)}).
     * The monitor's ratios are quotients of 34 digits, and rounding one in decimal is a long
     * division at every tick; the double nearest it is within a few parts in 10^16, so when the
     * ratio's fifth decimal and beyond are more than a millionth of a unit away from a half, its
     * rounding is that of the double, exactly. Otherwise (about one in a million) it is rounded
     * in decimal, as it always was.
     */
    static BigDecimal ratio(BigDecimal v) {
        if (v == null) {
            return null;
        }
        int drop = v.scale() - RATIO_SCALE;
        if (drop <= 0) {
            return v.setScale(RATIO_SCALE); // padded with zeros: nothing to round
        }
        if (drop < POWERS_OF_TEN.length) {
            double units = v.unscaledValue().doubleValue() / POWERS_OF_TEN[drop];
            double fraction = units - Math.floor(units);
            if (Math.abs(units) < 1e9 && Math.abs(fraction - 0.5) > 1e-6) {
                return BigDecimal.valueOf(Math.round(units), RATIO_SCALE);
            }
        }
        return v.setScale(RATIO_SCALE, RoundingMode.HALF_EVEN);
    }

    private static String text(BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros().toPlainString();
    }

    private static void requireOne(int updated, long pairId, PairStatus from, PairStatus to) {
        if (updated != 1) {
            throw new IllegalStateException(
                    "pair " + pairId + " is not " + from + " (wanted " + from + " -> " + to + ")");
        }
    }
}
