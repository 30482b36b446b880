package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.number.Application;
import dev.patchbay.number.Applications;
import dev.patchbay.number.VoiceSettings;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code /Accounts/{AccountSid}/Applications}: Twilio's bundles of voice settings. */
final class ApplicationsResource {

    private static final String PATH = Renderers.BASE + "/{AccountSid}/Applications";

    private final AccountsResource accounts;
    private final Applications applications;

    ApplicationsResource(AccountsResource accounts, Applications applications) {
        this.accounts = accounts;
        this.applications = applications;
    }

    void routes(RoutesConfig r) {
        r.get(PATH + ".json", this::list);
        r.post(PATH + ".json", this::create);
        r.get(PATH + "/{file}", ctx -> ctx.json(Renderers.application(applications.require(accounts.owner(ctx), Resources.sid(ctx)))));
        r.post(PATH + "/{file}", this::update);
        r.delete(PATH + "/{file}", ctx -> {
            applications.delete(accounts.owner(ctx), Resources.sid(ctx));
            ctx.status(204);
        });
    }

    private void list(Context ctx) {
        Account owner = accounts.owner(ctx);
        Form form = Form.of(ctx);
        Paging.Request paging = Paging.Request.from(form);
        var page = applications.list(owner, form.optional("FriendlyName"), paging.page(), paging.pageSize());
        ctx.json(Paging.envelope("applications", page, Renderers::application,
                Renderers.BASE + "/" + owner.sid() + "/Applications.json", form.query("FriendlyName")));
    }

    private void create(Context ctx) {
        Account owner = accounts.owner(ctx);
        Form form = Form.of(ctx);
        String name = form.text("FriendlyName", 64).orElseThrow(() -> PatchbayException.InvalidParameter.missing("FriendlyName"));
        Application app = applications.create(owner, name, form.voice(VoiceSettings.NONE));
        ctx.status(201).json(Renderers.application(app));
    }

    private void update(Context ctx) {
        Account owner = accounts.owner(ctx);
        Form form = Form.of(ctx);
        ctx.json(Renderers.application(applications.update(owner, Resources.sid(ctx), current -> new Application(
                current.sid(), current.accountSid(), form.text("FriendlyName", 64).orElse(current.friendlyName()),
                form.voice(current.voice()), current.dateCreated(), current.dateUpdated()))));
    }
}
