package dev.perptrader.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The systemd unit says what the README promises, and the example environment file is a valid configuration. */
final class DeployFilesTest {
    private static final Path UNIT = Path.of("deploy/perp-trader.service");
    private static final Path ENV = Path.of("deploy/perp-trader.env");

    @TempDir
    Path dir;

    @Test
    void theUnitRestartsOnFailureStopsGracefullyAndCapsTheHeap() throws IOException {
        List<String> lines = Files.readAllLines(UNIT);
        assertThat(lines)
                .contains(
                        "Restart=on-failure",
                        "RestartPreventExitStatus=2",
                        "KillSignal=SIGTERM",
                        "User=perp-trader",
                        "WorkingDirectory=/opt/perp-trader",
                        "EnvironmentFile=/etc/perp-trader.env",
                        "Environment=\"JDK_JAVA_OPTIONS=-Xmx64m -Xss512k -XX:+UseSerialGC -XX:MaxMetaspaceSize=64m"
                                + " -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1\"",
                        "Environment=\"MALLOC_ARENA_MAX=2\"",
                        "ExecStart=/usr/bin/java -jar /opt/perp-trader/perp-trader.jar run --mode live");
        Matcher stop = Pattern.compile("(?m)^TimeoutStopSec=(\\d+)$").matcher(String.join("\n", lines));
        assertThat(stop.find()).isTrue();
        assertThat(Integer.parseInt(stop.group(1)))
                .as("longer than the 3 minutes the shutdown hook holds")
                .isGreaterThan(180);
    }

    @Test
    void theExampleEnvironmentNamesOnlyKnownSettingsAndHoldsNoSecret() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ENV)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertThat(env).containsEntry("APP__HTTP__ENABLED", "true").containsKey("APP__ALERTS__UNHEALTHY_AFTER_MINUTES");
        env.forEach((k, v) -> {
            if (k.endsWith("_KEY") || k.endsWith("_SECRET")) {
                assertThat(v).as(k).startsWith("replace-with-");
            }
        });
        AppConfig cfg = ConfigLoader.load(null, false, dir, env, Map.of("mode", "live"));
        assertThat(cfg.http().enabled()).isTrue();
        assertThat(cfg.http().bind()).isEqualTo("127.0.0.1");
    }
}
