package dev.perptrader.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A small reader of the Prometheus text exposition format (version 0.0.4), for tests: every
 * sample with its name, labels and value, and each family's {@code # TYPE}. The official client
 * only writes the format, so reading it back is ours.
 */
final class PromText {
    /** One line {@code name{label="value",...} value [timestamp]}. */
    record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;
    private final Map<String, String> types;

    private PromText(List<Sample> samples, Map<String, String> types) {
        this.samples = List.copyOf(samples);
        this.types = Map.copyOf(types);
    }

    static PromText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 4 && parts[1].equals("TYPE")) {
                    types.put(parts[2], parts[3].strip());
                }
                continue;
            }
            samples.add(sample(line, n));
        }
        return new PromText(samples, types);
    }

    private static Sample sample(String line, int n) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("line " + n + ": bad metric name in: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq).strip();
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("line " + n + ": label value not quoted: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).strip().split("\\s+");
        return new Sample(name, labels, number(rest[0]));
    }

    private static double number(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    List<Sample> samples() {
        return samples;
    }

    /** The sample names that appear (a histogram's {@code _bucket}, {@code _count} and {@code _sum} each). */
    Set<String> names() {
        Set<String> out = new TreeSet<>();
        samples.forEach(s -> out.add(s.name()));
        return out;
    }

    /** {@code # TYPE} of a family: counter, gauge, histogram… */
    Optional<String> type(String family) {
        return Optional.ofNullable(types.get(family));
    }

    /** The value of the one sample named {@code name} with exactly these labels (name, value, name, value…). */
    Optional<Double> find(String name, String... labelPairs) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int k = 0; k < labelPairs.length; k += 2) {
            wanted.put(labelPairs[k], labelPairs[k + 1]);
        }
        List<Sample> found = samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(wanted))
                .toList();
        if (found.size() > 1) {
            throw new IllegalStateException("several samples " + name + wanted);
        }
        return found.stream().findFirst().map(Sample::value);
    }

    /** As {@link #find}, failing when there is no such sample. */
    double value(String name, String... labelPairs) {
        return find(name, labelPairs)
                .orElseThrow(() -> new AssertionError(
                        "no sample " + name + " " + String.join(",", labelPairs) + " among " + names()));
    }
}
