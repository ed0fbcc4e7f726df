package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every command shares, and loading the configuration. */
final class ConfigOption {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "HOCON config file (default: ./config.conf if present)")
    Path file;

    AppConfig load(Map<String, String> overrides) {
        return ConfigLoader.load(file, file != null, workDir(), System.getenv(), overrides);
    }

    /** The files configuration may have come from: the config file and the .env file. */
    List<Path> sources() {
        Path workDir = workDir();
        return List.of(file != null ? workDir.resolve(file) : workDir.resolve("config.conf"), workDir.resolve(".env"));
    }

    private static Path workDir() {
        return Path.of("").toAbsolutePath();
    }
}
