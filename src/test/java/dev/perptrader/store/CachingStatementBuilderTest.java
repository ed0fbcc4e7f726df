package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * Prepared statements are reused per connection: the same SQL on the same connection gets the
 * same statement once the last use closed it, a nested use gets its own, no binding outlives its
 * use, and every statement is closed with its connection.
 */
final class CachingStatementBuilderTest {
    private static final String BY_ID = "SELECT name FROM t WHERE id = :id";

    @TempDir
    Path dir;

    private SQLiteDataSource source;

    @BeforeEach
    void table() {
        source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + dir.resolve("t.db"));
        Jdbi.create(source).useHandle(h -> {
            h.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
            h.execute("INSERT INTO t (id, name) VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        });
    }

    private static Jdbi caching(javax.sql.DataSource ds) {
        Jdbi jdbi = Jdbi.create(ds);
        jdbi.setStatementBuilderFactory(CachingStatementBuilder.FACTORY);
        return jdbi;
    }

    /** The statement a query by id ran on (read while it was in use). */
    private static Statement statementOf(Handle h, int id) {
        return h.createQuery(BY_ID)
                .bind("id", id)
                .map((rs, ctx) -> ctx.getStatement())
                .one();
    }

    @Test
    void theSameSqlOnTheSameConnectionGetsTheSameStatementAfterItsUseClosed() throws SQLException {
        ReusedConnections pool = new ReusedConnections(source, 1);
        Jdbi jdbi = caching(pool);

        Statement first = jdbi.withHandle(h -> statementOf(h, 1));
        Statement again = jdbi.withHandle(h -> statementOf(h, 2));
        Statement sameHandle = jdbi.withHandle(h -> {
            statementOf(h, 1);
            return statementOf(h, 3);
        });

        assertThat(again).as("a later handle on the kept connection").isSameAs(first);
        assertThat(sameHandle).as("two uses in one handle").isSameAs(first);
        assertThat(first.isClosed()).isFalse();
        pool.close();
    }

    @Test
    void aNestedUseOfTheSameSqlGetsAFreshStatementThatIsClosedAfterwards() throws SQLException {
        ReusedConnections pool = new ReusedConnections(source, 1);
        Jdbi jdbi = caching(pool);
        List<Statement> seen = new ArrayList<>();

        List<String> names = jdbi.withHandle(h -> h.createQuery(BY_ID)
                .bind("id", 1)
                .map((rs, ctx) -> {
                    seen.add(ctx.getStatement());
                    String inner = h.createQuery(BY_ID)
                            .bind("id", 2)
                            .map((rs2, ctx2) -> {
                                seen.add(ctx2.getStatement());
                                return rs2.getString("name");
                            })
                            .one();
                    return rs.getString("name") + "/" + inner;
                })
                .list());
        Statement outer = seen.get(0);
        Statement nested = seen.get(1);

        assertThat(names).containsExactly("one/two");
        assertThat(nested).isNotSameAs(outer);
        assertThat(nested.isClosed()).as("the extra statement is not kept").isTrue();
        assertThat(outer.isClosed()).isFalse();
        Statement third = jdbi.withHandle(h -> statementOf(h, 3));
        assertThat(third).isSameAs(outer);
        pool.close();
    }

    @Test
    void noStatementIsSharedAcrossConnections() throws SQLException {
        ReusedConnections pool = new ReusedConnections(source, 2);
        Jdbi jdbi = caching(pool);

        try (Handle a = jdbi.open();
                Handle b = jdbi.open()) {
            Statement onA = statementOf(a, 1);
            Statement onB = statementOf(b, 1);

            assertThat(onB).isNotSameAs(onA);
            assertThat(onA.getConnection()).isSameAs(a.getConnection().unwrap(Connection.class));
            assertThat(onB.getConnection()).isSameAs(b.getConnection().unwrap(Connection.class));
            assertThat(statementOf(a, 2)).isSameAs(onA);
            assertThat(statementOf(b, 2)).isSameAs(onB);
        }
        pool.close();
    }

    @Test
    void bindingsOfAnEarlierUseNeverReachALaterOne() throws SQLException {
        ReusedConnections pool = new ReusedConnections(source, 1);
        Jdbi jdbi = caching(pool);
        String isNull = "SELECT :v IS NULL";

        List<String> names = new ArrayList<>();
        for (int id : new int[] {1, 3, 2, 3}) {
            names.add(jdbi.withHandle(
                    h -> h.createQuery(BY_ID).bind("id", id).mapTo(String.class).one()));
        }
        PreparedStatement kept = (PreparedStatement) jdbi.withHandle(h -> h.createQuery(isNull)
                .bind("v", 7)
                .map((rs, ctx) -> ctx.getStatement())
                .one());
        boolean unboundAfterReturn;
        try (ResultSet rs = kept.executeQuery()) {
            rs.next();
            unboundAfterReturn = rs.getBoolean(1);
        }

        assertThat(names).containsExactly("one", "three", "two", "three");
        assertThat(unboundAfterReturn)
                .as("the kept statement's parameter was cleared when it came back")
                .isTrue();
        pool.close();
    }

    @Test
    void aResultSetLeftOpenIsClosedWhenItsStatementComesBack() throws SQLException {
        try (Connection c = source.getConnection();
                StatementCache cache = new StatementCache(c, 10)) {
            PreparedStatement s = cache.take(StatementCache.Key.plain("SELECT id FROM t ORDER BY id"));
            ResultSet rs = s.executeQuery();
            rs.next();

            cache.giveBack(s);

            assertThat(rs.isClosed()).isTrue();
            assertThat(s.isClosed()).isFalse();
            assertThat(cache.take(StatementCache.Key.plain("SELECT id FROM t ORDER BY id")))
                    .isSameAs(s);
        }
    }

    @Test
    void generatedKeysAreReadFromAReusedInsert() {
        ReusedConnections pool = new ReusedConnections(source, 1);
        Jdbi jdbi = caching(pool);

        List<Long> ids = new ArrayList<>();
        for (String name : List.of("four", "five")) {
            ids.add(jdbi.withHandle(h -> h.createUpdate("INSERT INTO t (name) VALUES (:n)")
                    .bind("n", name)
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one()));
        }

        assertThat(ids).containsExactly(4L, 5L);
        List<String> names = jdbi.withHandle(h -> h.createQuery("SELECT name FROM t WHERE id > 3 ORDER BY id")
                .mapTo(String.class)
                .list());
        assertThat(names).containsExactly("four", "five");
        pool.close();
    }

    @Test
    void everyStatementIsClosedWhenItsConnectionCloses() throws SQLException {
        ReusedConnections pool = new ReusedConnections(source, 1);
        Jdbi jdbi = caching(pool);
        Statement kept = jdbi.withHandle(h -> statementOf(h, 1));
        Statement surplus;
        try (Handle a = jdbi.open();
                Handle b = jdbi.open()) {
            statementOf(a, 1);
            surplus = statementOf(b, 1);
        }
        // one connection is kept open: the other one was closed on return, with its statements
        Statement keptAfterTwoLoans = jdbi.withHandle(h -> statementOf(h, 2));
        assertThat(List.of(kept, surplus).stream().filter(s -> !isClosed(s)))
                .as("the kept connection's statement stays open")
                .containsExactly(keptAfterTwoLoans);

        pool.close();

        assertThat(kept.isClosed()).isTrue();
        assertThat(surplus.isClosed()).isTrue();
    }

    @Test
    void aHandleOnAConnectionOfItsOwnClosesItsStatementsWhenItCloses() throws SQLException {
        Jdbi jdbi = caching(source);
        Statement first;
        Statement again;
        try (Handle h = jdbi.open()) {
            first = statementOf(h, 1);
            again = statementOf(h, 2);
        }

        assertThat(again).isSameAs(first);
        assertThat(first.isClosed()).isTrue();
    }

    @Test
    void theLeastRecentlyUsedStatementIsClosedToStayWithinCapacity() throws SQLException {
        ReusedConnections pool = new ReusedConnections(source, 1, 2);
        Jdbi jdbi = caching(pool);
        Statement byId = jdbi.withHandle(h -> statementOf(h, 1));
        Statement count = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM t")
                .map((rs, ctx) -> ctx.getStatement())
                .one());
        jdbi.withHandle(h -> statementOf(h, 2)); // by id is now the most recently used
        Statement max = jdbi.withHandle(h -> h.createQuery("SELECT MAX(id) FROM t")
                .map((rs, ctx) -> ctx.getStatement())
                .one());

        assertThat(count.isClosed()).isTrue();
        assertThat(byId.isClosed()).isFalse();
        assertThat(max.isClosed()).isFalse();
        Statement reused = jdbi.withHandle(h -> statementOf(h, 3));
        assertThat(reused).isSameAs(byId);
        pool.close();
    }

    @Test
    void aStatementNeverGivenBackIsClosedWhenItsUserLeaves() throws SQLException {
        try (Connection c = source.getConnection();
                StatementCache cache = new StatementCache(c, 10)) {
            StatementCache.Key key = StatementCache.Key.plain("SELECT 1");
            PreparedStatement abandoned = cache.take(key);
            PreparedStatement idle = cache.take(StatementCache.Key.plain("SELECT 2"));
            cache.giveBack(idle);

            cache.closeLent();

            assertThat(abandoned.isClosed()).isTrue();
            assertThat(idle.isClosed()).isFalse();
            assertThat(cache.keptCount()).isEqualTo(1);
            assertThat(cache.take(key)).isNotSameAs(abandoned);
        }
    }

    private static boolean isClosed(Statement s) {
        try {
            return s.isClosed();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
