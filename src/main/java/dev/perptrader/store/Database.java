package dev.perptrader.store;

import dev.perptrader.files.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlite3.SQLitePlugin;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteException;

/**
 * Opens a SQLite file in WAL mode and brings its schema up to date: a new file gets
 * {@code perp_trader.db.schema.sql} (version 1), then every numbered migration above the file's
 * {@code PRAGMA user_version} is applied in order.
 */
public final class Database {
    /** The schema version the base schema file creates. */
    static final int BASE_VERSION = 1;
    /**
     * Migrations after the base schema, in order: entry i raises user_version to
     * BASE_VERSION + 1 + i. Each names a resource under db/migration/.
     */
    static final List<String> MIGRATIONS = List.of(
            "002_orphan_orders.sql",
            "003_database_mode.sql",
            "004_reconcile.sql",
            "005_venue_names_and_reads.sql",
            "006_fill_details.sql",
            "007_maker_orders.sql",
            "008_orders_to_account.sql");

    private Database() {}

    /**
     * A Jdbi over {@code file} with WAL, foreign keys and a busy timeout, opening a connection per
     * call (for migrations and tools; a {@link Store} keeps its connections open); no schema
     * applied.
     */
    public static Jdbi connect(Path file) {
        return NamedParameters.install(Jdbi.create(dataSource(file)).installPlugin(new SQLitePlugin()));
    }

    /**
     * Connections to {@code file} with WAL, foreign keys and a busy timeout. A new file is created
     * 0600 before SQLite opens it (SQLite gives its -wal and -shm files the database file's
     * permissions). Throws {@link UnusableDatabase} when a directory has its name or it cannot be
     * created.
     */
    static SQLiteDataSource dataSource(Path file) {
        if (Files.isDirectory(file)) {
            throw new UnusableDatabase(file, "it is a directory, not a database file");
        }
        try {
            PrivateFiles.createIfAbsent(file);
        } catch (IOException e) {
            throw UnusableDatabase.of(file, file, e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(10_000);
        // Writers take the lock when the transaction begins, so two legs recorded at once queue on
        // the busy timeout instead of deadlocking on a read-to-write upgrade (SQLITE_BUSY).
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return ds;
    }

    /**
     * A private database held in memory, shared by every connection of the returned source (SQLite's
     * {@code memdb} VFS under a unique name) for as long as at least one of them is open; with
     * foreign keys, the busy timeout and immediate transactions as {@link #dataSource}. Its journal
     * is kept in memory (rollback works) and nothing is ever synced. Unlike a WAL file, a reader
     * waits while another connection's write transaction is open. Generated keys are read only
     * for statements prepared to return them ({@link StatementCache}).
     */
    static SQLiteDataSource memoryDataSource() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.MEMORY);
        config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(10_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // the driver reads the last row id after an INSERT only for a statement that asks for it
        // (StatementCache turns it on for those), not after every one
        config.setGetGeneratedKeys(false);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:file:/perp-trader-" + UUID.randomUUID() + "?vfs=memdb");
        return ds;
    }

    /** Brings the schema of the database behind {@code source} up to date; {@code name} names it in errors. */
    static void migrate(DataSource source, Path name, String baseSchemaResource, List<String> migrations) {
        migrate(
                NamedParameters.install(Jdbi.create(source).installPlugin(new SQLitePlugin())),
                name,
                baseSchemaResource,
                migrations);
    }

    /**
     * Connects and migrates; the database's version must not be newer than this program's. A
     * file SQLite cannot open, read or write throws {@link UnusableDatabase} (one line).
     */
    public static Jdbi openMigrated(Path file, String baseSchemaResource, List<String> migrations) {
        Jdbi jdbi = connect(file);
        try {
            migrate(jdbi, file, baseSchemaResource, migrations);
        } catch (RuntimeException e) {
            throw unusable(file, e);
        }
        return jdbi;
    }

    /**
     * For a command that only reads: read-only connections with the same busy timeout, so they
     * never take a lock a running bot waits for. A file whose schema is older than this
     * program's is migrated first (through {@link #openMigrated}), then read the same way.
     */
    static SQLiteDataSource readOnlyDataSource(Path file, String baseSchemaResource, List<String> migrations) {
        int latest = BASE_VERSION + migrations.size();
        if (Files.isRegularFile(file)) {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(10_000);
            SQLiteDataSource ds = new SQLiteDataSource(config);
            ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
            int version;
            try {
                version = NamedParameters.install(Jdbi.create(ds))
                        .withHandle(h -> h.createQuery("PRAGMA user_version")
                                .mapTo(Integer.class)
                                .one());
            } catch (RuntimeException e) {
                throw unusable(file, e);
            }
            if (version == latest) {
                return ds;
            }
        }
        openMigrated(file, baseSchemaResource, migrations);
        return readOnlyDataSource(file, baseSchemaResource, migrations);
    }

    /** {@code e} as an {@link UnusableDatabase} when SQLite refused the file; otherwise {@code e} itself. */
    static RuntimeException unusable(Path file, RuntimeException e) {
        SQLiteException sqlite = UnusableDatabase.sqliteCause(e);
        return sqlite == null || e instanceof StoreException ? e : UnusableDatabase.of(file, sqlite);
    }

    private static void migrate(Jdbi jdbi, Path file, String baseSchemaResource, List<String> migrations) {
        int latest = BASE_VERSION + migrations.size();
        jdbi.useHandle(h -> {
            int version =
                    h.createQuery("PRAGMA user_version").mapTo(Integer.class).one();
            if (version > latest) {
                throw new StoreException(file + " has schema version " + version + " but this perp-trader knows up to "
                        + latest + ": upgrade perp-trader");
            }
            if (version == 0) {
                h.useTransaction(
                        t -> t.createScript(resource(baseSchemaResource)).execute());
                version = BASE_VERSION;
            }
            for (int v = version + 1; v <= latest; v++) {
                String sql = resource("/db/migration/" + migrations.get(v - BASE_VERSION - 1));
                int target = v;
                h.useTransaction(t -> {
                    t.createScript(sql).execute();
                    t.execute("PRAGMA user_version = " + target);
                });
            }
        });
    }

    static String resource(String name) {
        try (InputStream in = Database.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new StoreException("missing resource " + name + " in the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
