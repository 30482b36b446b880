package dev.patchbay.service;

import dev.patchbay.api.ApiRoutes;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where this node's twimlets live: {@code <node>/twimlets/<name>?<the twimlet's query>}. Served
 * over HTTP to anyone (twimlets.com needs no credentials either), and run in process, without an
 * HTTP round trip, when one of this node's calls fetches such a URL: those documents run in the
 * service mode (docs/services/twimlets.md). Thread-safe.
 */
public final class TwimletEndpoint {

    private static final String PATH = "/twimlets/";

    private final Supplier<String> httpBase;

    /** {@code httpBase}: this node's public HTTP base URL, e.g. {@code http://10.0.0.5:8080}. */
    public TwimletEndpoint(Supplier<String> httpBase) {
        this.httpBase = httpBase;
    }

    /** The twimlet a URL names on this node, if it names one. */
    public Optional<String> twimletOf(String url) {
        String prefix = httpBase.get() + PATH;
        if (!url.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = url.substring(prefix.length());
        int end = rest.indexOf('?');
        String name = end < 0 ? rest : rest.substring(0, end);
        return Twimlets.NAMES.contains(name) ? Optional.of(name) : Optional.empty();
    }

    /** Runs the twimlet {@code url} names, with the call's request parameters (as if POSTed to it). */
    public Twimlets.Reply answer(String url, List<Map.Entry<String, String>> requestParams) {
        String name = twimletOf(url).orElseThrow(() -> new IllegalArgumentException("not a twimlet of this node: " + url));
        List<Map.Entry<String, String>> params = new ArrayList<>(requestParams);
        params.addAll(query(URI.create(url).getRawQuery()));
        return Twimlets.answer(name, new Twimlets.Request(params, PATH + name, httpBase.get() + PATH + name));
    }

    /** The HTTP side: GET or POST {@code /twimlets/{name}}, no credentials; a redirect reply is a 302. */
    public static void routes(ApiRoutes api) {
        api.routes().get(PATH + "{name}", TwimletEndpoint::serve);
        api.routes().post(PATH + "{name}", TwimletEndpoint::serve);
    }

    private static void serve(Context ctx) {
        String name = ctx.pathParam("name");
        if (!Twimlets.NAMES.contains(name)) {
            ctx.status(404).contentType("text/plain").result("No twimlet " + name + "; there are " + Twimlets.NAMES);
            return;
        }
        List<Map.Entry<String, String>> params = new ArrayList<>();
        if (ctx.method().name().equals("POST")) {
            params.addAll(query(ctx.body()));
        }
        params.addAll(query(ctx.queryString()));
        String uri = ctx.scheme() + "://" + ctx.host() + PATH + name;
        switch (Twimlets.answer(name, new Twimlets.Request(params, PATH + name, uri))) {
            case Twimlets.Reply.Twiml t -> ctx.contentType("application/xml").result(t.xml());
            case Twimlets.Reply.Redirect r -> ctx.redirect(r.location(), HttpStatus.FOUND);
        }
    }

    /** Form-decodes a query string (or a form body) into its parameters, in order. */
    static List<Map.Entry<String, String>> query(String raw) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.add(Map.entry(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException malformed) {
                // a malformed escape: the parameter is skipped, as PHP would leave it unusable
            }
        }
        return out;
    }
}
