package dev.usageevents.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.process.AppProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A start that fails ends the process soon after the failure, with one line that names the cause: it does not
 * linger (the embedded database's stop once waited a minute for an application stop that never came).
 */
class StartupFailureIT {

    private static final String LINE = "usage-events: cannot start: ";
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(5);

    /** A process that must fail to start: its output, and how long it lived after its failure line. */
    private record Failed(String output, Duration afterLine, int exitCode) {

        String line() {
            List<String> lines = output.lines().filter(l -> l.startsWith(LINE)).toList();
            assertThat(lines).as("one line naming the cause in:\n%s", output).hasSize(1);
            return lines.get(0);
        }
    }

    private static Failed launch(Map<String, String> environment) throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        Path log = Files.createTempFile(Files.createDirectories(Path.of("target", "process-logs")),
                "startup-failure-", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-jar", jar.toString());
        builder.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(freePort()));
        builder.environment().putAll(environment);
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            long lineSeen = 0;
            while (process.isAlive() && System.nanoTime() < deadline) {
                if (lineSeen == 0 && Files.readString(log).contains(LINE)) {
                    lineSeen = System.nanoTime();
                }
                Thread.sleep(50);
            }
            assertThat(process.isAlive()).as("still running:\n%s", Files.readString(log)).isFalse();
            long exited = System.nanoTime();
            String output = Files.readString(log);
            if (lineSeen == 0 && output.contains(LINE)) {
                lineSeen = exited;
            }
            return new Failed(output, Duration.ofNanos(exited - (lineSeen == 0 ? exited : lineSeen)),
                    process.exitValue());
        } finally {
            process.destroyForcibly();
        }
    }

    private static void assertFailedFast(Failed failed) {
        assertThat(failed.exitCode()).as("exit code").isNotZero();
        assertThat(failed.afterLine()).as("time from the failure line to the exit").isLessThan(AFTER_FAILURE);
    }

    @Test
    void aPortInUseAndAShortTokenSecretEndTheEmbeddedModeAtOnce() throws Exception {
        Path data = Files.createTempDirectory("usage-events-startup-failure");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Failed port = launch(Map.of("USAGE_DATA_DIR", data.toString(),
                    "QUARKUS_HTTP_PORT", Integer.toString(taken.getLocalPort())));
            assertFailedFast(port);
            assertThat(port.line()).contains("port " + taken.getLocalPort(), "QUARKUS_HTTP_PORT");
        }

        Failed secret = launch(Map.of("USAGE_DATA_DIR", data.toString(), "USAGE_TOKEN_SECRET", "too-short"));
        assertFailedFast(secret);
        assertThat(secret.line()).contains("USAGE_TOKEN_SECRET", "at least 32 bytes");
    }

    @Test
    void aDataDirectoryInUseNamesTheWayOut() throws Exception {
        Path data = Files.createTempDirectory("usage-events-startup-locked");
        try (AppProcess first = AppProcess.start(Map.of("USAGE_DATA_DIR", data.toString()))) {
            Failed second = launch(Map.of("USAGE_DATA_DIR", data.toString()));
            assertFailedFast(second);
            assertThat(second.line()).contains(data.toString(), "set USAGE_DATA_DIR or stop the other instance");
            assertThat(second.output()).doesNotContain("\tat ");
            assertThat(first.isAlive()).isTrue();
            assertThat(first.logText()).as("JDK 17 has no virtual threads, and the service uses none")
                    .doesNotContainIgnoringCase("virtual threads");
        }
    }

    @Test
    void anUnreachableDatabaseIsNamedByHostAndPort() throws Exception {
        int closed = freePort();
        Failed failed = launch(Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/usage",
                "QUARKUS_DATASOURCE_USERNAME", "usage"));
        assertFailedFast(failed);
        assertThat(failed.line()).contains("127.0.0.1:" + closed, "cannot be reached");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
