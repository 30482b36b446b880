package dev.patchbay.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchbay.number.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The call path's HTTP/1.1 client against a loopback server that answers with exactly the bytes each test gives. */
class KeepAliveClientTest {

    private final KeepAliveClient client = new KeepAliveClient(Duration.ofSeconds(2), Duration.ofSeconds(4), 8, 1024);
    private RawServer server;

    @AfterEach
    void close() throws IOException {
        client.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void a_connection_is_kept_for_the_next_request() throws Exception {
        server = new RawServer(r -> ok("text/xml", "<Response/>"), false);

        for (int i = 0; i < 3; i++) {
            KeepAliveClient.Response response = post("/voice", "CallSid=CA1");
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("<Response/>");
        }
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(server.requests).hasSize(3).allSatisfy(r -> assertThat(r).startsWith("POST /voice HTTP/1.1\r\n").endsWith("\r\n\r\nCallSid=CA1"));
    }

    @Test
    void a_connection_the_server_closed_while_idle_is_replaced_and_the_request_sent_once() throws Exception {
        server = new RawServer(r -> ok("text/xml", "<Response/>"), true);   // closes after each answer, saying nothing

        assertThat(post("/voice", "n=1").status()).isEqualTo(200);
        assertThat(post("/voice", "n=2").status()).isEqualTo(200);

        assertThat(server.connections.get()).isEqualTo(2);
        assertThat(server.requests).hasSize(2);
    }

    @Test
    void a_chunked_answer_is_read_whole_and_the_connection_kept() throws Exception {
        server = new RawServer(r -> "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "a;ext=1\r\n<Response>\r\n0b\r\n</Response>\r\n0\r\nX-Trailer: t\r\n\r\n", false);

        assertThat(new String(post("/voice", "").body(), StandardCharsets.UTF_8)).isEqualTo("<Response></Response>");
        assertThat(post("/voice", "").status()).isEqualTo(200);
        assertThat(server.connections.get()).isEqualTo(1);
    }

    @Test
    void an_answer_without_a_length_is_read_until_the_server_closes() throws Exception {
        server = new RawServer(r -> "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n\r\n<Response><Hangup/></Response>", true);

        assertThat(new String(post("/voice", "").body(), StandardCharsets.UTF_8)).isEqualTo("<Response><Hangup/></Response>");
        assertThat(post("/voice", "").status()).isEqualTo(200);
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void interim_answers_are_skipped_and_headers_read_in_any_case() throws Exception {
        server = new RawServer(r -> "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-TYPE: text/plain\r\nContent-Length: 2\r\n\r\nhi", false);

        KeepAliveClient.Response response = post("/voice", "");
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("Content-Type")).contains("text/plain");
    }

    @Test
    void an_answer_longer_than_the_limit_is_refused_before_it_is_read() throws Exception {
        server = new RawServer(r -> ok("text/xml", "x".repeat(1025)), false);

        assertThatThrownBy(() -> post("/voice", "")).isInstanceOf(KeepAliveClient.TooLarge.class).hasMessageContaining("1025");
    }

    @Test
    void a_server_that_does_not_answer_times_out_at_the_deadline() throws Exception {
        server = new RawServer(r -> null, false);   // reads the request, never answers

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.exchange("GET", server.uri("/slow"), "", new byte[0], System.nanoTime() + 300_000_000L))
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
    }

    @Test
    void a_redirect_is_followed_and_the_new_request_signed_for_its_own_url() throws Exception {
        server = new RawServer(r -> r.startsWith("POST /moved ")
                ? "HTTP/1.1 307 Temporary Redirect\r\nLocation: /here?x=1\r\nContent-Length: 0\r\n\r\n"
                : ok("text/xml", "<Response><Hangup/></Response>"), false);
        String token = "12345";
        List<Map.Entry<String, String>> params = List.of(Map.entry("CallSid", "CA1"), Map.entry("From", "+14155550100"));
        try (AppClient app = new AppClient(HttpClient.newHttpClient(), Duration.ofSeconds(2))) {
            AppClient.Answer answer = app.fetch(new WebhookRequest(server.uri("/moved").toString(), HttpMethod.POST, params), token);

            assertThat(answer).isInstanceOf(AppClient.Answer.Twiml.class);
        }
        assertThat(server.requests).hasSize(2);
        String second = server.requests.get(1);
        assertThat(second).startsWith("POST /here?x=1 HTTP/1.1\r\n").endsWith("CallSid=CA1&From=%2B14155550100");
        assertThat(second).contains("X-Twilio-Signature: " + Signature.compute(token, server.uri("/here?x=1").toString(), params) + "\r\n");
    }

    private KeepAliveClient.Response post(String path, String form) throws IOException {
        return client.exchange("POST", server.uri(path), "Content-Type: application/x-www-form-urlencoded\r\n",
                form.getBytes(StandardCharsets.UTF_8), System.nanoTime() + 2_000_000_000L);
    }

    private static String ok(String type, String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** Reads each request (head and Content-Length body) and writes the bytes {@code answer} gives; null answers nothing. */
    private static final class RawServer implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final ServerSocket socket;

        RawServer(Function<String, String> answer, boolean closeAfterAnswer) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(s, answer, closeAfterAnswer));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
        }

        private void serve(Socket s, Function<String, String> answer, boolean closeAfterAnswer) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                while (true) {
                    String request = readRequest(in);
                    if (request == null) {
                        return;
                    }
                    requests.add(request);
                    String reply = answer.apply(request);
                    if (reply == null) {
                        in.read();   // until the client gives up
                        return;
                    }
                    out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (closeAfterAnswer) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        private static String readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String h = head.toString(StandardCharsets.ISO_8859_1);
                if (h.endsWith("\r\n\r\n")) {
                    int length = h.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                            .mapToInt(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElse(0);
                    return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
