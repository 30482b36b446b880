package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where exceptions become HTTP responses, in Twilio's {code, message, more_info, status} shape. */
final class ErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    private static final String SENT = "patchbay.error-sent";

    private ErrorResponses() {
    }

    static void register(RoutesConfig routes) {
        routes.exception(Auth.Unauthorized.class, (e, ctx) -> {
            ctx.header("WWW-Authenticate", "Basic realm=\"Patchbay\"");
            send(ctx, 401, 20003, "Authentication Error - invalid username or password");
        });
        routes.exception(PatchbayException.NotFound.class, (e, ctx) -> send(ctx, 404, e.code(), e.getMessage()));
        routes.exception(PatchbayException.InvalidParameter.class, (e, ctx) -> send(ctx, 400, e.code(), e.getMessage()));
        routes.exception(PatchbayException.Conflict.class, (e, ctx) -> send(ctx, 400, e.code(), e.getMessage()));
        routes.exception(PatchbayException.class, (e, ctx) -> send(ctx, 400, e.code(), e.getMessage()));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            String message = switch (status) {
                case 413 -> "The request body is larger than this server accepts";
                case 405 -> "Method not allowed";
                default -> e.getMessage();
            };
            send(ctx, status, status == 405 ? 20004 : 20000 + status, message);
        });
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            send(ctx, 500, 20500, "Internal Server Error");
        });
        routes.error(404, "*", ctx -> {
            if (ctx.attribute(SENT) == null) {
                send(ctx, 404, 20404, "The requested resource " + ctx.path() + " was not found");
            }
        });
    }

    static void send(Context ctx, int status, int code, String message) {
        ctx.attribute(SENT, Boolean.TRUE);
        ctx.status(status).json(Json.object()
                .put("code", code)
                .put("message", message)
                .put("more_info", "https://www.twilio.com/docs/errors/" + code)
                .put("status", status)
                .map());
    }
}
