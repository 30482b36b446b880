package dev.patchbay.api;

import dev.patchbay.account.Account;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** What a feature outside this package needs to add routes: the route table and the account-in-path check. */
public final class ApiRoutes {

    private final RoutesConfig routes;
    private final AccountsResource accounts;

    ApiRoutes(RoutesConfig routes, AccountsResource accounts) {
        this.routes = routes;
        this.accounts = accounts;
    }

    public RoutesConfig routes() {
        return routes;
    }

    /** The account named in the path, if the authenticated caller may act for it; 404 otherwise. */
    public Account owner(Context ctx) {
        return accounts.owner(ctx);
    }
}
