package dev.perptrader.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Keeps up to {@code keep} SQLite connections open and hands them out again, instead of opening
 * the file for every call (opening costs about 0.7 ms; a query on an open connection about
 * 0.15 ms). It never blocks: when every kept connection is in use, a new one is opened, and a
 * returned connection beyond {@code keep} is closed. Closing a handed-out connection returns it,
 * rolled back to auto-commit if a transaction was left open. Each connection carries a
 * {@link StatementCache} ({@code unwrap(StatementCache.class)} on a lent connection), which
 * lives, and is closed, with it: {@link CachingStatementBuilder} prepares through it.
 */
final class ReusedConnections implements DataSource, AutoCloseable {
    private final DataSource source;
    private final int statementsPerConnection;
    private final BlockingQueue<Kept> idle;
    private volatile boolean closed;

    ReusedConnections(DataSource source, int keep) {
        this(source, keep, StatementCache.DEFAULT_CAPACITY);
    }

    ReusedConnections(DataSource source, int keep, int statementsPerConnection) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep < 1: " + keep);
        }
        if (statementsPerConnection < 1) {
            throw new IllegalArgumentException("statementsPerConnection < 1: " + statementsPerConnection);
        }
        this.source = source;
        this.statementsPerConnection = statementsPerConnection;
        this.idle = new ArrayBlockingQueue<>(keep);
    }

    /** An open connection and the statements prepared on it. */
    private record Kept(Connection real, StatementCache statements) {
        void close() throws SQLException {
            statements.close();
            real.close();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        Kept k;
        while ((k = idle.poll()) != null) {
            if (!k.real().isClosed()) {
                return lend(k);
            }
            k.statements().close();
        }
        Connection real = source.getConnection();
        return lend(new Kept(real, new StatementCache(real, statementsPerConnection)));
    }

    /** How many open connections wait to be reused (for tests). */
    int idleCount() {
        return idle.size();
    }

    private Connection lend(Kept kept) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, new Lent(kept));
    }

    private void giveBack(Kept kept) throws SQLException {
        Connection real = kept.real();
        if (real.isClosed()) {
            kept.statements().close();
            return;
        }
        try {
            if (!real.getAutoCommit()) {
                real.rollback();
                real.setAutoCommit(true);
            }
        } catch (SQLException e) {
            kept.close();
            throw e;
        }
        if (closed || !idle.offer(kept)) {
            kept.close();
        }
        if (closed) {
            closeIdle();
        }
    }

    /** Closes the kept connections; connections still lent are closed when returned. */
    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    private void closeIdle() {
        Kept k;
        while ((k = idle.poll()) != null) {
            try {
                k.close();
            } catch (SQLException e) {
                // closing a SQLite connection only fails if it is already unusable
            }
        }
    }

    /**
     * One loan: close() returns the connection once; after that the proxy acts closed. It unwraps
     * to its connection's {@link StatementCache}.
     */
    private final class Lent implements InvocationHandler {
        private final Kept kept;
        private final Connection real;
        private boolean returned;

        Lent(Kept kept) {
            this.kept = kept;
            this.real = kept.real();
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close":
                    if (!returned) {
                        returned = true;
                        giveBack(kept);
                    }
                    return null;
                case "isClosed":
                    return returned || real.isClosed();
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "reused " + real;
                default:
                    if (returned) {
                        throw new SQLException("connection already returned");
                    }
                    if (args != null && args.length == 1 && args[0] == StatementCache.class) {
                        if (method.getName().equals("isWrapperFor")) {
                            return true;
                        }
                        if (method.getName().equals("unwrap")) {
                            return kept.statements();
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return source.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        source.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        source.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return source.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return source.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return source.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || source.isWrapperFor(iface);
    }
}
