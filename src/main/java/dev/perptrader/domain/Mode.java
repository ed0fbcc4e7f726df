package dev.perptrader.domain;

import java.util.Locale;

/** Where prices and fills come from. */
public enum Mode {
    SIM,
    PAPER,
    LIVE;

    public static Mode parse(String name) {
        for (Mode m : values()) {
            if (m.name().equalsIgnoreCase(name.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + name + "' (known: sim, paper, live)");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
