package dev.perptrader.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perptrader.config.AppConfig.WebhookFormat;
import dev.perptrader.config.Secret;
import dev.perptrader.trader.Alert;
import java.util.Locale;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * POSTs each alert as JSON to a URL: {@code json} (level, kind, pair_id, venue, message, at,
 * text), {@code slack} ({@code {"text": ...}}) or {@code discord} ({@code {"content": ...}}, at
 * most 2000 characters, Discord's limit). Any 2xx is delivered. The URL is a secret: errors are
 * scrubbed of it.
 */
public final class WebhookSink implements AlertSink {
    /** Discord refuses a message longer than this. */
    static final int DISCORD_MAX = 2000;

    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OkHttpClient client;
    private final HttpUrl url;
    private final WebhookFormat format;
    private final Redactor redactor;

    public WebhookSink(OkHttpClient client, Secret url, WebhookFormat format) {
        this(client, url, format, Redactor.of());
    }

    /** @param others more secrets to keep out of error texts (the other sinks') */
    public WebhookSink(OkHttpClient client, Secret url, WebhookFormat format, Redactor others) {
        this.client = client;
        this.url = HttpUrl.get(url.reveal());
        this.format = format;
        this.redactor = Redactor.forUrl(url.reveal()).and(others);
    }

    @Override
    public String name() {
        return "webhook (" + format.name().toLowerCase(Locale.ROOT) + ")";
    }

    @Override
    public void deliver(Alert alert) throws DeliveryFailed {
        Request request = new Request.Builder()
                .url(url)
                .post(RequestBody.create(body(alert, format), JSON))
                .build();
        SinkHttp.execute(client, request, redactor);
    }

    /** The JSON body sent for {@code alert} in {@code format}. */
    static String body(Alert alert, WebhookFormat format) {
        ObjectNode root = MAPPER.createObjectNode();
        switch (format) {
            case JSON -> {
                root.put("level", alert.level().name());
                root.put("kind", alert.kind().name());
                if (alert.pairId() == null) {
                    root.putNull("pair_id");
                } else {
                    root.put("pair_id", alert.pairId());
                }
                root.put("venue", alert.venue() == null ? null : alert.venue().configName());
                root.put("message", alert.message());
                root.put("at", alert.at().toString());
                root.put("text", AlertText.of(alert));
            }
            case SLACK -> root.put("text", AlertText.of(alert));
            case DISCORD -> root.put("content", AlertText.atMost(AlertText.of(alert), DISCORD_MAX));
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an alert as JSON", e);
        }
    }
}
