package dev.patchbay.webhook;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches an application's instructions. Blocking by design: it runs on the call's virtual thread.
 * Plain {@code http://} applications are asked over connections kept alive by {@link KeepAliveClient}
 * on that thread; {@code https://} ones through the JDK's HttpClient. Redirects are followed (at most
 * {@value #MAX_REDIRECTS}). The answer is classified by Content-Type; everything else becomes a
 * {@link WebhookFailure}.
 */
public final class AppClient implements AutoCloseable {

    private static final int MAX_BODY = 256 * 1024;
    private static final int MAX_REDIRECTS = 5;
    /** Shorter than the shortest common server default (Node's 5 s), so a kept connection is rarely found closed. */
    private static final Duration KEEP_IDLE = Duration.ofSeconds(4);

    private final HttpClient http;
    private final KeepAliveClient plain;
    private final Duration timeout;

    /** What the application answered with. */
    public sealed interface Answer {
        /** TwiML to parse (XML or HTML content types, as Twilio accepts). */
        record Twiml(byte[] body) implements Answer {
        }

        /** Audio content: Twilio plays it. */
        record Audio(String url) implements Answer {
        }

        /** Plain text: Twilio says it. */
        record Text(String text) implements Answer {
        }
    }

    public AppClient(HttpClient http, Duration timeout) {
        this.http = http;
        this.plain = new KeepAliveClient(Duration.ofSeconds(5), KEEP_IDLE, 64, MAX_BODY);
        this.timeout = timeout;
    }

    /** Asks the application; waits at most the timeout for its whole answer, redirects included. */
    public Answer fetch(WebhookRequest request, String authToken) {
        long deadline = System.nanoTime() + timeout.toNanos();
        WebhookRequest current = request;
        for (int redirects = 0; ; redirects++) {
            URI uri;
            try {
                uri = URI.create(current.target());
            } catch (IllegalArgumentException e) {
                throw new WebhookFailure(WebhookFailure.HTTP_RETRIEVAL_FAILURE, "not a usable URL: " + current.url());
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                return viaHttpClient(current, authToken, deadline);   // TLS; it follows redirects itself
            }
            KeepAliveClient.Response response = viaKeptConnection(current, uri, authToken, deadline);
            Optional<String> location = response.header("Location");
            if (response.status() / 100 == 3 && response.status() != 304 && location.isPresent()) {
                if (redirects == MAX_REDIRECTS) {
                    throw new WebhookFailure(WebhookFailure.HTTP_RETRIEVAL_FAILURE, request.url() + " redirected more than " + MAX_REDIRECTS + " times");
                }
                try {
                    current = current.redirectedTo(uri.resolve(location.get()).toString(), response.status());
                } catch (IllegalArgumentException e) {
                    throw new WebhookFailure(WebhookFailure.HTTP_RETRIEVAL_FAILURE, current.url() + " redirected to an unusable URL: " + location.get());
                }
                continue;
            }
            return classify(current, response.status(), response.header("Content-Type").orElse(""), response.body());
        }
    }

    private KeepAliveClient.Response viaKeptConnection(WebhookRequest request, URI uri, String authToken, long deadline) {
        try {
            return plain.exchange(request.method().name(), uri, request.headerLines(authToken), request.body(), deadline);
        } catch (ConnectException | UnknownHostException e) {
            throw new WebhookFailure(WebhookFailure.HTTP_CONNECTION_FAILURE, "cannot connect to " + request.url());
        } catch (SocketTimeoutException e) {
            throw new WebhookFailure(WebhookFailure.HTTP_RETRIEVAL_FAILURE, "no answer from " + request.url() + " within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new WebhookFailure(WebhookFailure.HTTP_RETRIEVAL_FAILURE, "interrupted while requesting " + request.url());
            }
            throw new WebhookFailure(WebhookFailure.HTTP_RETRIEVAL_FAILURE, "request to " + request.url() + " failed: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    /**
     * The wait is bounded here, not by a request timeout of the HTTP client's: each of those is a
     * timer registered and cancelled under the client's lock with a wake-up of its selector thread,
     * which under load made calls' threads queue on that lock for hundreds of milliseconds.
     */
    private Answer viaHttpClient(WebhookRequest request, String authToken, long deadline) {
        HttpResponse<byte[]> response;
        CompletableFuture<HttpResponse<byte[]>> pending = null;
        try {
            pending = http.sendAsync(request.toHttp(authToken), HttpResponse.BodyHandlers.ofByteArray());
            response = pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);   // aborts the exchange
            throw new WebhookFailure(WebhookFailure.HTTP_RETRIEVAL_FAILURE, "no answer from " + request.url() + " within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConnectException || (cause != null && cause.getCause() instanceof ConnectException)) {
                throw new WebhookFailure(WebhookFailure.HTTP_CONNECTION_FAILURE, "cannot connect to " + request.url());
            }
            throw new WebhookFailure(WebhookFailure.HTTP_RETRIEVAL_FAILURE, "request to " + request.url() + " failed: "
                    + (cause == null ? e.getMessage() : cause.getMessage() == null ? cause.toString() : cause.getMessage()));
        } catch (InterruptedException e) {
            if (pending != null) {
                pending.cancel(true);
            }
            Thread.currentThread().interrupt();
            throw new WebhookFailure(WebhookFailure.HTTP_RETRIEVAL_FAILURE, "interrupted while requesting " + request.url());
        } catch (IllegalArgumentException e) {
            throw new WebhookFailure(WebhookFailure.HTTP_RETRIEVAL_FAILURE, "not a usable URL: " + request.url());
        }
        return classify(request, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    private static Answer classify(WebhookRequest request, int status, String contentType, byte[] body) {
        if (status / 100 != 2) {
            throw new WebhookFailure(WebhookFailure.HTTP_RETRIEVAL_FAILURE, request.url() + " answered HTTP " + status);
        }
        if (body.length > MAX_BODY) {
            throw new WebhookFailure(WebhookFailure.HTTP_RETRIEVAL_FAILURE, request.url() + " answered " + body.length + " bytes; the limit is " + MAX_BODY);
        }
        String type = contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        if (type.equals("text/xml") || type.equals("application/xml") || type.equals("text/html") || type.endsWith("+xml")) {
            return new Answer.Twiml(body);
        }
        if (type.startsWith("audio/")) {
            return new Answer.Audio(request.url());
        }
        if (type.equals("text/plain")) {
            return new Answer.Text(new String(body, StandardCharsets.UTF_8));
        }
        throw new WebhookFailure(WebhookFailure.INVALID_CONTENT_TYPE,
                request.url() + " answered Content-Type '" + type + "'; TwiML must be text/xml or application/xml");
    }

    /** Closes the kept connections. */
    @Override
    public void close() {
        plain.close();
    }
}
