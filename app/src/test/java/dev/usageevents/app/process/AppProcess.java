package dev.usageevents.app.process;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built service ({@code app/target/quarkus-app/quarkus-run.jar}) as a separate process, for the tests that
 * kill, stop or duplicate it, started as the README starts it: through {@code bin/usage-events}, so with its JVM
 * options ({@code -XX:+ExitOnOutOfMemoryError}), plus {@code JAVA_OPTS} ({@code -Xmx256m} unless the test's
 * environment names other options), on the JVM running the tests. It listens on 127.0.0.1 only; its output goes to a log file under
 * {@code target/process-logs} that tests can read (and CI can keep).
 */
public final class AppProcess implements AutoCloseable {

    public static final String ADMIN_TOKEN = "process-test-admin-token";

    private final Process process;
    private final int port;
    private final Path log;

    private AppProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the service against the database at {@code jdbcUrl} and waits until it is ready. */
    public static AppProcess start(String jdbcUrl, String user, Map<String, String> extraEnvironment)
            throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>(extraEnvironment);
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        environment.put("QUARKUS_DATASOURCE_USERNAME", user);
        return start(environment);
    }

    /**
     * Starts the service with {@code environment} (no datasource URL: the service starts its own embedded
     * database in {@code USAGE_DATA_DIR}) and waits until it is ready.
     */
    public static AppProcess start(Map<String, String> environment) throws IOException, InterruptedException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the application first: " + jar + " is missing");
        }
        int port = freePort();
        Path logs = Files.createDirectories(Path.of("target", "process-logs").toAbsolutePath());
        Path log = Files.createTempFile(logs, "usage-events-app-" + port + "-", ".log");
        Path launcher = Path.of("..", "bin", "usage-events").toAbsolutePath().normalize();
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException("the launcher " + launcher + " is missing or not executable");
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(launcher.toString()));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin");
        builder.environment().put("PATH", javaBin + java.io.File.pathSeparator
                + builder.environment().getOrDefault("PATH", ""));
        builder.environment().put("JAVA_OPTS", "-Xmx256m");
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        builder.environment().put("USAGE_ADMIN_TOKEN", ADMIN_TOKEN);
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        AppProcess app = new AppProcess(builder.start(), port, log);
        try {
            app.awaitReady(Duration.ofSeconds(90));
        } catch (IOException | InterruptedException | RuntimeException e) {
            app.close();
            throw e;
        }
        return app;
    }

    /**
     * Starts the service with {@code environment}, expecting it to refuse to start: waits up to {@code timeout}
     * for it to exit and returns its log. Fails when it is still running then.
     */
    public static String failToStart(Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        Path logs = Files.createDirectories(Path.of("target", "process-logs").toAbsolutePath());
        Path log = Files.createTempFile(logs, "usage-events-app-failing-", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
                jar.toString()));
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(freePort()));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the service was still running after " + timeout + ":\n"
                    + Files.readString(log));
        }
        if (process.exitValue() == 0) {
            throw new IllegalStateException("the service exited with 0:\n" + Files.readString(log));
        }
        return Files.readString(log);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** What the service has written so far. */
    public String logText() throws IOException {
        return Files.readString(log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for {@code /q/health/ready} to answer 200. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited:\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service was not ready in " + timeout + ":\n" + Files.readString(log));
    }

    /** SIGKILL: no shutdown of any kind. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new IllegalStateException("the service did not stop within " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        // SIGTERM first, so that it stops its embedded PostgreSQL (a daemon, not its child): a SIGKILL here would
        // leave that server running after the tests (a test's own kill() leaves it, on purpose)
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /**
     * A free port below Linux's ephemeral range (32768 and up): a port the system hands out for "any free port"
     * (as the embedded PostgreSQL of the process started takes its own) could be given to that server between this
     * choice and the service binding it, which once stopped a restart with "port … cannot be used".
     */
    private static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port between 20000 and 32000");
    }
}
