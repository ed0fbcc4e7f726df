package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.notify.AlertSinks;
import dev.perptrader.notify.TelegramBot;
import dev.perptrader.notify.TelegramCommands;
import dev.perptrader.store.Store;
import dev.perptrader.trader.Orchestrator;
import java.security.SecureRandom;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What reaches the owner while {@code run} is active: the configured alert sinks, listening to the
 * run's alerts, and the Telegram commands when a bot is configured. Closing stops the commands
 * first, then gives the sinks a few seconds to send what is queued.
 */
final class OwnerChannels implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerChannels.class);

    private final AlertSinks sinks;
    private final TelegramBot bot;

    private OwnerChannels(AlertSinks sinks, TelegramBot bot) {
        this.sinks = sinks;
        this.bot = bot;
    }

    /** Starts the sinks and the Telegram commands that {@code cfg} configures (none by default). */
    static OwnerChannels start(AppConfig cfg, Store store, Orchestrator orchestrator, Clock clock) {
        AlertSinks sinks = AlertSinks.fromConfig(cfg.alerts(), clock);
        if (!sinks.isEmpty()) {
            sinks.start();
            orchestrator.alerts().addListener(sinks::offer);
            LOG.info("alerts also go to: {}", String.join(", ", sinks.names()));
        }
        TelegramBot bot = null;
        AppConfig.Telegram telegram = cfg.alerts().telegram();
        if (telegram.enabled()) {
            TelegramCommands commands = new TelegramCommands(
                    telegram.chatId(),
                    telegram.allowedChatIds(),
                    new BotControl(store, orchestrator),
                    new SecureRandom());
            bot = new TelegramBot(sinks.telegramApi(), commands, clock);
            bot.start();
        }
        return new OwnerChannels(sinks, bot);
    }

    @Override
    public void close() {
        if (bot != null) {
            bot.close();
        }
        sinks.close();
    }
}
