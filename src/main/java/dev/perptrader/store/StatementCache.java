package dev.perptrader.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteConnectionConfig;

/**
 * Prepared statements kept open on one connection, by SQL text and shape, so the same SQL is
 * prepared once per connection instead of once per call (preparing is most of the cost of a short
 * SQLite statement). A statement is lent by {@link #take} and comes back by {@link #giveBack}:
 * its result set closed, its parameters and batch cleared, ready for the next {@link #take} of
 * the same SQL. While it is lent (a nested use of the same SQL), {@link #take} prepares a second
 * one that is closed, not kept, when it comes back. At most {@code capacity} statements are kept;
 * the least recently used one not lent is closed to make room. Lives as long as its connection:
 * {@link #close} closes every statement it prepared. On a SQLite connection opened without
 * generated keys (the driver then skips reading the last row id after every INSERT), they are
 * turned on while a statement prepared to return them is lent.
 */
final class StatementCache implements AutoCloseable {
    /** How many statements a connection keeps by default. */
    static final int DEFAULT_CAPACITY = 200;

    private final Connection connection;
    private final int capacity;
    /** Kept statements, lent or idle, least recently taken first. */
    private final LinkedHashMap<Key, Slot> kept = new LinkedHashMap<>(64, 0.75f, true);
    /** Statements lent now, each with its slot, or with {@link #EXTRA} when it is not kept. */
    private final Map<Statement, Slot> lent = new IdentityHashMap<>();

    /** Lent statements prepared to return generated keys. */
    private final Set<Statement> lentWithKeys = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The driver's settings of this connection when it was opened without generated keys; else null. */
    private final SQLiteConnectionConfig keysOff;

    private boolean closed;
    private long prepared;

    StatementCache(Connection connection, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity < 1: " + capacity);
        }
        this.connection = connection;
        this.capacity = capacity;
        this.keysOff = keysOff(connection);
    }

    private static SQLiteConnectionConfig keysOff(Connection connection) {
        try {
            if (connection.isWrapperFor(SQLiteConnection.class)) {
                SQLiteConnectionConfig config =
                        connection.unwrap(SQLiteConnection.class).getConnectionConfig();
                return config.isGetGeneratedKeys() ? null : config;
            }
        } catch (SQLException e) {
            // a connection that cannot say is left as it is
        }
        return null;
    }

    /** What a statement is prepared for: its SQL and how its results and generated keys are read. */
    record Key(String sql, boolean returnsKeys, List<String> keyColumns, boolean updatable) {
        static Key plain(String sql) {
            return new Key(sql, false, List.of(), false);
        }
    }

    private static final class Slot {
        final Key key;
        final PreparedStatement statement;
        boolean inUse;

        Slot(Key key, PreparedStatement statement) {
            this.key = key;
            this.statement = statement;
        }
    }

    /** Marks a lent statement that is closed when it comes back (prepared while its SQL's own was lent). */
    private static final Slot EXTRA = new Slot(Key.plain(""), null);

    /** A statement for {@code key}, ready to bind; give it back with {@link #giveBack}. */
    synchronized PreparedStatement take(Key key) throws SQLException {
        if (closed) {
            throw new SQLException("statement cache closed");
        }
        PreparedStatement s = lend(key);
        if (key.returnsKeys() && keysOff != null) {
            lentWithKeys.add(s);
            keysOff.setGetGeneratedKeys(true);
        }
        return s;
    }

    private PreparedStatement lend(Key key) throws SQLException {
        Slot slot = kept.get(key);
        if (slot != null && !slot.inUse) {
            slot.inUse = true;
            lent.put(slot.statement, slot);
            return slot.statement;
        }
        PreparedStatement fresh = prepare(key);
        prepared++;
        if (slot != null) {
            lent.put(fresh, EXTRA);
            return fresh;
        }
        Slot added = new Slot(key, fresh);
        added.inUse = true;
        kept.put(key, added);
        lent.put(fresh, added);
        evictBeyondCapacity();
        return fresh;
    }

    private PreparedStatement prepare(Key key) throws SQLException {
        if (key.returnsKeys()) {
            return key.keyColumns().isEmpty()
                    ? connection.prepareStatement(key.sql(), Statement.RETURN_GENERATED_KEYS)
                    : connection.prepareStatement(key.sql(), key.keyColumns().toArray(new String[0]));
        }
        return connection.prepareStatement(
                key.sql(),
                ResultSet.TYPE_FORWARD_ONLY,
                key.updatable() ? ResultSet.CONCUR_UPDATABLE : ResultSet.CONCUR_READ_ONLY);
    }

    private void evictBeyondCapacity() {
        Iterator<Slot> eldestFirst = kept.values().iterator();
        while (kept.size() > capacity && eldestFirst.hasNext()) {
            Slot s = eldestFirst.next();
            if (!s.inUse) {
                eldestFirst.remove();
                closeQuietly(s.statement);
            }
        }
    }

    /**
     * Takes back a statement lent by {@link #take}: kept for the next use of its SQL, or closed if
     * it was an extra one, was evicted meanwhile, or this cache is closed. A statement this cache
     * did not lend is closed.
     */
    synchronized void giveBack(Statement statement) throws SQLException {
        if (lentWithKeys.remove(statement) && lentWithKeys.isEmpty()) {
            keysOff.setGetGeneratedKeys(false);
        }
        Slot slot = lent.remove(statement);
        if (slot == null || slot == EXTRA || closed || kept.get(slot.key) != slot) {
            statement.close();
            return;
        }
        try {
            if (statement.isClosed()) {
                kept.remove(slot.key);
                return;
            }
            reset(slot.statement);
            slot.inUse = false;
        } catch (SQLException | RuntimeException e) {
            kept.remove(slot.key);
            closeQuietly(slot.statement);
            throw e;
        }
    }

    /**
     * Leaves {@code s} as a fresh one: no open result set (which would keep SQLite's read snapshot),
     * no parameters or batch from this use, and no row limit or timeout set for this use only.
     */
    private static void reset(PreparedStatement s) throws SQLException {
        s.getMoreResults(Statement.CLOSE_CURRENT_RESULT);
        s.clearBatch();
        s.clearParameters();
        if (s.getMaxRows() != 0) {
            s.setMaxRows(0);
        }
        if (s.getQueryTimeout() != 0) {
            s.setQueryTimeout(0);
        }
    }

    /**
     * Closes the statements still lent (their users are gone: the handle that took them has
     * ended); kept idle ones stay for the connection's next user.
     */
    synchronized void closeLent() {
        for (Map.Entry<Statement, Slot> e : new ArrayList<>(lent.entrySet())) {
            Slot slot = e.getValue();
            if (slot != EXTRA) {
                kept.remove(slot.key);
            }
            closeQuietly(e.getKey());
        }
        lent.clear();
        keysBackOff();
    }

    private void keysBackOff() {
        if (!lentWithKeys.isEmpty()) {
            lentWithKeys.clear();
            keysOff.setGetGeneratedKeys(false);
        }
    }

    /** Closes every statement this cache prepared; a statement given back later is closed then. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Slot s : kept.values()) {
            closeQuietly(s.statement);
        }
        kept.clear();
        for (Statement s : lent.keySet()) {
            closeQuietly(s);
        }
        lent.clear();
        keysBackOff();
    }

    /** Statements kept (idle or lent), for tests. */
    synchronized int keptCount() {
        return kept.size();
    }

    /** Statements prepared since this cache was made, for tests. */
    synchronized long preparedCount() {
        return prepared;
    }

    private static void closeQuietly(Statement s) {
        try {
            s.close();
        } catch (SQLException e) {
            // closing a SQLite statement fails only when its connection is already unusable
        }
    }
}
