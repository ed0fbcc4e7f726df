package dev.perptrader.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An exchange perp-trader knows. The venues are not listed here: each venue's package registers
 * itself with one line in {@code META-INF/services/dev.perptrader.domain.Venue$Registration}, and
 * its name in config, the database and alerts comes from that registration. Venues compare in
 * registration order (the order of that file), which is the order they are listed and iterated
 * in everywhere.
 */
public final class Venue implements Comparable<Venue> {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{1,19}");
    private static final Pattern TAG = Pattern.compile("[a-z]{2}");
    private static final List<Venue> ALL = load();

    /**
     * What a venue's package registers: its name and what the configuration needs to know of it.
     * Implementations are instantiated by {@link ServiceLoader} while this class initializes: they
     * must not touch {@link Venue} in their constructor or static initializers.
     */
    public interface Registration {
        /** The config name: lower case letters and digits ("hyperliquid"). */
        String name();

        /** Two lower-case letters that stand for the venue in ids ("hl"). */
        String tag();

        /**
         * The classpath resource holding the venue's configuration section: its
         * {@code exchanges.<name>}, {@code sim.venues.<name>} and {@code points.venues.<name>}
         * keys with their defaults and comments; by default {@code venue.conf} beside the class
         * that registers the venue.
         */
        default String configResource() {
            return "venue.conf";
        }

        /**
         * How the keys of {@code exchanges.<name>} other than {@code late_execution_seconds} are
         * read and checked, in the order {@code check} lists them.
         */
        List<Key> keys();
    }

    /** One {@code exchanges.<venue>.<name>} key and how its value is checked. */
    public record Key(String name, Kind kind, List<String> choices) {
        public Key {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            choices = List.copyOf(choices);
        }

        public static Key of(String name, Kind kind) {
            return new Key(name, kind, List.of());
        }

        /** A text key whose value must be "" or one of {@code choices}. */
        public static Key choice(String name, String... choices) {
            return new Key(name, Kind.TEXT, List.of(choices));
        }
    }

    /** What a key's value is. */
    public enum Kind {
        /** Masked everywhere it is shown; may be empty (then the venue cannot sign). */
        SECRET,
        /** An http:// or https:// URL. */
        URL,
        /** Free text, or one of the key's choices when it lists any. */
        TEXT,
        /** Empty or an integer. */
        DIGITS,
        /** Empty or a 0x-prefixed 20-byte hex address. */
        ADDRESS
    }

    private final Registration registration;
    private final int ordinal;

    private Venue(Registration registration, int ordinal) {
        this.registration = registration;
        this.ordinal = ordinal;
    }

    /** The registered venues, in registration order. */
    public static List<Venue> values() {
        return ALL;
    }

    /** Parses a config name ("backpack", any case); throws with the list of known venues otherwise. */
    public static Venue parse(String name) {
        String wanted = name.trim();
        for (Venue v : ALL) {
            if (v.configName().equalsIgnoreCase(wanted)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown venue '" + name + "' (known: " + known() + ")");
    }

    /** "backpack, hibachi, …": the registered names. */
    public static String known() {
        return ALL.stream().map(Venue::configName).collect(Collectors.joining(", "));
    }

    /** The name as stored in the sim state files: upper case ("BACKPACK"). */
    public String name() {
        return configName().toUpperCase(Locale.ROOT);
    }

    public String configName() {
        return registration.name();
    }

    /** Two letters that stand for the venue in ids ("bp"). */
    public String tag() {
        return registration.tag();
    }

    /** The position in registration order, from 0. */
    public int ordinal() {
        return ordinal;
    }

    /** What registered the venue: the exchange layer casts it to its own richer type. */
    public Registration registration() {
        return registration;
    }

    @Override
    public int compareTo(Venue other) {
        return Integer.compare(ordinal, other.ordinal);
    }

    @Override
    public String toString() {
        return name();
    }

    private static List<Venue> load() {
        List<Venue> out = new ArrayList<>();
        for (Registration r : ServiceLoader.load(Registration.class, Venue.class.getClassLoader())) {
            if (!NAME.matcher(r.name()).matches()) {
                throw new IllegalStateException("venue name '" + r.name() + "' is not lower-case letters and digits");
            }
            if (!TAG.matcher(r.tag()).matches()) {
                throw new IllegalStateException("venue " + r.name() + ": tag '" + r.tag() + "' is not two letters");
            }
            for (Venue v : out) {
                if (v.configName().equals(r.name()) || v.tag().equals(r.tag())) {
                    throw new IllegalStateException(
                            "venues " + v.configName() + " and " + r.name() + " share a name or tag");
                }
            }
            out.add(new Venue(r, out.size()));
        }
        if (out.size() < 2) {
            throw new IllegalStateException("fewer than two venues registered in META-INF/services/"
                    + Registration.class.getName() + ": " + out.size());
        }
        return Collections.unmodifiableList(out);
    }
}
