package dev.perptrader.cli;

import dev.perptrader.config.AppConfig;
import dev.perptrader.config.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Warns when a file that holds one of the configured secrets can be read by other users. */
final class SecretFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);

    private SecretFiles() {
    }

    /** The files among {@code candidates} that hold a configured secret and are group/world readable. */
    static List<Path> exposed(AppConfig cfg, List<Path> candidates) {
        List<String> secrets = new ArrayList<>();
        for (AppConfig.ExchangeCredentials c : cfg.exchanges().values()) {
            for (Secret s : List.of(c.apiKey(), c.apiSecret(), c.privateKey())) {
                if (s.isPresent()) {
                    secrets.add(s.reveal());
                }
            }
        }
        List<Path> exposed = new ArrayList<>();
        if (secrets.isEmpty()) {
            return exposed;
        }
        for (Path file : candidates) {
            if (!Files.isRegularFile(file)
                    || Files.getFileAttributeView(file, PosixFileAttributeView.class) == null) {
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

    static void warn(AppConfig cfg, List<Path> candidates) {
        for (Path file : exposed(cfg, candidates)) {
            LOG.warn("{} holds API secrets and other users can read it: run 'chmod 600 {}'", file, file);
        }
    }
}
