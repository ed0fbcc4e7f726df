package dev.perptrader.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.ParsedSql;
import org.junit.jupiter.api.Test;

/** The scanner reads SQL as Jdbi's own colon parser does, statement for statement. */
final class NamedParametersTest {
    private static final List<String> STATEMENTS = List.of(
            "SELECT value FROM sim_meta WHERE key = :key",
            """
            INSERT INTO opening_gate (id, reason, checked_at) VALUES (1, :r, :t)
            ON CONFLICT (id) DO UPDATE SET reason = :r, checked_at = :t""",
            "SELECT * FROM hedge_pairs WHERE status IN ('OPEN', 'CLOSING') ORDER BY id",
            "SELECT l.* FROM positions l WHERE l.side = 'LONG' AND l.note = 'a :notParam' AND l.q = 'it''s :x'",
            "SELECT \"weird:col\" FROM t WHERE a = :a_1 AND b = :b.c",
            "SELECT CAST(x AS TEXT)::text FROM t WHERE y = ?",
            "SELECT 1 -- a comment with :nope\nFROM t WHERE z = :z",
            "DELETE FROM marks WHERE at < :before AND id NOT IN (SELECT MIN(id) FROM marks WHERE at < :before)",
            "PRAGMA user_version",
            "SELECT ':' || name FROM t WHERE n = :n");

    @Test
    void everyStatementParsesAsWithJdbisColonParser() {
        ColonPrefixSqlParser jdbi = new ColonPrefixSqlParser();
        for (String sql : STATEMENTS) {
            ParsedSql expected = jdbi.parse(sql, null);
            ParsedSql ours = NamedParameters.scan(sql);
            assertThat(ours.getSql()).as(sql).isEqualTo(expected.getSql());
            assertThat(ours.getParameters().getParameterNames())
                    .as(sql)
                    .isEqualTo(expected.getParameters().getParameterNames());
            assertThat(ours.getParameters().isPositional())
                    .as(sql)
                    .isEqualTo(expected.getParameters().isPositional());
        }
    }

    @Test
    void namesAreFoundAndTextIsKept() {
        ParsedSql p = NamedParameters.scan("UPDATE t SET a = :a WHERE id = :id AND s = 'x:y'");
        assertThat(p.getSql()).isEqualTo("UPDATE t SET a = ? WHERE id = ? AND s = 'x:y'");
        assertThat(p.getParameters().getParameterNames()).containsExactly("a", "id");
    }
}
