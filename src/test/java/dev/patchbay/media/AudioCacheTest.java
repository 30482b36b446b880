package dev.patchbay.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchbay.testing.AppServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AudioCacheTest {

    /** A clock the test moves by hand. */
    private static final class FakeClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @Test
    void audio_without_caching_headers_is_fetched_again_each_time() {
        byte[] wav = Wav.encode(Tones.sine(100, 8000, 440));
        try (AppServer server = new AppServer()) {
            server.route("/a.wav", r -> AppServer.Reply.audio(wav));
            AudioCache cache = new AudioCache(HttpClient.newHttpClient(), new FakeClock(), Duration.ofSeconds(5));
            assertThat(cache.fetch(server.url("/a.wav"))).hasSize(800);
            assertThat(cache.fetch(server.url("/a.wav"))).hasSize(800);
            assertThat(server.requests("/a.wav")).hasSize(2);
        }
    }

    @Test
    void max_age_avoids_requests_until_it_expires_then_a_304_keeps_the_audio() {
        byte[] wav = Wav.encode(Tones.sine(100, 8000, 440));
        try (var server = new CachingServer(wav)) {
            FakeClock clock = new FakeClock();
            AudioCache cache = new AudioCache(HttpClient.newHttpClient(), clock, Duration.ofSeconds(5));
            cache.fetch(server.url());
            cache.fetch(server.url());
            assertThat(server.full).isEqualTo(1);
            assertThat(server.conditional).isZero();

            clock.advance(Duration.ofSeconds(61));
            assertThat(cache.fetch(server.url())).hasSize(800);
            assertThat(server.full).isEqualTo(1);
            assertThat(server.conditional).isEqualTo(1);
        }
    }

    @Test
    void mp3_and_non_audio_are_refused_with_a_reason() {
        assertThatThrownBy(() -> AudioCache.decode("u", new byte[] {1, 2, 3}, "audio/mpeg")).hasMessageContaining("MP3");
        assertThatThrownBy(() -> AudioCache.decode("u", new byte[] {1, 2, 3}, "text/html")).hasMessageContaining("not playable");
    }

    /** A server with Cache-Control max-age=60 and an ETag, counting full and conditional requests. */
    private static final class CachingServer implements AutoCloseable {
        private final com.sun.net.httpserver.HttpServer server;
        volatile int full;
        volatile int conditional;

        CachingServer(byte[] wav) {
            try {
                server = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/a.wav", ex -> {
                ex.getResponseHeaders().add("ETag", "\"v1\"");
                ex.getResponseHeaders().add("Cache-Control", "max-age=60");
                if ("\"v1\"".equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                    conditional++;
                    ex.sendResponseHeaders(304, -1);
                } else {
                    full++;
                    ex.getResponseHeaders().add("Content-Type", "audio/wav");
                    ex.sendResponseHeaders(200, wav.length);
                    ex.getResponseBody().write(wav);
                }
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/a.wav";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
