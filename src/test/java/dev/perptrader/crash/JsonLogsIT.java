package dev.perptrader.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped JSON log configuration, chosen as the README says
 * ({@code -Dlogback.configurationFile=logback-json.xml}): every log line the real jar writes is
 * one JSON object with its level, logger and formatted message, and {@code LOG_LEVEL} still applies.
 */
final class JsonLogsIT {
    private static final Path JAR = Path.of("target", "perp-trader.jar").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyLogLineIsOneJsonObjectWithItsFormattedMessage() throws Exception {
        assertThat(JAR).as("built by the package phase").exists();
        Path out = dir.resolve("check.out");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dlogback.configurationFile=logback-json.xml",
                        "-jar",
                        JAR.toString(),
                        "check")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("APP__"));
        pb.environment().put("LOG_LEVEL", "DEBUG");
        Process p = pb.start();
        try {
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("check finished").isTrue();
            assertThat(p.exitValue()).as(Files.readString(out)).isZero();
        } finally {
            p.destroyForcibly();
        }
        List<String> logLines =
                Files.readAllLines(out).stream().filter(l -> l.startsWith("{")).toList();
        assertThat(logLines).as(Files.readString(out)).isNotEmpty();
        for (String line : logLines) {
            JsonNode n = JSON.readTree(line);
            assertThat(n.path("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(n.path("loggerName").asText()).isNotEmpty();
            assertThat(n.path("formattedMessage").asText()).isNotEmpty().doesNotContain("{}");
        }
        assertThat(logLines)
                .anySatisfy(l -> assertThat(
                                JSON.readTree(l).path("formattedMessage").asText())
                        .contains("sim world created"));
    }
}
