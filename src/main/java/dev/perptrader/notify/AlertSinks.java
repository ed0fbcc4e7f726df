package dev.perptrader.notify;

import dev.perptrader.config.AppConfig;
import dev.perptrader.trader.Alert;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * The configured sinks (alerts.webhook.*, alerts.telegram.*), each behind its own
 * {@link Dispatcher}. {@link #offer} is the listener to hand to {@code Alerts.addListener}.
 */
public final class AlertSinks implements AutoCloseable {
    /** How long the sinks may keep sending what is queued when the bot stops. */
    static final Duration DRAIN_ON_CLOSE = Duration.ofSeconds(5);

    /** One sink's answer to {@link #test}: delivered, or why not. */
    public record TestResult(String sink, Optional<String> failure) {
        public boolean delivered() {
            return failure.isEmpty();
        }

        /** "webhook (slack): delivered", "telegram: FAILED: HTTP 401 Unauthorized". */
        public String line() {
            return sink + ": " + failure.map(f -> "FAILED: " + f).orElse("delivered");
        }
    }

    private final AppConfig.Alerts cfg;
    private final OkHttpClient client;
    private final List<AlertSink> sinks;
    private final List<Dispatcher> dispatchers;

    private AlertSinks(AppConfig.Alerts cfg, OkHttpClient client, List<AlertSink> sinks, List<Dispatcher> dispatchers) {
        this.cfg = cfg;
        this.client = client;
        this.sinks = List.copyOf(sinks);
        this.dispatchers = List.copyOf(dispatchers);
    }

    /** The configured sinks, not yet started; none when neither sink is configured. */
    public static AlertSinks fromConfig(AppConfig.Alerts cfg, Clock clock) {
        return fromConfig(cfg, clock, Dispatcher.Tuning.DEFAULT, SinkHttp.client());
    }

    static AlertSinks fromConfig(AppConfig.Alerts cfg, Clock clock, Dispatcher.Tuning tuning, OkHttpClient client) {
        List<AlertSink> sinks = new ArrayList<>();
        List<Dispatcher> dispatchers = new ArrayList<>();
        Redactor all = secrets(cfg);
        AppConfig.Webhook webhook = cfg.webhook();
        if (webhook.enabled()) {
            AlertSink sink = new WebhookSink(client, webhook.url(), webhook.format(), all);
            sinks.add(sink);
            dispatchers.add(new Dispatcher(sink, webhook.minLevel(), webhook.throttle(), clock, tuning));
        }
        AppConfig.Telegram telegram = cfg.telegram();
        if (telegram.enabled()) {
            AlertSink sink = new TelegramSink(telegramApi(cfg, client), telegram.chatId());
            sinks.add(sink);
            dispatchers.add(new Dispatcher(sink, telegram.minLevel(), telegram.throttle(), clock, tuning));
        }
        return new AlertSinks(cfg, client, sinks, dispatchers);
    }

    /** The Bot API client of the configured bot, sharing the sinks' HTTP client; only when Telegram is on. */
    public TelegramApi telegramApi() {
        if (!cfg.telegram().enabled()) {
            throw new IllegalStateException("alerts.telegram is not configured");
        }
        return telegramApi(cfg, client);
    }

    private static TelegramApi telegramApi(AppConfig.Alerts cfg, OkHttpClient client) {
        AppConfig.Telegram telegram = cfg.telegram();
        return new TelegramApi(client, telegram.apiUrl(), telegram.botToken(), TelegramBot.POLL_TIMEOUT, secrets(cfg));
    }

    /** Every configured secret: each sink scrubs them all, so no receiver can echo another's back into a log. */
    private static Redactor secrets(AppConfig.Alerts cfg) {
        Redactor all = Redactor.of();
        if (cfg.webhook().enabled()) {
            all = all.and(Redactor.forUrl(cfg.webhook().url().reveal()));
        }
        if (cfg.telegram().enabled()) {
            all = all.and(Redactor.forToken(cfg.telegram().botToken().reveal()));
        }
        return all;
    }

    /**
     * One line per sink for {@code check}: "webhook: on (slack)", "telegram: on (chat 123)" (and
     * how many more chats may send commands), or "off"; never a URL or token.
     */
    public static List<String> describe(AppConfig.Alerts cfg) {
        AppConfig.Webhook w = cfg.webhook();
        AppConfig.Telegram t = cfg.telegram();
        String webhook = w.enabled() ? "on (" + w.format().name().toLowerCase(Locale.ROOT) + ")" : "off";
        String telegram = t.enabled()
                ? "on (chat " + t.chatId()
                        + (t.allowedChatIds().isEmpty()
                                ? ""
                                : "; commands also from " + t.allowedChatIds().size() + " more chat(s)")
                        + ")"
                : "off";
        return List.of("webhook: " + webhook, "telegram: " + telegram);
    }

    public boolean isEmpty() {
        return sinks.isEmpty();
    }

    /** The sinks' names, e.g. [webhook (json), telegram]. */
    public List<String> names() {
        return sinks.stream().map(AlertSink::name).toList();
    }

    /** Starts each sink's sending thread. */
    public void start() {
        dispatchers.forEach(Dispatcher::start);
    }

    /** Hands {@code alert} to every sink's queue; never blocks (an {@code Alerts} listener). */
    public void offer(Alert alert) {
        for (Dispatcher d : dispatchers) {
            d.offer(alert);
        }
    }

    /**
     * Sends {@code alert} to every sink now, once each, on this thread, ignoring level and
     * throttle; for {@code alerts test}.
     */
    public List<TestResult> test(Alert alert) {
        List<TestResult> results = new ArrayList<>();
        for (AlertSink sink : sinks) {
            try {
                sink.deliver(alert);
                results.add(new TestResult(sink.name(), Optional.empty()));
            } catch (DeliveryFailed e) {
                results.add(new TestResult(sink.name(), Optional.of(e.getMessage())));
            }
        }
        return results;
    }

    List<Dispatcher> dispatchers() {
        return dispatchers;
    }

    /** Gives queued alerts a few seconds to go out, then frees the threads and connections. */
    @Override
    public void close() {
        for (Dispatcher d : dispatchers) {
            d.close(DRAIN_ON_CLOSE);
        }
        SinkHttp.shutdown(client);
    }
}
