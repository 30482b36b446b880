package dev.patchbay.api;

import dev.patchbay.account.Account;
import dev.patchbay.number.IncomingNumber;
import dev.patchbay.number.Numbers;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.util.Optional;

/** {@code /Accounts/{AccountSid}/IncomingPhoneNumbers}: create, list with filters, fetch, update, delete. */
final class NumbersResource {

    private static final String PATH = Renderers.BASE + "/{AccountSid}/IncomingPhoneNumbers";

    private final AccountsResource accounts;
    private final Numbers numbers;

    NumbersResource(AccountsResource accounts, Numbers numbers) {
        this.accounts = accounts;
        this.numbers = numbers;
    }

    void routes(RoutesConfig r) {
        r.get(PATH + ".json", this::list);
        r.post(PATH + ".json", this::create);
        r.get(PATH + "/{file}", ctx -> ctx.json(Renderers.number(numbers.require(accounts.owner(ctx), Resources.sid(ctx)))));
        r.post(PATH + "/{file}", this::update);
        r.delete(PATH + "/{file}", ctx -> {
            numbers.delete(accounts.owner(ctx), Resources.sid(ctx));
            ctx.status(204);
        });
    }

    private void list(Context ctx) {
        Account owner = accounts.owner(ctx);
        Form form = Form.of(ctx);
        Paging.Request paging = Paging.Request.from(form);
        var page = numbers.list(owner, form.optional("PhoneNumber"), form.optional("FriendlyName"), paging.page(), paging.pageSize());
        ctx.json(Paging.envelope("incoming_phone_numbers", page, Renderers::number,
                Renderers.BASE + "/" + owner.sid() + "/IncomingPhoneNumbers.json", form.query("PhoneNumber", "FriendlyName")));
    }

    private void create(Context ctx) {
        Account owner = accounts.owner(ctx);
        Form form = Form.of(ctx);
        String phoneNumber = form.required("PhoneNumber");
        IncomingNumber created = numbers.create(owner, phoneNumber, draft -> apply(form, draft));
        ctx.status(201).json(Renderers.number(created));
    }

    private void update(Context ctx) {
        Account owner = accounts.owner(ctx);
        Form form = Form.of(ctx);
        ctx.json(Renderers.number(numbers.update(owner, Resources.sid(ctx), current -> apply(form, current))));
    }

    /**
     * The number with the request's parameters applied. Setting one routing target (VoiceUrl,
     * VoiceModuleSid, VoiceFlowSid, VoiceEndpoint) clears the others the request does not name.
     */
    private static IncomingNumber apply(Form form, IncomingNumber n) {
        var voice = form.voice(n.voice());
        Optional<String> module = optionalSid(form, "VoiceModuleSid", n.voiceModuleSid());
        Optional<String> flow = optionalSid(form, "VoiceFlowSid", n.voiceFlowSid());
        Optional<String> endpoint = optionalSid(form, "VoiceEndpoint", n.voiceEndpoint());
        Optional<String> onHangup = optionalSid(form, "VoiceEndpointHangupUrl", n.voiceEndpointHangupUrl());
        boolean urlSet = form.optional("VoiceUrl").filter(v -> !v.isBlank()).isPresent();
        boolean moduleSet = form.optional("VoiceModuleSid").filter(v -> !v.isBlank()).isPresent();
        boolean flowSet = form.optional("VoiceFlowSid").filter(v -> !v.isBlank()).isPresent();
        boolean endpointSet = form.optional("VoiceEndpoint").filter(v -> !v.isBlank()).isPresent();
        if (urlSet || moduleSet || flowSet || endpointSet) {
            if (!urlSet) {
                voice = voice.withUrl(Optional.empty());
            }
            module = moduleSet ? module : Optional.empty();
            flow = flowSet ? flow : Optional.empty();
            endpoint = endpointSet ? endpoint : Optional.empty();
            onHangup = endpointSet ? onHangup : Optional.empty();
        }
        return new IncomingNumber(n.sid(), n.accountSid(), n.phoneNumber(),
                form.text("FriendlyName", 64).orElse(n.friendlyName()), voice,
                optionalSid(form, "VoiceApplicationSid", n.voiceApplicationSid()), module, flow, endpoint, onHangup,
                form.optional("MaxPrice").map(v -> v.isBlank() ? Optional.<BigDecimal>empty() : Optional.of(Form.money("MaxPrice", v)))
                        .orElse(n.maxPrice()),
                n.dateCreated(), n.dateUpdated());
    }

    private static Optional<String> optionalSid(Form form, String name, Optional<String> current) {
        return form.optional(name).map(v -> v.isBlank() ? Optional.<String>empty() : Optional.of(v.trim())).orElse(current);
    }
}
