package dev.patchbay.webhook;

import dev.patchbay.number.HttpMethod;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One signed request to an application or a callback URL, built the way Twilio builds it: POST
 * with a form body, or GET with the parameters appended to the query string.
 */
public record WebhookRequest(String url, HttpMethod method, List<Map.Entry<String, String>> params) {

    public HttpRequest toHttp(String authToken, Duration timeout) {
        return builder(authToken).timeout(timeout).build();
    }

    /** Without a timeout of the HTTP client's: the caller bounds its wait itself (no timer registered with the client). */
    public HttpRequest toHttp(String authToken) {
        return builder(authToken).build();
    }

    private HttpRequest.Builder builder(String authToken) {
        String encoded = params.stream()
                .map(p -> URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b;
        if (method == HttpMethod.GET) {
            String full = encoded.isEmpty() ? url : url + (url.contains("?") ? "&" : "?") + encoded;
            b = HttpRequest.newBuilder(URI.create(full)).GET().header(Signature.HEADER, Signature.compute(authToken, full, List.of()));
        } else {
            b = HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .header(Signature.HEADER, Signature.compute(authToken, url, params))
                    .POST(HttpRequest.BodyPublishers.ofString(encoded));
        }
        return b.header("User-Agent", "Patchbay/0.1 (TwilioProxy compatible)").header("Accept", "text/xml, application/xml, */*");
    }
}
