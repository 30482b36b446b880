package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.account.AccountStatus;
import dev.patchbay.account.Accounts;
import dev.patchbay.account.ApiKey;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/** {@code /Accounts}: the caller's account and its subaccounts, and the API keys of each. */
final class AccountsResource {

    private final Accounts accounts;

    AccountsResource(Accounts accounts) {
        this.accounts = accounts;
    }

    void routes(RoutesConfig r) {
        r.get(Renderers.BASE + ".json", this::list);
        r.post(Renderers.BASE + ".json", this::createSubaccount);
        r.get(Renderers.BASE + "/{file}", ctx -> ctx.json(Renderers.account(target(ctx))));
        r.post(Renderers.BASE + "/{file}", this::update);
        r.get(Renderers.BASE + "/{AccountSid}/Keys.json", this::listKeys);
        r.post(Renderers.BASE + "/{AccountSid}/Keys.json", this::createKey);
        r.get(Renderers.BASE + "/{AccountSid}/Keys/{file}", this::fetchKey);
        r.delete(Renderers.BASE + "/{AccountSid}/Keys/{file}", this::deleteKey);
    }

    /** The account named by {@code {AccountSid}} in the path, if the caller may see it; 404 otherwise. */
    Account owner(Context ctx) {
        return accounts.require(Auth.account(ctx), ctx.pathParam("AccountSid"));
    }

    private Account target(Context ctx) {
        return accounts.require(Auth.account(ctx), Resources.sid(ctx));
    }

    private void list(Context ctx) {
        Form form = Form.of(ctx);
        Paging.Request paging = Paging.Request.from(form);
        var page = accounts.listVisible(Auth.account(ctx), form.optional("FriendlyName"),
                form.optional("Status").map(AccountStatus::parse), paging.page(), paging.pageSize());
        ctx.json(Paging.envelope("accounts", page, Renderers::account, Renderers.BASE + ".json", form.query("FriendlyName", "Status")));
    }

    private void createSubaccount(Context ctx) {
        Account viewer = Auth.account(ctx);
        if (viewer.parentSid().isPresent()) {
            throw new PatchbayException.InvalidParameter(20001, "A subaccount cannot create subaccounts");
        }
        Form form = Form.of(ctx);
        String name = form.text("FriendlyName", 64).orElse("SubAccount Created at " + Json.date(Instant.now()));
        ctx.status(201).json(Renderers.account(accounts.createSubaccount(viewer, name)));
    }

    private void update(Context ctx) {
        Account viewer = Auth.account(ctx);
        Account target = target(ctx);
        Form form = Form.of(ctx);
        var status = form.optional("Status").map(AccountStatus::parse);
        if (status.isPresent() && target.sid().equals(viewer.sid())) {
            throw new PatchbayException.InvalidParameter(20001, "An account cannot change its own status; its parent account or an operator can");
        }
        ctx.json(Renderers.account(accounts.update(target, form.text("FriendlyName", 64), status)));
    }

    private void listKeys(Context ctx) {
        Account owner = owner(ctx);
        var keys = accounts.keys(owner);
        ctx.json(Json.object().put("keys", keys.stream().map(Renderers::key).toList())
                .put("uri", Renderers.BASE + "/" + owner.sid() + "/Keys.json").map());
    }

    private void createKey(Context ctx) {
        Account owner = owner(ctx);
        var created = accounts.createKey(owner, Form.of(ctx).text("FriendlyName", 64).orElse(""));
        var body = Renderers.key(created.key());
        body.put("secret", created.secret());
        ctx.status(201).json(body);
    }

    private void fetchKey(Context ctx) {
        Account owner = owner(ctx);
        String sid = Resources.sid(ctx);
        List<ApiKey> keys = accounts.keys(owner);
        ctx.json(Renderers.key(keys.stream().filter(k -> k.sid().equals(sid)).findFirst()
                .orElseThrow(() -> new PatchbayException.NotFound("/Keys/" + sid))));
    }

    private void deleteKey(Context ctx) {
        Account owner = owner(ctx);
        String sid = Resources.sid(ctx);
        if (!accounts.deleteKey(owner, sid)) {
            throw new PatchbayException.NotFound("/Keys/" + sid);
        }
        ctx.status(204);
    }
}
