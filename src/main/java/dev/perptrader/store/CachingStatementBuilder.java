package dev.perptrader.store;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A Jdbi statement builder that reuses prepared statements: a handle's statements come from the
 * {@link StatementCache} of its connection and go back to it when Jdbi closes them. A connection
 * lent by {@link ReusedConnections} brings its own cache, which lives as long as the connection,
 * across handles; any other connection gets a cache for the handle's life, closed with it.
 * Install with {@code jdbi.setStatementBuilderFactory(CachingStatementBuilder.FACTORY)}.
 */
public final class CachingStatementBuilder implements StatementBuilder {
    /** Builds one per handle; see the class comment. */
    public static final StatementBuilderFactory FACTORY = CachingStatementBuilder::forConnection;

    private static final StatementBuilder PLAIN = new DefaultStatementBuilder();

    private final StatementCache cache;
    /** Whether the cache is this handle's own, closed with it, rather than its connection's. */
    private final boolean owned;

    private CachingStatementBuilder(StatementCache cache, boolean owned) {
        this.cache = cache;
        this.owned = owned;
    }

    private static StatementBuilder forConnection(Connection connection) {
        try {
            if (connection.isWrapperFor(StatementCache.class)) {
                return new CachingStatementBuilder(connection.unwrap(StatementCache.class), false);
            }
        } catch (SQLException e) {
            // a connection that cannot say gets a cache of its own
        }
        return new CachingStatementBuilder(new StatementCache(connection, StatementCache.DEFAULT_CAPACITY), true);
    }

    /** A plain statement (scripts): never kept. */
    @Override
    public Statement create(Connection conn, StatementContext ctx) throws SQLException {
        return PLAIN.create(conn, ctx);
    }

    @Override
    public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
        return cache.take(key(sql, ctx));
    }

    private static StatementCache.Key key(String sql, StatementContext ctx) {
        if (!ctx.isReturningGeneratedKeys()) {
            return new StatementCache.Key(sql, false, List.of(), ctx.isConcurrentUpdatable());
        }
        String[] columns = ctx.getGeneratedKeysColumnNames();
        return new StatementCache.Key(sql, true, columns == null ? List.of() : List.of(columns), false);
    }

    /** Stored procedure calls (SQLite has none): never kept. */
    @Override
    public CallableStatement createCall(Connection conn, String sql, StatementContext ctx) throws SQLException {
        return PLAIN.createCall(conn, sql, ctx);
    }

    /**
     * Jdbi is done with {@code stmt}: a statement from the cache goes back to it; any other
     * (a script's, a call's) is closed. {@code sql} is not used: Jdbi passes the SQL as written,
     * with named parameters, not the text that was prepared.
     */
    @Override
    public void close(Connection conn, String sql, Statement stmt) throws SQLException {
        if (stmt != null) {
            cache.giveBack(stmt);
        }
    }

    /**
     * The handle ends: statements it never gave back are closed; the rest stay with the connection
     * when the cache is the connection's, and are closed when it is the handle's own.
     */
    @Override
    public void close(Connection conn) {
        if (owned) {
            cache.close();
        } else {
            cache.closeLent();
        }
    }
}
