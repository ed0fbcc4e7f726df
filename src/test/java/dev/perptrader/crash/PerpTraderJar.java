package dev.perptrader.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built {@code target/perp-trader.jar}, run as its own process in one working directory with
 * one environment (the {@code APP__*} variables of the caller's JVM are dropped first). Each run
 * writes its output to {@code <name>.log} there.
 */
final class PerpTraderJar {
    static final Path JAR = Path.of("target", "perp-trader.jar").toAbsolutePath();
    /** Quicker start on a small machine; nothing the program does depends on them. */
    static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");

    private final Processes processes;
    private final Path dir;
    private final Map<String, String> env;

    PerpTraderJar(Processes processes, Path dir, Map<String, String> env) {
        this.processes = processes;
        this.dir = dir;
        this.env = Map.copyOf(env);
    }

    /** Starts {@code perp-trader args…}, its output in {@code name.log}. */
    Process start(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin()));
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log(name).toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("APP__") || k.equals("LOG_LEVEL"));
        pb.environment().putAll(env);
        return processes.start(pb);
    }

    Path log(String name) {
        return dir.resolve(name + ".log");
    }

    /** The last {@code lines} lines of a run's output, for failure messages. */
    String tail(String name, int lines) {
        try {
            List<String> all = Files.exists(log(name)) ? Files.readAllLines(log(name)) : List.of();
            return "--- " + log(name) + " (last " + lines + " lines)\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "--- " + log(name) + " unreadable: " + e.getMessage();
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
