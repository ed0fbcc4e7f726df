package dev.perptrader.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold money or keys (the book, the simulated accounts, their lock files) are
 * created readable and writable by their owner only (0600), on file systems with POSIX
 * permissions; elsewhere they are created as the OS does. Existing files are left as they are.
 */
public final class PrivateFiles {
    /** rw------- */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /**
     * Creates {@code file} empty with mode 0600 unless something (a file, a directory) already
     * has its name; creates missing parent folders first.
     */
    public static void createIfAbsent(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.createFile(abs, ownerOnly(parent));
        } catch (FileAlreadyExistsException raced) {
            // created meanwhile by someone else: left as it is, like any existing file
        }
    }

    /** The 0600 attribute for a new file in {@code folder}, or none where POSIX permissions do not exist. */
    public static FileAttribute<?>[] ownerOnly(Path folder) throws IOException {
        if (folder != null && Files.getFileStore(folder).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
        }
        return new FileAttribute<?>[0];
    }
}
