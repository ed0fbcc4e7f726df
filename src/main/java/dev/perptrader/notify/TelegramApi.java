package dev.perptrader.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perptrader.config.Secret;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The two Bot API methods the bot uses: {@code sendMessage} and long-polling {@code getUpdates}.
 * The token is part of every URL ({@code {api_url}/bot{token}/METHOD}), so no URL, client
 * exception or response is ever shown as it is: every error text is built here and scrubbed.
 */
public final class TelegramApi {
    /** Telegram refuses a message longer than this. */
    static final int MAX_TEXT = 4096;

    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OkHttpClient client;
    private final OkHttpClient pollClient;
    private final HttpUrl base;
    private final Redactor redactor;
    private volatile Call poll;

    /**
     * As {@link #TelegramApi(OkHttpClient, String, Secret, Duration, Redactor)} without other secrets.
     */
    public TelegramApi(OkHttpClient client, String apiUrl, Secret token, Duration pollTimeout) {
        this(client, apiUrl, token, pollTimeout, Redactor.of());
    }

    /**
     * @param client      the sinks' short-timeout client, for sends
     * @param apiUrl      the Bot API's base URL (alerts.telegram.api_url)
     * @param pollTimeout how long one getUpdates may wait for an update; its client waits that
     *                    long plus the usual read timeout
     * @param others      more secrets to keep out of error texts (the webhook URL)
     */
    public TelegramApi(OkHttpClient client, String apiUrl, Secret token, Duration pollTimeout, Redactor others) {
        this.client = client;
        Duration wait = pollTimeout.plus(SinkHttp.READ_TIMEOUT);
        this.pollClient = client.newBuilder()
                .readTimeout(wait)
                .callTimeout(wait.plus(SinkHttp.CONNECT_TIMEOUT))
                .build();
        this.base = HttpUrl.get(apiUrl)
                .newBuilder()
                .addPathSegment("bot" + token.reveal())
                .build();
        this.redactor = Redactor.forToken(token.reveal()).and(others);
    }

    /** Sends {@code text} (cut to Telegram's 4096 characters) to {@code chatId}, as plain text. */
    public void sendMessage(long chatId, String text) throws DeliveryFailed {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("chat_id", chatId);
        body.put("text", AlertText.atMost(text, MAX_TEXT));
        body.put("disable_web_page_preview", true);
        call(client, "sendMessage", body, false);
    }

    /**
     * The updates after {@code offset} (every id below it is confirmed and never sent again),
     * waiting up to {@code timeoutSeconds} for one to arrive.
     */
    public List<TelegramUpdate> getUpdates(long offset, int timeoutSeconds) throws DeliveryFailed {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("offset", offset);
        body.put("timeout", timeoutSeconds);
        body.putArray("allowed_updates").add("message");
        JsonNode result = call(pollClient, "getUpdates", body, true);
        List<TelegramUpdate> updates = new ArrayList<>();
        for (JsonNode u : result) {
            JsonNode message = u.path("message");
            updates.add(new TelegramUpdate(
                    u.path("update_id").asLong(),
                    message.path("chat").path("id").asLong(),
                    message.path("text").asText("")));
        }
        return updates;
    }

    /** Cancels the getUpdates in flight, if any (on shutdown); sends in flight are left to finish. */
    void cancelPoll() {
        Call current = poll;
        if (current != null) {
            current.cancel();
        }
    }

    private JsonNode call(OkHttpClient http, String method, ObjectNode body, boolean isPoll) throws DeliveryFailed {
        Request request;
        try {
            request = new Request.Builder()
                    .url(base.newBuilder().addPathSegment(method).build())
                    .post(RequestBody.create(MAPPER.writeValueAsString(body), JSON))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Bot API request", e);
        }
        Call call = http.newCall(request);
        if (isPoll) {
            poll = call;
        }
        try (Response response = call.execute()) {
            String text = response.body() == null ? "" : response.body().string();
            JsonNode reply = parse(text);
            if (!response.isSuccessful() || reply == null || !reply.path("ok").asBoolean(false)) {
                throw new DeliveryFailed(refusal(response, reply));
            }
            return reply.path("result");
        } catch (IOException e) {
            throw new DeliveryFailed(SinkHttp.describe(e, redactor));
        }
    }

    /** "HTTP 401 Unauthorized", "HTTP 400 Bad Request: chat not found": with Telegram's own description. */
    private String refusal(Response response, JsonNode reply) {
        String description =
                reply == null ? "" : SinkHttp.clean(reply.path("description").asText(""), redactor);
        if (response.isSuccessful()) {
            return description.isEmpty()
                    ? "HTTP " + response.code() + " with a reply that is not Bot API JSON"
                    : "refused: " + description;
        }
        String reason = SinkHttp.clean(response.message(), redactor);
        if (description.isEmpty()) {
            return SinkHttp.status(response.code(), reason, redactor);
        }
        if (!reason.isEmpty() && !description.startsWith(reason)) {
            return "HTTP " + response.code() + " " + reason + ": " + description;
        }
        return "HTTP " + response.code() + " " + description;
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
