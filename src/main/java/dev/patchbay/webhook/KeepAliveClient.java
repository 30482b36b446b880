package dev.patchbay.webhook;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * HTTP/1.1 over plain TCP for the call path's requests to applications, with connections kept alive
 * per origin. Blocking, for virtual threads: an exchange is one write and, for a short answer, one
 * read on the calling thread, where the JDK's HttpClient hands every exchange to its selector thread
 * and a pool of workers and back. Only {@code http://} URLs; TLS stays with the JDK's client.
 *
 * <p>A connection idle longer than {@code keepIdle} is closed rather than reused, so that one the
 * server has since closed is rarely picked; if a reused connection still fails before the first byte
 * of an answer arrives, the request is sent once more on a new connection (as OkHttp does).
 */
final class KeepAliveClient implements AutoCloseable {

    /** An answer, its header names in lower case (first value of each). */
    record Response(int status, Map<String, String> headers, byte[] body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** The answer's body is longer than the client accepts. */
    static final class TooLarge extends IOException {
        TooLarge(long length, int limit) {
            super("answered " + length + " bytes; the limit is " + limit);
        }
    }

    private final Map<String, ConcurrentLinkedDeque<Http1Connection>> idle = new ConcurrentHashMap<>();
    private final Duration connectTimeout;
    private final long keepIdleNanos;
    private final int maxIdlePerOrigin;
    private final int maxBody;

    KeepAliveClient(Duration connectTimeout, Duration keepIdle, int maxIdlePerOrigin, int maxBody) {
        this.connectTimeout = connectTimeout;
        this.keepIdleNanos = keepIdle.toNanos();
        this.maxIdlePerOrigin = maxIdlePerOrigin;
        this.maxBody = maxBody;
    }

    /**
     * Sends one request and reads its whole answer before the deadline ({@link System#nanoTime()}).
     * {@code headers} are complete header lines, each ending in CRLF; Host and Content-Length are
     * added here.
     */
    Response exchange(String method, URI uri, String headers, byte[] body, long deadline) throws IOException {
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not a plain http URL: " + uri);
        }
        String origin = origin(uri);
        byte[] head = requestHead(method, uri, headers, body.length).getBytes(StandardCharsets.ISO_8859_1);
        Http1Connection pooled = borrow(origin);
        if (pooled != null) {
            try {
                return send(pooled, origin, head, body, deadline);
            } catch (SocketTimeoutException | TooLarge e) {
                throw e;
            } catch (IOException e) {
                if (pooled.answered || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                // the server closed it while it sat idle: nothing was answered, so send again
            }
        }
        Http1Connection fresh = Http1Connection.open(uri, Math.min(connectTimeout.toMillis(), Http1Connection.remainingMillis(deadline)));
        return send(fresh, origin, head, body, deadline);
    }

    private Response send(Http1Connection c, String origin, byte[] head, byte[] body, long deadline) throws IOException {
        boolean reusable = false;
        try {
            c.answered = false;
            c.write(head, body);
            Response response = c.read(deadline, maxBody);
            reusable = c.reusable;
            return response;
        } finally {
            if (reusable) {
                release(origin, c);
            } else {
                c.close();
            }
        }
    }

    private Http1Connection borrow(String origin) {
        ConcurrentLinkedDeque<Http1Connection> q = idle.get(origin);
        if (q == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Http1Connection c; (c = q.pollFirst()) != null; ) {
            if (now - c.idleSince < keepIdleNanos) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private void release(String origin, Http1Connection c) {
        ConcurrentLinkedDeque<Http1Connection> q = idle.computeIfAbsent(origin, o -> new ConcurrentLinkedDeque<>());
        if (q.size() >= maxIdlePerOrigin) {
            c.close();
            return;
        }
        c.idleSince = System.nanoTime();
        q.offerFirst(c);   // the most recently used first: the rest age out
    }

    /** Closes every idle connection. */
    @Override
    public void close() {
        idle.values().forEach(q -> {
            for (Http1Connection c; (c = q.pollFirst()) != null; ) {
                c.close();
            }
        });
    }

    private static String origin(URI uri) {
        return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port(uri);
    }

    static int port(URI uri) {
        return uri.getPort() == -1 ? 80 : uri.getPort();
    }

    private static String requestHead(String method, URI uri, String headers, int contentLength) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        String host = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        StringBuilder b = new StringBuilder(160 + headers.length())
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\n")
                .append(headers);
        if (contentLength > 0 || method.equals("POST")) {
            b.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

}
