package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** The {@code --config FILE} option every command shares, and loading the configuration. */
final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "HOCON config file (default: ./config.conf if present)")
    Path file;

    AppConfig load(Map<String, String> overrides) {
        Path workDir = Path.of("").toAbsolutePath();
        return ConfigLoader.load(file, file != null, workDir, System.getenv(), overrides);
    }
}
