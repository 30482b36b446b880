package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import dev.patchbay.billing.Ledger;
import dev.patchbay.billing.Periods;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The operator's REST twins of {@code patchbay billing close-period} and {@code commission},
 * under {@code /operator/v1}, authenticated as user {@code operator} with the configured
 * {@code operator.token}. Without a token configured these routes do not exist (404).
 */
final class OperatorResource {

    private final Optional<String> token;
    private final Periods periods;
    private final Ledger ledger;

    OperatorResource(Optional<String> token, Periods periods, Ledger ledger) {
        this.token = token;
        this.periods = periods;
        this.ledger = ledger;
    }

    void routes(RoutesConfig r) {
        r.before("/operator/*", this::authenticate);
        r.post("/operator/v1/Periods/{Period}/Close", ctx -> {
            Periods.Closed closed = periods.close(ctx.pathParam("Period"));
            ctx.status(closed.now() ? 201 : 200).json(Json.object()
                    .put("period", closed.period())
                    .put("status", "closed")
                    .put("closed_now", closed.now())
                    .put("date_closed", Json.date(closed.closedAt()))
                    .put("invoices", closed.invoices())
                    .put("invoiced", closed.invoiced().toPlainString())
                    .put("payouts", closed.payouts())
                    .put("paid_out", closed.paidOut().toPlainString())
                    .put("commission", closed.commission().toPlainString())
                    .map());
        });
        r.post("/operator/v1/Commissions", ctx -> {
            Form form = Form.of(ctx);
            String subject = form.required("Subject").trim();
            String rate = form.required("Rate").trim();
            if (!rate.matches("[0-9](\\.[0-9]{1,6})?")) {
                throw PatchbayException.InvalidParameter.invalid("Rate", rate, "a decimal from 0 to 1 such as 0.20");
            }
            ledger.setCommission(subject, new BigDecimal(rate));
            ctx.status(201).json(Json.object().put("subject", subject).put("rate", rate).map());
        });
    }

    private void authenticate(Context ctx) {
        if (token.isEmpty()) {
            throw new PatchbayException.NotFound(ctx.path());
        }
        String header = ctx.header("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString(("operator:" + token.get()).getBytes(StandardCharsets.UTF_8));
        if (header == null || !MessageDigest.isEqual(header.trim().getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            throw new Auth.Unauthorized();
        }
    }
}
