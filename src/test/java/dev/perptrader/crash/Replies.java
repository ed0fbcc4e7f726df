package dev.perptrader.crash;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The few reply shapes the crash venues answer with, and request helpers they share. */
final class Replies {
    static final ObjectMapper JSON = new ObjectMapper();

    private Replies() {}

    static ResponseDefinition json(int status, JsonNode body) {
        return json(status, body.toString(), 0);
    }

    static ResponseDefinition json(int status, String body) {
        return json(status, body, 0);
    }

    /** A JSON reply sent {@code delayMs} after the request was acted on. */
    static ResponseDefinition json(int status, String body, int delayMs) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(body)
                .withFixedDelay(delayMs)
                .build();
    }

    static ResponseDefinition text(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/plain")
                .withBody(body)
                .build();
    }

    static ResponseDefinition empty() {
        return aResponse().withStatus(200).build();
    }

    static String path(Request r) {
        return URI.create(r.getUrl()).getPath();
    }

    /** The query parameter's value, or null when absent. */
    static String query(Request r, String key) {
        return r.queryParameter(key).isPresent() ? r.queryParameter(key).firstValue() : null;
    }

    /** The body as a JSON tree, or null when it is not JSON. */
    static JsonNode body(Request r) {
        try {
            JsonNode node = JSON.readTree(r.getBodyAsString());
            return node == null || !node.isObject() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    /** A naive UTC datetime, as Backpack's history endpoints write times. */
    static String naiveUtc(long epochMs) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC)
                .toString();
    }
}
