package dev.perptrader.notify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import okhttp3.HttpUrl;

/** Replaces every known secret (and its URL-encoded form) in a text with {@code ****}. */
public final class Redactor {
    private static final int MIN_SECRET_LENGTH = 4;
    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        List<String> all = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && s.length() >= MIN_SECRET_LENGTH) {
                all.add(s);
                String encoded = s.replace("%", "%25").replace(":", "%3A").replace("/", "%2F");
                if (!encoded.equals(s)) {
                    all.add(encoded);
                }
            }
        }
        all.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(all);
    }

    /** Scrubs these values; blank or very short ones (nothing worth hiding) are ignored. */
    public static Redactor of(String... secrets) {
        return new Redactor(Arrays.asList(secrets));
    }

    /** Scrubs a webhook URL: as given, as parsed and written back, and its path and query (where tokens live). */
    public static Redactor forUrl(String url) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            return of(url);
        }
        String query = parsed.encodedQuery();
        String path = parsed.encodedPath();
        return of(
                url,
                parsed.toString(),
                path.length() > 1 ? path : null,
                query == null ? null : path + "?" + query,
                query,
                parsed.encodedUsername(),
                parsed.encodedPassword());
    }

    /** Scrubs a bot token, and the path segment it makes ("bot" + token). */
    public static Redactor forToken(String token) {
        return of(token, "bot" + token);
    }

    /** The text with every secret replaced; null stays null. */
    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "****");
        }
        return out;
    }

    /** A redactor that scrubs this one's secrets and {@code more}'s. */
    public Redactor and(Redactor more) {
        List<String> all = new ArrayList<>(secrets);
        all.addAll(more.secrets);
        return new Redactor(all);
    }
}
