package dev.perptrader.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.ParsedSql;
import org.jdbi.v3.core.statement.SqlParser;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * The SQL parser of every Jdbi here: {@code :name} is a named parameter, {@code ?} a positional
 * one, and nothing inside quotes ({@code '…'}, {@code "…"}) or after {@code --} on a line is
 * either; {@code ::} stays as written. Jdbi's own colon parser reads the same syntax with a
 * generated lexer, which costs a start-up and the compiler a second of work for statements
 * that are fixed strings: each is scanned once and kept. No statement uses Jdbi's
 * {@code <attribute>} templates, so none is expanded ({@link TemplateEngine#NOP}).
 */
public final class NamedParameters implements SqlParser {
    private static final NamedParameters INSTANCE = new NamedParameters();

    /** Every SQL text seen: a fixed set of statements (the status lists give a few variants). */
    private final Map<String, ParsedSql> parsed = new ConcurrentHashMap<>();

    private NamedParameters() {}

    /** Installs the parser and turns templates off on {@code jdbi}; returns it. */
    public static Jdbi install(Jdbi jdbi) {
        SqlStatements statements = jdbi.getConfig(SqlStatements.class);
        statements.setSqlParser(INSTANCE);
        statements.setTemplateEngine(TemplateEngine.NOP);
        return jdbi;
    }

    @Override
    public ParsedSql parse(String sql, StatementContext ctx) {
        return parsed.computeIfAbsent(sql, NamedParameters::scan);
    }

    @Override
    public String nameParameter(String rawName, StatementContext ctx) {
        return ":" + rawName;
    }

    static ParsedSql scan(String sql) {
        ParsedSql.Builder out = ParsedSql.builder();
        StringBuilder text = new StringBuilder();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = sql.indexOf(c, i + 1);
                end = end < 0 ? n : end + 1; // '' inside a literal closes and reopens it: the same text
                text.append(sql, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                text.append(sql, i, end);
                i = end;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                text.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < n && startsName(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && inName(sql.charAt(end))) {
                    end++;
                }
                out.append(text.toString());
                text.setLength(0);
                out.appendNamedParameter(sql.substring(i + 1, end));
                i = end;
            } else if (c == '?') {
                out.append(text.toString());
                text.setLength(0);
                out.appendPositionalParameter();
                i++;
            } else {
                text.append(c);
                i++;
            }
        }
        out.append(text.toString());
        return out.build();
    }

    private static boolean startsName(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean inName(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.';
    }
}
