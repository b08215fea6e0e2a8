package dev.usageevents.app.faults;

import dev.usageevents.persistence.EmbeddedDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A PostgreSQL server that one test owns: an {@link EmbeddedDatabase} in a temporary directory, on a fixed port
 * of 127.0.0.1, that the test can stop, crash and start again on the same port and data, while the service
 * under test keeps running against it.
 */
final class TestDatabase implements StoredEvents.Database, AutoCloseable {

    private final Path directory;
    private final int port;
    private EmbeddedDatabase server;

    private TestDatabase(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    static TestDatabase start() throws IOException {
        TestDatabase database = new TestDatabase(Files.createTempDirectory("usage-events-faults-pg"), freePort());
        database.restart();
        return database;
    }

    /** The URL the service is given: 127.0.0.1 and the fixed port, the same across restarts. */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + EmbeddedDatabase.DATABASE;
    }

    String user() {
        return EmbeddedDatabase.USER;
    }

    @Override
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), EmbeddedDatabase.USER, "");
    }

    /** A clean stop ({@code pg_ctl stop -m fast}): sessions are ended, the server goes away. */
    synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts the server again over the same data directory and port. */
    synchronized void restart() {
        if (server != null) {
            throw new IllegalStateException("the database is running");
        }
        server = EmbeddedDatabase.start(directory, port);
    }

    /**
     * A crash: an immediate shutdown (SIGQUIT to the postmaster), as after a power cut of the database alone. The
     * server's processes exit at once, without a checkpoint and without flushing anything; the next start
     * replays the write-ahead log.
     */
    synchronized void crash() throws IOException, InterruptedException {
        if (server == null) {
            throw new IllegalStateException("the database is not running");
        }
        List<String> pidFile = Files.readAllLines(server.dataDirectory().resolve("postmaster.pid"));
        long pid = Long.parseLong(pidFile.get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("no postmaster with pid " + pid));
        List<ProcessHandle> processes = Stream.concat(Stream.of(postmaster), postmaster.descendants()).toList();
        Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -QUIT " + pid + " failed");
        }
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("a process of the server did not exit after SIGQUIT", e);
            }
        }
        // Releases the data directory's lock (its pg_ctl stop finds no server and says so).
        server.close();
        server = null;
    }

    @Override
    public synchronized void close() throws IOException {
        stop();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
