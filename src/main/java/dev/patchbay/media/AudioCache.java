package dev.patchbay.media;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Audio fetched by URL for {@code <Play>}, decoded once to 8 kHz PCM and kept with its HTTP
 * validators: fresh entries (Cache-Control max-age) are served without a request; stale ones are
 * revalidated with If-None-Match / If-Modified-Since; {@code no-store} is never kept.
 */
public final class AudioCache {

    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");
    private static final int MAX_BYTES = 32 * 1024 * 1024;

    private final HttpClient http;
    private final Clock clock;
    private final Duration timeout;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(short[] pcm, Optional<String> etag, Optional<String> lastModified, Instant freshUntil) {
    }

    public AudioCache(HttpClient http, Clock clock, Duration timeout) {
        this.http = http;
        this.clock = clock;
        this.timeout = timeout;
    }

    public short[] fetch(String url) {
        Entry cached = entries.get(url);
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.freshUntil())) {
            return cached.pcm();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET();
        if (cached != null) {
            cached.etag().ifPresent(e -> request.header("If-None-Match", e));
            cached.lastModified().ifPresent(m -> request.header("If-Modified-Since", m));
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new MediaException("cannot fetch " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaException("interrupted fetching " + url, e);
        }
        Optional<String> cacheControl = response.headers().firstValue("Cache-Control").map(v -> v.toLowerCase(Locale.ROOT));
        if (response.statusCode() == 304 && cached != null) {
            entries.put(url, new Entry(cached.pcm(), cached.etag(), cached.lastModified(), freshUntil(now, cacheControl)));
            return cached.pcm();
        }
        if (response.statusCode() / 100 != 2) {
            throw new MediaException("fetching " + url + " answered HTTP " + response.statusCode());
        }
        byte[] body = response.body();
        if (body.length > MAX_BYTES) {
            throw new MediaException(url + " is larger than " + MAX_BYTES + " bytes");
        }
        short[] pcm = decode(url, body, response.headers().firstValue("Content-Type").orElse(""));
        if (cacheControl.filter(c -> c.contains("no-store")).isEmpty()) {
            entries.put(url, new Entry(pcm, response.headers().firstValue("ETag"), response.headers().firstValue("Last-Modified"),
                    freshUntil(now, cacheControl)));
        } else {
            entries.remove(url);
        }
        return pcm;
    }

    private static Instant freshUntil(Instant now, Optional<String> cacheControl) {
        if (cacheControl.isEmpty() || cacheControl.get().contains("no-cache")) {
            return now;   // revalidate every time
        }
        Matcher m = MAX_AGE.matcher(cacheControl.get());
        return m.find() ? now.plusSeconds(Long.parseLong(m.group(1))) : now;
    }

    static short[] decode(String url, byte[] body, String contentType) {
        if (Wav.looksLikeWav(body)) {
            return Wav.decode(body);
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith("audio/basic") || type.startsWith("audio/x-mulaw") || type.startsWith("audio/pcmu")) {
            short[] pcm = new short[body.length];
            for (int i = 0; i < body.length; i++) {
                pcm[i] = G711.ulawToLinear(body[i]);
            }
            return pcm;
        }
        if (type.startsWith("audio/mpeg") || type.startsWith("audio/mp3")) {
            throw new MediaException(url + " is MP3, which Patchbay does not decode; serve WAV (PCM, mu-law or A-law)");
        }
        throw new MediaException(url + " is not playable audio (Content-Type '" + contentType + "'); serve WAV");
    }
}
