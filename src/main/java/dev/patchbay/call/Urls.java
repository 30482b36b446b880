package dev.patchbay.call;

import java.net.URI;
import java.net.URISyntaxException;

/** Relative URLs in a document resolve against the document's own URL, as in a browser; module and outlet links stay as written. */
final class Urls {

    private Urls() {
    }

    static String resolve(String documentUrl, String url) {
        String trimmed = url.trim();
        if (trimmed.startsWith(Links.MODULE) || trimmed.startsWith(Links.OUTLET)) {
            return trimmed;   // links to modules and outlets are not URLs of the document's server
        }
        try {
            return new URI(documentUrl).resolve(new URI(url.trim())).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return url;
        }
    }
}
