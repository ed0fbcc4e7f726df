package dev.perptrader.crash;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perptrader.domain.Venue;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sqlite.SQLiteConfig;

/**
 * What the venues themselves received and hold, never what the bot says: every order each venue
 * acted on (its own order log, in arrival order) and its net position per symbol. Keys are
 * {@code VENUE/clientId} and {@code VENUE/symbol}, venues named as in the bot's database.
 */
record VenueRecord(List<Order> orders, Map<String, BigDecimal> positions) {

    /** One order a venue acted on; {@code filled} is zero when it executed nothing. */
    record Order(
            String venue,
            String clientId,
            String symbol,
            String side,
            BigDecimal qty,
            boolean reduceOnly,
            BigDecimal filled) {
        String key() {
            return venue + "/" + clientId;
        }

        boolean executed() {
            return filled.signum() > 0;
        }

        /** +filled for a buy, −filled for a sell. */
        BigDecimal signedFill() {
            return "BUY".equals(side) ? filled : filled.negate();
        }
    }

    /** The simulated venues' own records, from sim mode's state file (orders and positions). */
    static VenueRecord ofSim(Path stateFile) throws SQLException {
        List<Order> orders = new ArrayList<>();
        Map<String, BigDecimal> positions = new TreeMap<>();
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateFile, config.toProperties())) {
            try (ResultSet rs = c.createStatement().executeQuery("""
                    SELECT venue, client_id, symbol, side, requested_qty, reduce_only, filled_qty
                    FROM sim_order ORDER BY created_at, rowid""")) {
                while (rs.next()) {
                    orders.add(new Order(
                            bookName(rs.getString(1)),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            new BigDecimal(rs.getString(5)),
                            rs.getInt(6) != 0,
                            new BigDecimal(rs.getString(7))));
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT venue, symbol, qty FROM sim_position")) {
                while (rs.next()) {
                    BigDecimal qty = new BigDecimal(rs.getString(3));
                    if (qty.signum() != 0) {
                        positions.put(bookName(rs.getString(1)) + "/" + rs.getString(2), qty);
                    }
                }
            }
        }
        return new VenueRecord(orders, positions);
    }

    /** The sim state file names venues by enum name ("BACKPACK"), the book by config name ("backpack"). */
    private static String bookName(String simVenue) {
        return Venue.parse(simVenue).configName();
    }

    /** The venue processes' own records, from their {@code /__crash/} endpoints, per venue name. */
    static VenueRecord ofLive(HttpClient http, Map<String, URI> venues) throws IOException, InterruptedException {
        List<Order> orders = new ArrayList<>();
        Map<String, BigDecimal> positions = new TreeMap<>();
        for (Map.Entry<String, URI> v : venues.entrySet()) {
            for (JsonNode o : get(http, v.getValue().resolve("/__crash/executed"))) {
                orders.add(new Order(
                        v.getKey(),
                        o.path("clientId").asText(),
                        o.path("symbol").asText(),
                        o.path("side").asText(),
                        new BigDecimal(o.path("qty").asText()),
                        o.path("reduceOnly").asBoolean(),
                        new BigDecimal(o.path("filled").asText())));
            }
            JsonNode held = get(http, v.getValue().resolve("/__crash/positions"));
            for (Iterator<Map.Entry<String, JsonNode>> it = held.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                positions.put(
                        v.getKey() + "/" + p.getKey(),
                        new BigDecimal(p.getValue().asText()));
            }
        }
        return new VenueRecord(orders, positions);
    }

    private static JsonNode get(HttpClient http, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + uri + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return Replies.JSON.readTree(r.body());
    }
}
