package dev.perptrader.crash;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * Reads the bot's SQLite database (WAL, so reading never blocks the bot): the states the test
 * waits for while a bot runs, on one connection kept for polling, and the whole {@link Book} once
 * none runs. Never creates the file.
 */
final class BotDatabase implements AutoCloseable {
    private final Path file;
    private Connection polling;

    BotDatabase(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The highest order id so far; 0 before the first order (or the first run). */
    long lastOrderId() throws SQLException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Connection c = connect();
                ResultSet rs = c.createStatement().executeQuery("SELECT COALESCE(MAX(id), 0) FROM orders")) {
            return rs.getLong(1);
        }
    }

    /**
     * The first order recorded after {@code afterId} with {@code purpose} (any purpose when null);
     * empty while there is none, or while the database is still being created.
     */
    Optional<Long> orderAfter(long afterId, String purpose) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String sql = "SELECT MIN(id) FROM orders WHERE id > ?" + (purpose == null ? "" : " AND purpose = ?");
        try {
            if (polling == null) {
                polling = connect();
            }
            try (PreparedStatement ps = polling.prepareStatement(sql)) {
                ps.setLong(1, afterId);
                if (purpose != null) {
                    ps.setString(2, purpose);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    long id = rs.getLong(1);
                    return rs.wasNull() ? Optional.empty() : Optional.of(id);
                }
            }
        } catch (SQLException schemaNotThereYet) {
            close();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (polling != null) {
            try {
                polling.close();
            } catch (SQLException ignored) {
                // a read-only use: nothing to lose
            } finally {
                polling = null;
            }
        }
    }

    /** Everything the book holds; read when no bot process is running. */
    Book book() throws SQLException {
        List<Book.Pair> pairs = new ArrayList<>();
        List<Book.LegRow> legs = new ArrayList<>();
        List<Book.OrderRow> orders = new ArrayList<>();
        Set<String> orphans = new HashSet<>();
        try (Connection c = connect()) {
            try (ResultSet rs =
                    c.createStatement().executeQuery("SELECT id, asset, status FROM hedge_pairs ORDER BY id")) {
                while (rs.next()) {
                    pairs.add(new Book.Pair(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
            try (ResultSet rs = c.createStatement()
                    .executeQuery("SELECT id, pair_id, venue, symbol, side, held FROM positions ORDER BY id")) {
                while (rs.next()) {
                    legs.add(new Book.LegRow(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            new BigDecimal(rs.getString(6))));
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("""
                    SELECT id, pair_id, position_id, venue, symbol, client_id, purpose, side, qty, status, filled_qty
                    FROM orders ORDER BY id""")) {
                while (rs.next()) {
                    orders.add(new Book.OrderRow(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            new BigDecimal(rs.getString(9)),
                            rs.getString(10),
                            new BigDecimal(rs.getString(11))));
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT venue, client_id FROM orphan_orders")) {
                while (rs.next()) {
                    orphans.add(rs.getString(1) + "/" + rs.getString(2));
                }
            }
        }
        return new Book(pairs, legs, orders, orphans);
    }

    private Connection connect() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    }
}
