package dev.perptrader.domain;

import java.util.Locale;

/** Where prices and fills come from. */
public enum Mode {
    SIM,
    PAPER,
    LIVE,
    /**
     * Not a mode to run in: what a database written by {@code perp-trader simulate} records, so
     * it is never taken for a sim run's book (and {@code history}, {@code status} and
     * {@code report} read it as what it is).
     */
    SIMULATE;

    public static Mode parse(String name) {
        for (Mode m : values()) {
            if (m.name().equalsIgnoreCase(name.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + name + "' (known: sim, paper, live, simulate)");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
