package dev.usageevents.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());

    /** The file that the library locks while one of its instances runs a server over a data directory. */
    private static final String OWNER_LOCK = "epg-lock";
    private static final long ORPHAN_STOP_TIMEOUT_SECONDS = 60;

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
            refuseIfInUse(data);
            stopOrphanedServer(data);
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

    /**
     * Another running instance holds the data directory's lock: starting a second server over it cannot work,
     * and the library would only say that it could not lock a file. The lock is released again at once; the
     * library takes it for good when it starts the server. A directory without the lock file was never started.
     */
    private static void refuseIfInUse(Path data) throws IOException {
        Path lock = data.resolve(OWNER_LOCK);
        if (!Files.exists(lock)) {
            return; // never started here (initdb needs the directory empty: the file is not made here)
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE);
                FileLock owner = channel.tryLock()) {
            if (owner == null) {
                throw new DataDirectoryInUseException(data);
            }
        } catch (OverlappingFileLockException ownedByThisProcess) {
            throw new DataDirectoryInUseException(data);
        }
    }

    /** The data directory is held by another running instance. */
    public static final class DataDirectoryInUseException extends IllegalStateException {

        DataDirectoryInUseException(Path data) {
            super("the embedded PostgreSQL data directory " + data + " is in use by another running instance: "
                    + "set USAGE_DATA_DIR or stop the other instance");
        }
    }

    /**
     * A process that died without stopping its server (SIGKILL, the OOM killer) leaves it running over the data
     * directory, and no new server can start there: if {@code postmaster.pid} names a live {@code postgres} of
     * this directory and no live process owns it (its lock is free), that server is stopped. SIGTERM is
     * PostgreSQL's smart shutdown; its sessions were the dead process's, so it stops at once, and it had
     * committed everything it acknowledged. A server that a live process owns is left alone.
     */
    private static void stopOrphanedServer(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        List<String> lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
        Optional<ProcessHandle> server = lines.stream().findFirst().filter(line -> line.trim().matches("\\d+"))
                .flatMap(line -> ProcessHandle.of(Long.parseLong(line.trim())))
                .filter(p -> p.isAlive() && runsOver(p, data) && p.info().command().map(Path::of)
                        .filter(command -> command.getFileName().toString().equals("postgres")).isPresent());
        if (server.isEmpty()) {
            return;
        }
        try (FileChannel channel = FileChannel.open(data.resolve(OWNER_LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock owner = channel.tryLock()) {
            if (owner == null) {
                return;
            }
            LOG.warning("PostgreSQL (pid " + server.get().pid() + ") is still running over " + data
                    + ", left by a process that did not stop it; stopping it");
            server.get().destroy();
            server.get().onExit().get(ORPHAN_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (OverlappingFileLockException ownedByThisProcess) {
            // A server of this JVM: not an orphan.
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not stop the PostgreSQL server (pid " + server.get().pid()
                    + ") left running over " + data, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the PostgreSQL server left running over " + data, e);
        }
    }

    private static boolean runsOver(ProcessHandle process, Path data) {
        return List.of(process.info().arguments().orElse(new String[0])).contains(data.toString());
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
