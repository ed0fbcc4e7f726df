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
 * rolled back to auto-commit if a transaction was left open.
 */
final class ReusedConnections implements DataSource, AutoCloseable {
    private final DataSource source;
    private final BlockingQueue<Connection> idle;
    private volatile boolean closed;

    ReusedConnections(DataSource source, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep < 1: " + keep);
        }
        this.source = source;
        this.idle = new ArrayBlockingQueue<>(keep);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c;
        while ((c = idle.poll()) != null) {
            if (!c.isClosed()) {
                return lend(c);
            }
        }
        return lend(source.getConnection());
    }

    /** How many open connections wait to be reused (for tests). */
    int idleCount() {
        return idle.size();
    }

    private Connection lend(Connection real) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, new Lent(real));
    }

    private void giveBack(Connection real) throws SQLException {
        if (real.isClosed()) {
            return;
        }
        try {
            if (!real.getAutoCommit()) {
                real.rollback();
                real.setAutoCommit(true);
            }
        } catch (SQLException e) {
            real.close();
            throw e;
        }
        if (closed || !idle.offer(real)) {
            real.close();
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
        Connection c;
        while ((c = idle.poll()) != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing a SQLite connection only fails if it is already unusable
            }
        }
    }

    /** One loan: close() returns the connection once; after that the proxy acts closed. */
    private final class Lent implements InvocationHandler {
        private final Connection real;
        private boolean returned;

        Lent(Connection real) {
            this.real = real;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close":
                    if (!returned) {
                        returned = true;
                        giveBack(real);
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
