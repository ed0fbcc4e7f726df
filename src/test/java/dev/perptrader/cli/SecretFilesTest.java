package dev.perptrader.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SecretFilesTest {
    @TempDir
    Path dir;

    @Test
    void flagsAReadableFileThatHoldsASecretOnly() throws Exception {
        Path conf = dir.resolve("config.conf");
        Files.writeString(conf, "exchanges.hibachi.api_secret = \"dGVzdC1vbmx5LWhtYWMta2V5LWZvci12ZWN0b3JzISE=\"\n");
        Path other = dir.resolve("other.conf");
        Files.writeString(other, "trading.max_open_pairs = 2\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-r--r--"));
        AppConfig cfg = ConfigLoader.load(conf, true, dir, Map.of(), Map.of());

        assertThat(SecretFiles.exposed(cfg, List.of(conf, other, dir.resolve(".env"))))
                .containsExactly(conf);

        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        assertThat(SecretFiles.exposed(cfg, List.of(conf))).isEmpty();
    }

    @Test
    void liveModeRefusesAReadableSecretFileWithOneLineSimAndPaperWarn() throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "APP__EXCHANGES__BACKPACK__API_SECRET=c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1wcmludA==\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw----r--"));
        for (String mode : List.of("sim", "paper")) {
            AppConfig cfg = ConfigLoader.load(null, false, dir, Map.of(), Map.of("mode", mode));
            SecretFiles.check(cfg, List.of(env)); // warns, does not throw
        }
        AppConfig live = ConfigLoader.load(null, false, dir, Map.of(), Map.of("mode", "live"));
        assertThatThrownBy(() -> SecretFiles.check(live, List.of(env)))
                .isInstanceOf(UsageError.class)
                .hasMessage(env + " holds API secrets and other users can read it: run 'chmod 600 " + env
                        + "' (live mode refuses to start until then)");

        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
        SecretFiles.check(live, List.of(env));
    }

    @Test
    void theBotTokenAndTheWebhookUrlAreSecretsToo() throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(
                env,
                "APP__ALERTS__TELEGRAM__BOT_TOKEN=123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw\n"
                        + "APP__ALERTS__TELEGRAM__CHAT_ID=1\n");
        Path conf = dir.resolve("config.conf");
        Files.writeString(conf, "alerts.webhook.url = \"https://hooks.example.com/services/T0/B0/tok3n\"\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw----r--"));
        AppConfig cfg = ConfigLoader.load(conf, true, dir, Map.of(), Map.of());

        assertThat(SecretFiles.exposed(cfg, List.of(conf, env))).containsExactly(conf, env);
    }
}
