package dev.perptrader.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perptrader.domain.Leg;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * {@link Health} as the JSON that {@code GET /health} answers and {@code health.json} holds, named
 * like the {@code status --format json} fields: {@code status} ("ok" or "unhealthy"),
 * {@code checked_at}, {@code started_at}, {@code last_tick_at}, {@code last_tick_age_seconds},
 * {@code venues}, {@code opening}, {@code unhedged_pairs}, {@code suspect_legs}, {@code reasons}.
 * Times are ISO-8601 UTC to the millisecond.
 */
final class HealthJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HealthJson() {}

    static String of(Health h) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("status", h.ok() ? "ok" : "unhealthy");
        root.put("checked_at", iso(h.checkedAt()));
        root.put("started_at", iso(h.startedAt()));
        root.put("last_tick_at", h.lastTickAt().map(HealthJson::iso).orElse(null));
        root.put("last_tick_age_seconds", h.lastTickAgeSeconds());
        ArrayNode venues = root.putArray("venues");
        for (Health.VenueHealth v : h.venues()) {
            ObjectNode n = venues.addObject();
            n.put("venue", v.venue().configName());
            if (v.reach() == Health.Reach.NOT_READ) {
                n.putNull("reachable");
            } else {
                n.put("reachable", v.reach() == Health.Reach.REACHABLE);
            }
            n.put("last_ok_at", v.lastOkAt().map(HealthJson::iso).orElse(null));
            n.put("unreachable_since", v.unreachableSince().map(HealthJson::iso).orElse(null));
            n.put("unreachable_seconds", v.unreachableSeconds());
            n.put("last_error", v.lastError().orElse(null));
        }
        ObjectNode opening = root.putObject("opening");
        if (h.pause().isPresent()) {
            opening.put("state", "paused");
            opening.put("cause", h.pause().get().cause());
            opening.put("paused_at", iso(h.pause().get().pausedAt()));
        } else {
            opening.put("state", "allowed");
        }
        ArrayNode unhedged = root.putArray("unhedged_pairs");
        h.unhedgedPairs().forEach(unhedged::add);
        ArrayNode suspect = root.putArray("suspect_legs");
        for (Leg leg : h.suspectLegs()) {
            ObjectNode n = suspect.addObject();
            n.put("pair_id", leg.pairId());
            n.put("side", leg.side().name());
            n.put("venue", leg.venue().configName());
            n.put("symbol", leg.symbol());
            n.put("suspect_since", iso(leg.suspectSince()));
            n.put("suspect_reason", leg.suspectReason());
        }
        ArrayNode reasons = root.putArray("reasons");
        h.reasons().forEach(reasons::add);
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ISO-8601 UTC to the millisecond, as the database keeps times. */
    private static String iso(Instant t) {
        return Optional.ofNullable(t)
                .map(x -> x.truncatedTo(ChronoUnit.MILLIS).toString())
                .orElse(null);
    }
}
