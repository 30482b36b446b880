package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import io.javalin.http.Context;

/** Path helpers shared by the resources. */
final class Resources {

    private Resources() {
    }

    /** The SID in a {@code {file}} path segment such as {@code PN123....json}; other suffixes are not found. */
    static String sid(Context ctx) {
        return stripSuffix(ctx, ".json");
    }

    static String stripSuffix(Context ctx, String suffix) {
        String file = ctx.pathParam("file");
        if (!file.endsWith(suffix) || file.length() == suffix.length()) {
            throw new PatchbayException.NotFound(ctx.path());
        }
        return file.substring(0, file.length() - suffix.length());
    }
}
