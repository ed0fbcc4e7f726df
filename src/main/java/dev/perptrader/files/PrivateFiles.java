package dev.perptrader.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold money or keys (the book, the simulated accounts, their lock files) and the
 * health file are created readable and writable by their owner only (0600), on file systems with
 * POSIX permissions; elsewhere they are created as the OS does. Existing files are left as they
 * are, except by {@link #replace}.
 */
public final class PrivateFiles {
    /** rw------- */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

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

    /**
     * Replaces {@code file} with {@code bytes} in one step: written to a new 0600 file in the same
     * folder, then moved over it, so a reader sees the old content or the new, never half of one.
     * Creates missing parent folders first; the file ends up 0600 whatever it was before.
     */
    public static void replace(Path file, byte[] bytes) throws IOException {
        Path abs = file.toAbsolutePath();
        Path folder = abs.getParent();
        Files.createDirectories(folder);
        Path tmp = Files.createTempFile(folder, "." + abs.getFileName() + ".", ".tmp", ownerOnly(folder));
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
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
