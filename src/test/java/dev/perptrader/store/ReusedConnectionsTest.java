package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** Connections are opened once and lent again; a loan left mid-transaction comes back clean. */
final class ReusedConnectionsTest {
    @TempDir
    Path dir;

    private SQLiteDataSource file(String name) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve(name));
        return ds;
    }

    @Test
    void aReturnedConnectionIsTheOneLentNext() throws SQLException {
        ReusedConnections pool = new ReusedConnections(file("a.db"), 2);
        Connection first = pool.getConnection();
        Connection real = first.unwrap(Connection.class);
        first.close();

        assertThat(first.isClosed()).isTrue();
        assertThat(pool.idleCount()).isEqualTo(1);
        try (Connection second = pool.getConnection()) {
            assertThat(second.unwrap(Connection.class)).isSameAs(real);
            assertThat(pool.idleCount()).isZero();
        }
    }

    @Test
    void moreLoansThanKeptOpenNewConnectionsAndCloseTheSurplusOnReturn() throws SQLException {
        ReusedConnections pool = new ReusedConnections(file("b.db"), 1);
        Connection a = pool.getConnection();
        Connection b = pool.getConnection();
        Connection realB = b.unwrap(Connection.class);

        a.close();
        b.close();

        assertThat(pool.idleCount()).isEqualTo(1);
        assertThat(realB.isClosed()).isTrue();
    }

    @Test
    void aConnectionReturnedMidTransactionIsRolledBackAndBackInAutoCommit() throws SQLException {
        Jdbi jdbi = Jdbi.create(new ReusedConnections(file("c.db"), 1));
        jdbi.useHandle(h -> h.execute("CREATE TABLE t (x INTEGER)"));
        Connection c = jdbi.open().getConnection();
        c.setAutoCommit(false);
        c.createStatement().execute("INSERT INTO t VALUES (1)");
        c.close();

        boolean autoCommit = jdbi.withHandle(h -> h.getConnection().getAutoCommit());
        int rows = jdbi.withHandle(h ->
                h.createQuery("SELECT COUNT(*) FROM t").mapTo(Integer.class).one());
        assertThat(autoCommit).isTrue();
        assertThat(rows).isZero();
    }

    @Test
    void aReturnedLoanCannotBeUsedAgain() throws SQLException {
        ReusedConnections pool = new ReusedConnections(file("d.db"), 1);
        Connection c = pool.getConnection();
        c.close();
        c.close();

        assertThat(pool.idleCount()).isEqualTo(1);
        assertThatThrownBy(c::createStatement)
                .isInstanceOf(SQLException.class)
                .hasMessage("connection already returned");
    }
}
