package dev.perptrader.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Typed reads of single keys from the merged, resolved configuration, and the range checks that
 * go with them. Every failure is a {@link ConfigError} naming the key. {@link #text}, which
 * secrets go through, never puts the value in a message; the number, integer, boolean, path and
 * URL readers quote the offending value.
 */
final class ConfigReader {

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final int MAX_QUOTED = 60;

    private final Config config;

    ConfigReader(Config config) {
        this.config = config;
    }

    /** The raw text of a scalar (string, number as written, or boolean). */
    String text(String key) {
        ConfigValue v = value(key);
        return switch (v.valueType()) {
            case STRING, NUMBER, BOOLEAN -> v.atKey("v").getString("v");
            default -> throw new ConfigError(key + ": expected a single value, got " + typeName(v.valueType()));
        };
    }

    BigDecimal decimal(String key) {
        String s = text(key).strip();
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new ConfigError(key + ": not a number: " + quote(s));
        }
    }

    long integer(String key) {
        String s = text(key).strip();
        if (!INTEGER.matcher(s).matches()) {
            throw new ConfigError(key + ": not an integer: " + quote(s));
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ConfigError(key + ": out of range for a 64-bit integer: " + quote(s));
        }
    }

    boolean bool(String key) {
        String s = text(key).strip();
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigError(key + ": not a boolean: " + quote(s) + " (use true or false)");
        };
    }

    /** A HOCON list of scalars, or one string of comma-separated entries ("" is the empty list). */
    List<String> list(String key) {
        ConfigValue v = value(key);
        List<String> out = new ArrayList<>();
        if (v.valueType() == ConfigValueType.LIST) {
            for (ConfigValue item : config.getList(key)) {
                if (item.valueType() == ConfigValueType.LIST
                        || item.valueType() == ConfigValueType.OBJECT
                        || item.valueType() == ConfigValueType.NULL) {
                    throw new ConfigError(
                            key + ": list entries must be single values, got " + typeName(item.valueType()));
                }
                out.add(item.atKey("v").getString("v").strip());
            }
        } else {
            String s = text(key);
            if (s.isBlank()) {
                return List.of();
            }
            for (String part : s.split(",", -1)) {
                out.add(part.strip());
            }
        }
        for (String entry : out) {
            if (entry.isEmpty()) {
                throw new ConfigError(key + ": empty entry in the list");
            }
        }
        return out;
    }

    /** A file path, relative ones resolved against {@code base}. */
    Path path(String key, Path base) {
        String s = text(key).strip();
        if (s.isEmpty()) {
            throw new ConfigError(key + ": must not be empty");
        }
        try {
            return base.resolve(s).normalize();
        } catch (InvalidPathException e) {
            throw new ConfigError(key + ": invalid path: " + quote(s));
        }
    }

    /** An http(s) URL; trailing slashes are dropped so callers can append "/path". */
    String url(String key) {
        String s = text(key).strip();
        String lower = s.toLowerCase(Locale.ROOT);
        boolean scheme = lower.startsWith("http://") || lower.startsWith("https://");
        String host = scheme ? s.substring(s.indexOf("//") + 2).replaceAll("/+$", "") : "";
        if (!scheme || host.isEmpty() || host.startsWith("/")) {
            throw new ConfigError(key + ": must start with http:// or https:// and name a host: " + quote(s));
        }
        return s.replaceAll("/+$", "");
    }

    /**
     * {@code amount} units of {@code unitMillis} each, exactly, as a Duration; an amount that is
     * not a whole number of milliseconds or does not fit is an error (range checks come first).
     */
    static Duration duration(String key, BigDecimal amount, long unitMillis) {
        BigDecimal millis = amount.multiply(BigDecimal.valueOf(unitMillis)).stripTrailingZeros();
        if (millis.scale() > 0) {
            throw new ConfigError(key + " (" + amount.toPlainString() + ") must be a whole number of milliseconds");
        }
        try {
            return Duration.ofMillis(millis.longValueExact());
        } catch (ArithmeticException e) {
            throw new ConfigError(key + " (" + amount.toPlainString() + ") is too large");
        }
    }

    static void greaterThan(String key, BigDecimal v, BigDecimal bound) {
        require(v.compareTo(bound) > 0, key, v, "> " + bound.toPlainString());
    }

    static void atLeast(String key, BigDecimal v, BigDecimal bound) {
        require(v.compareTo(bound) >= 0, key, v, ">= " + bound.toPlainString());
    }

    static void lessThan(String key, BigDecimal v, BigDecimal bound) {
        require(v.compareTo(bound) < 0, key, v, "< " + bound.toPlainString());
    }

    static void atMost(String key, BigDecimal v, BigDecimal bound) {
        require(v.compareTo(bound) <= 0, key, v, "<= " + bound.toPlainString());
    }

    /** {@code key (v) must be <= otherKey (other)}. */
    static void atMostKey(String key, BigDecimal v, String otherKey, BigDecimal other) {
        require(v.compareTo(other) <= 0, key, v, "<= " + otherKey + " (" + other.toPlainString() + ")");
    }

    /** {@code key (v) must be < otherKey (other)}. */
    static void lessThanKey(String key, BigDecimal v, String otherKey, BigDecimal other) {
        require(v.compareTo(other) < 0, key, v, "< " + otherKey + " (" + other.toPlainString() + ")");
    }

    private static void require(boolean ok, String key, BigDecimal v, String rule) {
        if (!ok) {
            throw new ConfigError(key + " (" + shown(v) + ") must be " + rule);
        }
    }

    /** A value as written, unless writing it out in full would take hundreds of digits (1e309). */
    private static String shown(BigDecimal v) {
        String plain = v.toPlainString();
        return plain.length() > 24 ? v.toString() : plain;
    }

    /** A user-supplied value for a message: single-quoted, control characters replaced, shortened. */
    static String quote(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        if (clean.length() > MAX_QUOTED) {
            clean = clean.substring(0, MAX_QUOTED) + "...";
        }
        return "'" + clean + "'";
    }

    static String typeName(ConfigValueType type) {
        return switch (type) {
            case OBJECT -> "an object";
            case LIST -> "a list";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case STRING -> "a string";
        };
    }

    private ConfigValue value(String key) {
        if (!config.hasPathOrNull(key)) {
            throw new ConfigError(key + ": missing");
        }
        if (config.getIsNull(key)) {
            throw new ConfigError(key + ": must be set, got null");
        }
        return config.getValue(key);
    }
}
