package dev.patchbay.api;

import dev.patchbay.account.Account;
import dev.patchbay.endpoint.SipDomain;
import dev.patchbay.endpoint.SipDomains;
import dev.patchbay.endpoint.Trunks;
import io.javalin.config.RoutesConfig;
import java.util.Optional;

/**
 * Where calls go: {@code /SIP/Domains} with their {@code Credentials} (the registrar's realms and
 * users, as Twilio's SIP domains) and {@code /OutboundTrunks} (Patchbay's per-account termination
 * trunks, chosen by number prefix).
 */
final class EndpointsResource {

    private static final String DOMAINS = Renderers.BASE + "/{AccountSid}/SIP/Domains";
    private static final String TRUNKS = Renderers.BASE + "/{AccountSid}/OutboundTrunks";

    private final AccountsResource accounts;
    private final SipDomains domains;
    private final Trunks trunks;

    EndpointsResource(AccountsResource accounts, SipDomains domains, Trunks trunks) {
        this.accounts = accounts;
        this.domains = domains;
        this.trunks = trunks;
    }

    void routes(RoutesConfig r) {
        r.get(DOMAINS + ".json", ctx -> {
            Account owner = accounts.owner(ctx);
            ctx.json(Json.object().put("domains", domains.list(owner).stream().map(Renderers::sipDomain).toList()).map());
        });
        r.post(DOMAINS + ".json", ctx -> {
            Account owner = accounts.owner(ctx);
            Form form = Form.of(ctx);
            String name = form.required("DomainName").trim();
            ctx.status(201).json(Renderers.sipDomain(domains.create(owner, name, form.text("FriendlyName", 64).orElse(name))));
        });
        r.get(DOMAINS + "/{file}", ctx -> ctx.json(Renderers.sipDomain(domains.require(accounts.owner(ctx), Resources.sid(ctx)))));
        r.get(DOMAINS + "/{DomainSid}/Credentials.json", ctx -> {
            SipDomain domain = domains.require(accounts.owner(ctx), ctx.pathParam("DomainSid"));
            ctx.json(Json.object().put("credentials", domains.credentials(domain).stream().map(Renderers::sipCredential).toList()).map());
        });
        r.post(DOMAINS + "/{DomainSid}/Credentials.json", ctx -> {
            SipDomain domain = domains.require(accounts.owner(ctx), ctx.pathParam("DomainSid"));
            Form form = Form.of(ctx);
            ctx.status(201).json(Renderers.sipCredential(domains.addCredential(domain, form.required("Username").trim(), form.required("Password"))));
        });
        r.delete(DOMAINS + "/{DomainSid}/Credentials/{file}", ctx -> {
            SipDomain domain = domains.require(accounts.owner(ctx), ctx.pathParam("DomainSid"));
            domains.removeCredential(domain, Resources.sid(ctx));
            ctx.status(204);
        });
        r.get(TRUNKS + ".json", ctx -> {
            Account owner = accounts.owner(ctx);
            ctx.json(Json.object().put("trunks", trunks.list(owner).stream().map(Renderers::trunk).toList()).map());
        });
        r.post(TRUNKS + ".json", ctx -> {
            Account owner = accounts.owner(ctx);
            Form form = Form.of(ctx);
            ctx.status(201).json(Renderers.trunk(trunks.create(owner, form.text("FriendlyName", 64).orElse("trunk"),
                    form.optional("Prefix").map(String::trim).filter(p -> !p.isEmpty()).orElse("+"), form.required("TerminationUri").trim(),
                    optional(form, "Username"), optional(form, "Password"))));
        });
        r.get(TRUNKS + "/{file}", ctx -> ctx.json(Renderers.trunk(trunks.require(accounts.owner(ctx), Resources.sid(ctx)))));
        r.delete(TRUNKS + "/{file}", ctx -> {
            trunks.delete(accounts.owner(ctx), Resources.sid(ctx));
            ctx.status(204);
        });
    }

    private static Optional<String> optional(Form form, String name) {
        return form.optional(name).filter(v -> !v.isEmpty());
    }
}
