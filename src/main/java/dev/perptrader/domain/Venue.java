package dev.perptrader.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The exchanges perp-trader knows. Config names are the lower-case enum names. */
public enum Venue {
    BACKPACK,
    HIBACHI;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config name ("backpack"); throws with the list of known venues otherwise. */
    public static Venue parse(String name) {
        for (Venue v : values()) {
            if (v.configName().equalsIgnoreCase(name.trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown venue '" + name + "' (known: " + known() + ")");
    }

    public static String known() {
        return Arrays.stream(values()).map(Venue::configName).collect(Collectors.joining(", "));
    }
}
