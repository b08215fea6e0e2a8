package dev.usageevents.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A real PostgreSQL server (binaries shipped in Maven artifacts), started from this JVM when no external
 * database is configured. Its data lives in a directory of ours and survives restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    /** Held so that the level set on it stays: the server's own start-up chatter is not worth a log line. */
    private static final Logger ZONKY_LOG = Logger.getLogger("io.zonky.test.db.postgres");

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts PostgreSQL on a free local port over {@code dataDirectory}, creating the cluster the first time
     * and keeping whatever it holds otherwise. The caller stops it with {@link #close()}: not at JVM exit,
     * so that the application can finish its last commits first.
     */
    public static EmbeddedDatabase start(Path dataDirectory) {
        return start(dataDirectory, 0);
    }

    /** As {@link #start(Path)}, on {@code port} (0: any free port). */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        try {
            Path data = dataDirectory.toAbsolutePath().normalize();
            Files.createDirectories(data);
            ZONKY_LOG.setLevel(Level.WARNING);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    // A commit is durable before it is acknowledged. The library's defaults are for throw-away
                    // test servers: synchronous_commit=off (a commit answered before its WAL is written: lost
                    // if the server crashes) and -F (fsync off: lost or corrupt if the machine does).
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
            return new EmbeddedDatabase(postgres, data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public String username() {
        return USER;
    }

    public String password() {
        return "";
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
