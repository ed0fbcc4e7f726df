package dev.perptrader.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code .env} file: {@code KEY=VALUE} lines, {@code #} comment lines, blank lines, an
 * optional {@code export } prefix, and values optionally wrapped in single or double quotes
 * (taken literally, no escapes). In an unquoted value a {@code #} after whitespace starts a
 * comment. Only keys starting with {@code APP__} are returned; other lines are not looked at
 * beyond finding their key. Error messages name the file, the line and the key, never a value.
 */
final class DotEnv {

    /** One {@code APP__} assignment and where it came from, e.g. {@code /work/.env line 3}. */
    record Entry(String name, String value, String origin) {}

    private DotEnv() {}

    /** The file's {@code APP__} entries in file order, or none if the file does not exist. */
    static List<Entry> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigError("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String origin = file + " line " + (i + 1);
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export") && line.length() > 6 && Character.isWhitespace(line.charAt(6))) {
                line = line.substring(6).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigError(origin + ": expected KEY=VALUE");
            }
            String name = line.substring(0, eq).strip();
            if (!name.startsWith(ConfigLoader.ENV_PREFIX)) {
                continue;
            }
            entries.add(new Entry(name, value(line.substring(eq + 1).strip(), origin, name), origin));
        }
        return entries;
    }

    private static String value(String raw, String origin, String name) {
        if (raw.isEmpty()) {
            return raw;
        }
        char first = raw.charAt(0);
        if (first == '"' || first == '\'') {
            int close = raw.indexOf(first, 1);
            if (close < 0) {
                throw new ConfigError(origin + " (" + name + "): unterminated quote");
            }
            String rest = raw.substring(close + 1).strip();
            if (!rest.isEmpty() && !rest.startsWith("#")) {
                throw new ConfigError(origin + " (" + name + "): unexpected text after the closing quote");
            }
            return raw.substring(1, close);
        }
        for (int i = 1; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && Character.isWhitespace(raw.charAt(i - 1))) {
                return raw.substring(0, i).strip();
            }
        }
        return raw;
    }
}
