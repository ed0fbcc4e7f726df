package dev.perptrader.config;

/**
 * A configuration value broke a rule. The message is one line that names the key and the rule,
 * for example {@code trading.min_leverage (3.5) must be <= trading.max_leverage (3.0)}, and never
 * contains a secret value: print it as it is and stop before anything trades.
 */
public final class ConfigError extends RuntimeException {

    public ConfigError(String message) {
        super(oneLine(message));
    }

    public ConfigError(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
