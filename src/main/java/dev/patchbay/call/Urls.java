package dev.patchbay.call;

import java.net.URI;
import java.net.URISyntaxException;

/** Relative URLs in a document resolve against the document's own URL, as in a browser. */
final class Urls {

    private Urls() {
    }

    static String resolve(String documentUrl, String url) {
        try {
            return new URI(documentUrl).resolve(new URI(url.trim())).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return url;
        }
    }
}
