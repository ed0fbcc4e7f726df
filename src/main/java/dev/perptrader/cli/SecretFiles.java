package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.Secret;
import dev.perptrader.domain.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files that hold one of the configured secrets (venue keys, the Telegram bot token, the webhook
 * URL) and can be read by other users: live mode refuses them, sim and paper mode warn.
 */
final class SecretFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);

    private SecretFiles() {}

    /** The files among {@code candidates} that hold a configured secret and are group/world readable. */
    static List<Path> exposed(AppConfig cfg, List<Path> candidates) {
        List<String> secrets = new ArrayList<>();
        for (AppConfig.ExchangeCredentials c : cfg.exchanges().values()) {
            for (Secret s : c.secrets().values()) {
                if (s.isPresent()) {
                    secrets.add(s.reveal());
                }
            }
        }
        // the bot token commands the bot (/closeall); the webhook URL often holds a token
        for (Secret s : List.of(
                cfg.alerts().telegram().botToken(), cfg.alerts().webhook().url())) {
            if (s.isPresent()) {
                secrets.add(s.reveal());
            }
        }
        List<Path> exposed = new ArrayList<>();
        if (secrets.isEmpty()) {
            return exposed;
        }
        for (Path file : candidates) {
            if (!Files.isRegularFile(file) || Files.getFileAttributeView(file, PosixFileAttributeView.class) == null) {
                continue; // absent, or a file system without POSIX permissions
            }
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                boolean readable = perms.contains(PosixFilePermission.GROUP_READ)
                        || perms.contains(PosixFilePermission.OTHERS_READ);
                if (readable) {
                    String text = Files.readString(file);
                    if (secrets.stream().anyMatch(text::contains)) {
                        exposed.add(file);
                    }
                }
            } catch (IOException e) {
                LOG.debug("cannot check permissions of {}: {}", file, e.toString());
            }
        }
        return exposed;
    }

    /**
     * Live mode refuses to start ({@link UsageError}, one line) while a file holding a secret is
     * readable by other users, as ssh does with keys; sim and paper mode warn.
     */
    static void check(AppConfig cfg, List<Path> candidates) {
        List<Path> exposed = exposed(cfg, candidates);
        if (exposed.isEmpty()) {
            return;
        }
        if (cfg.mode() == Mode.LIVE) {
            String files = exposed.stream().map(SecretFiles::shown).collect(Collectors.joining(" and "));
            throw new UsageError(files + (exposed.size() == 1 ? " holds" : " hold")
                    + " API secrets and other users can read " + (exposed.size() == 1 ? "it" : "them")
                    + ": run 'chmod 600 "
                    + exposed.stream().map(SecretFiles::shown).collect(Collectors.joining(" "))
                    + "' (live mode refuses to start until then)");
        }
        for (Path file : exposed) {
            LOG.warn("{} holds API secrets and other users can read it: run 'chmod 600 {}'", shown(file), shown(file));
        }
    }

    /** The file as the user would type it: relative to the working directory when inside it. */
    private static String shown(Path file) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
