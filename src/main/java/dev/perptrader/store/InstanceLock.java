package dev.perptrader.store;

import dev.perptrader.files.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * An OS lock on {@code <database>.lock}, held for the life of a {@code run}, so two bots never
 * trade from one database (and so one set of accounts) at once. The OS releases it when the
 * process dies, even by {@code kill -9}.
 */
public final class InstanceLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock or throws {@link AlreadyRunning} with a one-line message; a lock file that
     * cannot be created throws {@link UnusableDatabase}. A new lock file is created 0600.
     */
    public static InstanceLock acquire(Path database) {
        Path file = database.resolveSibling(database.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = FileChannel.open(
                    file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), PrivateFiles.ownerOnly(parent));
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new AlreadyRunning(database);
            }
            return new InstanceLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new AlreadyRunning(database);
        } catch (IOException e) {
            closeQuietly(channel);
            throw UnusableDatabase.of(database, file, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel close below releases it anyway
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    /** Another perp-trader holds the database. */
    public static final class AlreadyRunning extends RuntimeException {
        AlreadyRunning(Path database) {
            super("another perp-trader is already running on " + database
                    + " (one bot per database; stop it first or set database.url)");
        }
    }
}
