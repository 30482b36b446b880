package dev.patchbay.api;

import dev.patchbay.account.Account;
import dev.patchbay.account.Accounts;
import dev.patchbay.billing.CountedUsage;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * HTTP Basic authentication with AccountSid:AuthToken or ApiKeySid:Secret. The authenticated
 * account is kept on the request; resources read it with {@link #account(Context)}.
 */
final class Auth {

    private static final String ATTRIBUTE = "patchbay.account";

    private final Accounts accounts;
    private final CountedUsage usage;

    Auth(Accounts accounts, CountedUsage usage) {
        this.accounts = accounts;
        this.usage = usage;
    }

    void authenticate(Context ctx) {
        if (RecordingsResource.isPublicMedia(ctx)) {
            return;   // recording audio is fetched by SID alone, as on Twilio (SIDs are 128-bit random)
        }
        String[] presented = credentials(ctx.header("Authorization")).orElseThrow(Unauthorized::new);
        Account account = accounts.authenticate(presented[0], presented[1]).orElseThrow(Unauthorized::new);
        ctx.attribute(ATTRIBUTE, account);
        usage.apiRequest(account.sid(), presented[0]);   // counted per account and per credential (the account or an API key)
    }

    static Account account(Context ctx) {
        Account account = ctx.attribute(ATTRIBUTE);
        if (account == null) {
            throw new Unauthorized();
        }
        return account;
    }

    private static Optional<String[]> credentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? Optional.empty() : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Missing or wrong credentials; mapped to 401 with error 20003. */
    static final class Unauthorized extends RuntimeException {
        Unauthorized() {
            super("Authenticate");
        }
    }
}
