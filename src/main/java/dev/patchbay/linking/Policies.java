package dev.patchbay.linking;

import dev.patchbay.account.Account;
import dev.patchbay.store.Database;
import java.util.List;
import java.util.Optional;

/**
 * The policy engine: a chain of small policies asked before every hand-off. The first refusal
 * wins; its reason is a short token recorded in the call's segments and notifications.
 */
public final class Policies {

    /** May {@code account} hand a call to {@code module} now? {@code installation} is its active one, if any. */
    @FunctionalInterface
    public interface Policy {
        Optional<Denial> check(Account account, Module module, Optional<Installation> installation);
    }

    /** A refusal: {@code reason} is a token ({@code not-installed}), {@code message} says it to a person. */
    public record Denial(String reason, String message) {
    }

    private final List<Policy> chain;

    public Policies(List<Policy> chain) {
        this.chain = List.copyOf(chain);
    }

    /**
     * The platform's chain, in order: account active, module not banned, installed or owned, under
     * the concurrency limit, balance or credit sufficient.
     */
    public static Policies standard(Database db, int maxConcurrentCalls, dev.patchbay.billing.PaymentTerms terms) {
        return new Policies(List.of(accountActive(), notBanned(), installedOrOwned(), concurrentCalls(db, maxConcurrentCalls), balance(terms)));
    }

    /** A prepaid account needs a balance above zero; a postpaid one with a credit limit must be within it. */
    static Policy balance(dev.patchbay.billing.PaymentTerms terms) {
        return (account, module, installation) -> terms.refusal(account.sid())
                .map(why -> new Denial("insufficient-balance", "account " + account.sid() + ": " + why));
    }

    public Optional<Denial> check(Account account, Module module, Optional<Installation> installation) {
        for (Policy p : chain) {
            Optional<Denial> denial = p.check(account, module, installation);
            if (denial.isPresent()) {
                return denial;
            }
        }
        return Optional.empty();
    }

    static Policy accountActive() {
        return (account, module, installation) -> account.isActive() ? Optional.empty()
                : Optional.of(new Denial("account-inactive", "account " + account.sid() + " is " + account.status().wire()));
    }

    static Policy notBanned() {
        return (account, module, installation) -> module.banned()
                ? Optional.of(new Denial("module-banned", "module " + module.uniqueName() + " is banned by the platform"))
                : Optional.empty();
    }

    static Policy installedOrOwned() {
        return (account, module, installation) -> module.ownedBy(account.sid()) || installation.isPresent() ? Optional.empty()
                : Optional.of(new Denial("not-installed", "module " + module.uniqueName() + " is not installed in account " + account.sid()));
    }

    /** At most {@code limit} live calls per account (0: no limit); the call being handed off counts. */
    static Policy concurrentCalls(Database db, int limit) {
        return (account, module, installation) -> {
            if (limit <= 0) {
                return Optional.empty();
            }
            long live = db.read(h -> h.createQuery("SELECT count(*) FROM calls WHERE account_sid = ? AND status IN ('queued', 'ringing', 'in-progress')")
                    .bind(0, account.sid()).mapTo(Long.class).one());
            return live <= limit ? Optional.empty()
                    : Optional.of(new Denial("concurrent-call-limit", "account " + account.sid() + " has " + live + " live calls; the limit is " + limit));
        };
    }
}
