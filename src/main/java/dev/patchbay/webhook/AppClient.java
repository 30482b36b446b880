package dev.patchbay.webhook;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches an application's instructions. Blocking by design: it runs on the call's virtual thread.
 * The answer is classified by Content-Type; everything else becomes a {@link WebhookFailure}.
 */
public final class AppClient {

    private static final int MAX_BODY = 256 * 1024;

    private final HttpClient http;
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
        this.timeout = timeout;
    }

    /**
     * Asks the application; waits at most the timeout for its whole answer. The wait is bounded
     * here, not by a request timeout of the HTTP client's: each of those is a timer registered and
     * cancelled under the client's lock with a wake-up of its selector thread, which under load made
     * calls' threads queue on that lock for hundreds of milliseconds.
     */
    public Answer fetch(WebhookRequest request, String authToken) {
        HttpResponse<byte[]> response;
        CompletableFuture<HttpResponse<byte[]>> pending = null;
        try {
            pending = http.sendAsync(request.toHttp(authToken), HttpResponse.BodyHandlers.ofByteArray());
            response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
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
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new WebhookFailure(WebhookFailure.HTTP_RETRIEVAL_FAILURE, request.url() + " answered HTTP " + status);
        }
        byte[] body = response.body();
        if (body.length > MAX_BODY) {
            throw new WebhookFailure(WebhookFailure.HTTP_RETRIEVAL_FAILURE, request.url() + " answered " + body.length + " bytes; the limit is " + MAX_BODY);
        }
        String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT).split(";")[0].trim();
        if (type.equals("text/xml") || type.equals("application/xml") || type.equals("text/html") || type.endsWith("+xml")) {
            return new Answer.Twiml(body);
        }
        if (type.startsWith("audio/")) {
            return new Answer.Audio(request.url());
        }
        if (type.equals("text/plain")) {
            return new Answer.Text(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
        throw new WebhookFailure(WebhookFailure.INVALID_CONTENT_TYPE,
                request.url() + " answered Content-Type '" + type + "'; TwiML must be text/xml or application/xml");
    }
}
