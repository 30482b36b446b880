package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.number.Numbers;
import dev.patchbay.number.PhoneNumbers;
import dev.patchbay.service.Verifications;
import io.javalin.config.RoutesConfig;
import java.util.Map;
import java.util.Optional;

/**
 * The verification code service over REST, shaped like Twilio Verify's Verifications and
 * VerificationCheck: {@code POST /v1/Verifications} (To, Channel=call, CodeLength, From: one of
 * the account's numbers, default its first), {@code GET /v1/Verifications/{Sid}},
 * {@code POST /v1/VerificationCheck} (To, Code).
 */
final class VerificationsResource {

    private final Verifications verifications;
    private final Numbers numbers;

    VerificationsResource(Verifications verifications, Numbers numbers) {
        this.verifications = verifications;
        this.numbers = numbers;
    }

    void routes(RoutesConfig r) {
        r.post("/v1/Verifications", ctx -> {
            Account owner = Auth.account(ctx);
            Form form = Form.of(ctx);
            String to = form.required("To").trim();
            if (!PhoneNumbers.isE164(to)) {
                throw PatchbayException.InvalidParameter.invalid("To", to, "an E.164 number such as +14155551212");
            }
            String from = form.optional("From").map(String::trim).filter(f -> !f.isEmpty())
                    .or(() -> numbers.list(owner, Optional.empty(), Optional.empty(), 0, 1).items().stream().findFirst().map(n -> n.phoneNumber()))
                    .orElseThrow(() -> new PatchbayException.InvalidParameter(20001, "From: the account has no number to call from; add one or give From"));
            ctx.status(201).json(render(verifications.start(owner.sid(), to, from, form.optional("Channel").orElse("call").trim(),
                    form.integer("CodeLength", 6, 4, 10))));
        });
        r.get("/v1/Verifications/{Sid}", ctx -> ctx.json(render(verifications.find(Auth.account(ctx).sid(), ctx.pathParam("Sid"))
                .orElseThrow(() -> new PatchbayException.NotFound("/v1/Verifications/" + ctx.pathParam("Sid"))))));
        r.post("/v1/VerificationCheck", ctx -> {
            Form form = Form.of(ctx);
            ctx.json(render(verifications.check(Auth.account(ctx).sid(), form.required("To").trim(), form.required("Code"))));
        });
    }

    private static Map<String, Object> render(Verifications.Verification v) {
        return Json.object()
                .put("sid", v.sid())
                .put("account_sid", v.accountSid())
                .put("to", v.to())
                .put("channel", v.channel())
                .put("status", v.status())
                .put("valid", v.valid())
                .put("attempts", v.attempts())
                .put("date_expires", Json.date(v.expiresAt()))
                .put("date_created", Json.date(v.dateCreated()))
                .put("date_updated", Json.date(v.dateUpdated()))
                .put("url", "/v1/Verifications/" + v.sid())
                .map();
    }
}
