package dev.perptrader.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A database file perp-trader cannot use as its book: a directory in its place, a file that is
 * not SQLite, a file or folder it cannot write. The message is one line naming the file and
 * the reason; nothing was traded.
 */
public final class UnusableDatabase extends RuntimeException {
    UnusableDatabase(Path file, String reason) {
        this("the database", file, reason);
    }

    private UnusableDatabase(String what, Path file, String reason) {
        super("cannot use " + what + " " + file + ": " + reason);
    }

    /**
     * Another SQLite file than the book ({@code what}, e.g. "the sim venue state file") that
     * SQLite refused: one line naming it and the reason; null when SQLite is not the cause.
     */
    public static UnusableDatabase refused(String what, Path file, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AccessDeniedException) {
                return new UnusableDatabase(what, file, "permission denied (its folder is not writable)");
            }
        }
        SQLiteException sqlite = sqliteCause(e);
        if (sqlite == null) {
            return null;
        }
        return new UnusableDatabase(what, file, reason(file, sqlite).replace("start a new book", "start afresh"));
    }

    /**
     * From a failure to create the file, or its lock file {@code created}, or their folder. The
     * line names the file once and says "permission denied" when that is the cause.
     */
    static UnusableDatabase of(Path file, Path created, IOException e) {
        String reason = e instanceof AccessDeniedException
                ? "permission denied"
                : e instanceof FileSystemException fse && fse.getReason() != null
                        ? fse.getReason()
                        : e.getClass().getSimpleName();
        if (e instanceof AccessDeniedException || !Files.isWritable(folder(created))) {
            reason = "permission denied (its folder is not writable)";
        }
        return new UnusableDatabase(
                file,
                created.equals(file) ? reason : "cannot create its lock file " + created.getFileName() + ": " + reason);
    }

    /** From SQLite's refusal to open, read or write the file. */
    static UnusableDatabase of(Path file, SQLiteException e) {
        return new UnusableDatabase(file, reason(file, e));
    }

    private static String reason(Path file, SQLiteException e) {
        SQLiteErrorCode code = e.getResultCode();
        int primary = code.code & 0xff;
        return switch (primary) {
            case 8 -> readOnly(file, code); // SQLITE_READONLY and its extended codes
            case 14 -> cannotOpen(file, code); // SQLITE_CANTOPEN
            case 11, 26 ->
                "it is not a SQLite database, or it is damaged: restore it from a backup, "
                        + "or move it away to start a new book"; // SQLITE_CORRUPT, SQLITE_NOTADB
            case 13 -> "the disk is full"; // SQLITE_FULL
            case 5, 6 -> "another program holds it locked (" + code.message + ")"; // BUSY, LOCKED
            default -> "SQLite: " + code.message;
        };
    }

    /** The first SQLite error in {@code e}'s causes, if any. */
    static SQLiteException sqliteCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s) {
                return s;
            }
        }
        return null;
    }

    private static String readOnly(Path file, SQLiteErrorCode code) {
        if (Files.exists(file) && !Files.isWritable(file)) {
            return "the file is read-only (run 'chmod u+w " + file + "')";
        }
        String folder = folderProblem(file);
        return folder != null ? folder : "SQLite can only read it (" + code.message + ")";
    }

    private static String cannotOpen(Path file, SQLiteErrorCode code) {
        String folder = folderProblem(file);
        return folder != null ? folder : "SQLite cannot open it (" + code.message + ")";
    }

    /** Why SQLite cannot keep its write-ahead log and shared-memory files beside the database, if it is the folder. */
    private static String folderProblem(Path file) {
        for (String suffix : new String[] {"-wal", "-shm"}) {
            Path companion = file.resolveSibling(file.getFileName() + suffix);
            if (Files.isDirectory(companion)) {
                return companion + " is a directory, where SQLite keeps the database's " + suffix.substring(1)
                        + " file";
            }
        }
        if (!Files.isWritable(folder(file))) {
            return "its folder " + folder(file) + " is not writable (SQLite keeps " + file.getFileName() + "-wal and "
                    + file.getFileName() + "-shm beside it)";
        }
        return null;
    }

    private static Path folder(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file.toAbsolutePath() : parent;
    }
}
