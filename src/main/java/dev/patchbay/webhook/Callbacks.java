package dev.patchbay.webhook;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fire-and-forget webhooks (status and recording callbacks), delivered off the call path on
 * virtual threads, in order per key (one call's callbacks never overtake each other), retried
 * with backoff on connection errors and 5xx answers.
 */
public final class Callbacks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Callbacks.class);

    private final HttpClient http;
    private final Duration timeout;
    private final int attempts;
    private final Duration firstBackoff;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, CompletableFuture<Delivery>> tails = new ConcurrentHashMap<>();

    /** How a delivery went: attempts made, the last HTTP status (0 when none answered), and whether it landed (below 400). */
    public record Delivery(int attempts, int statusCode) {
        public boolean delivered() {
            return statusCode >= 200 && statusCode < 400;
        }
    }

    public Callbacks(HttpClient http, Duration timeout, int attempts, Duration firstBackoff) {
        this.http = http;
        this.timeout = timeout;
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
    }

    /** Queues a delivery after the earlier ones with the same key. */
    public CompletableFuture<Delivery> send(String key, WebhookRequest request, String authToken) {
        CompletableFuture<Delivery> next = new CompletableFuture<>();
        CompletableFuture<Delivery> previous = tails.put(key, next);
        CompletableFuture<Delivery> start = previous == null ? CompletableFuture.completedFuture(null) : previous;
        start.whenCompleteAsync((ignored, error) -> {
            Delivery result = new Delivery(0, 0);
            try {
                result = deliver(request, authToken);
            } finally {
                next.complete(result);
                tails.remove(key, next);
            }
        }, executor);
        return next;
    }

    private Delivery deliver(WebhookRequest request, String authToken) {
        Duration backoff = firstBackoff;
        int status = 0;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HttpResponse<Void> response = http.send(request.toHttp(authToken, timeout), HttpResponse.BodyHandlers.discarding());
                status = response.statusCode();
                if (response.statusCode() < 500) {
                    if (response.statusCode() >= 400) {
                        log.info("callback {} answered {}; not retried", request.url(), response.statusCode());
                    }
                    return new Delivery(attempt, status);
                }
                log.info("callback {} answered {} (attempt {}/{})", request.url(), response.statusCode(), attempt, attempts);
            } catch (IOException | IllegalArgumentException e) {
                log.info("callback {} failed (attempt {}/{}): {}", request.url(), attempt, attempts, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Delivery(attempt, status);
            }
            if (attempt < attempts) {
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Delivery(attempt, status);
                }
                backoff = backoff.multipliedBy(2);
            }
        }
        log.warn("callback {} gave up after {} attempts", request.url(), attempts);
        return new Delivery(attempts, status);
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
