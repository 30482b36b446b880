package dev.patchbay.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real web application on loopback, as a TwiML app server would be: routes answer with
 * whatever the test says, and every request is kept so tests can check parameters and signatures.
 */
public final class AppServer implements AutoCloseable {

    /** A request as the app saw it. {@code params} holds the form body for POST, the query for GET. */
    public record Request(String method, String path, String query, Map<String, String> params, Map<String, List<String>> headers, String url) {
        public String param(String name) {
            return params.get(name);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    /** What a route answers. */
    public record Reply(int status, String contentType, byte[] body, Duration delay) {
        public static Reply twiml(String xml) {
            return new Reply(200, "text/xml", xml.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
        }

        public static Reply of(int status, String contentType, String body) {
            return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
        }

        public static Reply audio(byte[] wav) {
            return new Reply(200, "audio/wav", wav, Duration.ZERO);
        }

        public Reply after(Duration delay) {
            return new Reply(status, contentType, body, delay);
        }
    }

    private final HttpServer server;
    private final Map<String, Function<Request, Reply>> routes = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final List<Request> all = Collections.synchronizedList(new ArrayList<>());

    public AppServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public AppServer route(String path, Function<Request, Reply> handler) {
        routes.put(path, handler);
        return this;
    }

    public AppServer twiml(String path, String xml) {
        return route(path, r -> Reply.twiml(xml));
    }

    /** The next request to arrive at {@code path}, waiting up to 20 s. */
    public Request next(String path) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        synchronized (all) {
            for (Request r : all) {
                if (r.path().equals(path) && !taken.contains(r)) {
                    taken.add(r);
                    return r;
                }
            }
        }
        while (System.nanoTime() < deadline) {
            try {
                Request r = requests.poll(100, TimeUnit.MILLISECONDS);
                if (r != null && r.path().equals(path) && !taken.contains(r)) {
                    taken.add(r);
                    return r;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no request to " + path + " arrived; requests seen: " + all.stream().map(Request::path).toList());
    }

    /** By identity: a retried request can equal an earlier one field for field. */
    private final Set<Request> taken = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    public List<Request> requests(String path) {
        synchronized (all) {
            return all.stream().filter(r -> r.path().equals(path)).toList();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String query = exchange.getRequestURI().getRawQuery();
        String method = exchange.getRequestMethod();
        Map<String, String> params = parse(method.equals("POST") ? body : query);
        String path = exchange.getRequestURI().getPath();
        String url = url(path) + (query == null ? "" : "?" + query);
        Request request = new Request(method, path, query, params, Map.copyOf(exchange.getRequestHeaders()), url);
        all.add(request);
        requests.add(request);
        Function<Request, Reply> handler = routes.get(path);
        Reply reply = handler == null ? Reply.of(404, "text/plain", "not found") : handler.apply(request);
        if (!reply.delay().isZero()) {
            try {
                Thread.sleep(reply.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        } catch (IOException ignored) {
            // the client went away (a timeout test)
        }
    }

    private static Map<String, String> parse(String form) {
        Map<String, String> out = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) {
            return out;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
