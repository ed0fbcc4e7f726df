package dev.perptrader.config;

/** A credential. Its {@code toString()} never shows the value. */
public final class Secret {
    private static final Secret EMPTY = new Secret("");
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        return value == null || value.isBlank() ? EMPTY : new Secret(value.trim());
    }

    public static Secret empty() {
        return EMPTY;
    }

    /** The raw value; call only where it is used for signing or sent to the venue. */
    public String reveal() {
        return value;
    }

    public boolean isPresent() {
        return !value.isEmpty();
    }

    /** "(not set)" or a mask that shows the length class but none of the characters. */
    public String masked() {
        return value.isEmpty() ? "(not set)" : "****(" + value.length() + " chars)";
    }

    @Override
    public String toString() {
        return masked();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
