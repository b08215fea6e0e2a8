package dev.usageevents.app.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usageevents.app.process.AppProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 to the service under test, synchronous: the callers' threads are the only concurrency, and the
 * client's own work runs on a small fixed pool.
 */
final class ServiceClient implements AutoCloseable {

    /** Long enough for a group commit queued behind a drain, short enough to end a hung test. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "service-client");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(executor).build();

    /** Sends the call and waits for its answer; a failure to get one is a reply too. */
    Reply send(Call call) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(call.uri()).timeout(REQUEST_TIMEOUT)
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        call.headers().forEach(request::header);
        long sentAt = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return Reply.answered(call, response.statusCode(), response.body(),
                    response.headers().firstValue("Retry-After"), sentAt);
        } catch (IOException e) {
            return Reply.failed(call, e, sentAt);
        }
    }

    /** Creates an account with the admin API. */
    Account createAccount(String baseUrl, String name) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/accounts"))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + AppProcess.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("account not created: " + response.statusCode() + " " + response.body());
        }
        JsonNode account = Reply.json(response.body());
        return new Account(UUID.fromString(account.path("id").asText()),
                account.path("sequence").path("clientId").asText(),
                account.path("sequence").path("clientSecret").asText(),
                account.path("mantle").path("appId").asText(), account.path("mantle").path("apiKey").asText());
    }

    /** The status of {@code /q/health/ready} (200 UP, 503 DOWN) and its body; status -1 if no answer. */
    Map.Entry<Integer, String> readiness(String baseUrl) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(baseUrl + "/q/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Map.entry(response.statusCode(), response.body());
        } catch (IOException e) {
            return Map.entry(-1, e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
