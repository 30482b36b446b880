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

    private static final String USER_AGENT = "Patchbay/0.1 (TwilioProxy compatible)";
    private static final String ACCEPT = "text/xml, application/xml, */*";
    private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";

    public HttpRequest toHttp(String authToken, Duration timeout) {
        return builder(authToken).timeout(timeout).build();
    }

    /** Without a timeout of the HTTP client's: the caller bounds its wait itself (no timer registered with the client). */
    public HttpRequest toHttp(String authToken) {
        return builder(authToken).build();
    }

    /** The URL requested: for GET, with the parameters in its query string. */
    public String target() {
        if (method != HttpMethod.GET) {
            return url;
        }
        String encoded = form();
        return encoded.isEmpty() ? url : url + (url.contains("?") ? "&" : "?") + encoded;
    }

    /** The request's body: the form for POST, nothing for GET. */
    byte[] body() {
        return method == HttpMethod.GET ? new byte[0] : form().getBytes(StandardCharsets.UTF_8);
    }

    /** Header lines (each ending in CRLF) for {@link KeepAliveClient}: the same headers {@link #toHttp} sets. */
    String headerLines(String authToken) {
        String lines = "User-Agent: " + USER_AGENT + "\r\nAccept: " + ACCEPT + "\r\n" + Signature.HEADER + ": " + signature(authToken) + "\r\n";
        return method == HttpMethod.GET ? lines : lines + "Content-Type: " + FORM + "\r\n";
    }

    /**
     * The request to make after an HTTP redirect to {@code location}: 307 and 308 repeat the method
     * and its parameters; the others (301, 302, 303) become a GET without them, as browsers and the
     * JDK's client do. Signed anew for its own URL.
     */
    WebhookRequest redirectedTo(String location, int status) {
        return status == 307 || status == 308 ? new WebhookRequest(location, method, params) : new WebhookRequest(location, HttpMethod.GET, List.of());
    }

    private String signature(String authToken) {
        return method == HttpMethod.GET ? Signature.compute(authToken, target(), List.of()) : Signature.compute(authToken, url, params);
    }

    private String form() {
        return params.stream()
                .map(p -> URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private HttpRequest.Builder builder(String authToken) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target())).header(Signature.HEADER, signature(authToken));
        if (method == HttpMethod.GET) {
            b.GET();
        } else {
            b.header("Content-Type", FORM).POST(HttpRequest.BodyPublishers.ofByteArray(body()));
        }
        return b.header("User-Agent", USER_AGENT).header("Accept", ACCEPT);
    }
}
