package dev.patchbay.linking;

import dev.patchbay.account.Account;
import dev.patchbay.billing.Ledger;
import dev.patchbay.billing.PaymentTerms;
import dev.patchbay.billing.Rating;
import dev.patchbay.billing.Spending;
import dev.patchbay.billing.UsagePlan;
import dev.patchbay.billing.UsagePlans;
import dev.patchbay.store.Database;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy engine: a chain of small policies asked before every hand-off. The first refusal
 * wins; its reason is a short token recorded in the call's segments and notifications.
 */
public final class Policies {

    private static final Logger log = LoggerFactory.getLogger(Policies.class);

    /**
     * May {@code account} (paying by {@code terms}) hand a call to {@code module} now? {@code installation} is its
     * active one, if any. What is passed was read for this hand-off; a policy reads only what changes call by call.
     */
    @FunctionalInterface
    public interface Policy {
        Optional<Denial> check(Account account, PaymentTerms.Terms terms, Module module, Optional<Installation> installation);
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
    public static Policies standard(Database db, int maxConcurrentCalls,
                                    UsagePlans plans, Ledger ledger, Spending spending,
                                    UsagePlan applicationPlan, Clock clock) {
        return new Policies(List.of(accountActive(), notBanned(), installedOrOwned(), concurrentCalls(db, maxConcurrentCalls),
                balance(spending, plans, applicationPlan), subscription(plans, ledger, clock)));
    }

    /**
     * A module whose agreed plan has a subscription needs it paid for the current month: the first
     * hand-off of the month charges it, when the account's terms allow; otherwise the hand-off is refused.
     */
    static Policy subscription(UsagePlans plans, Ledger ledger, Clock clock) {
        return (account, terms, module, installation) -> {
            if (installation.isEmpty() || installation.get().usagePlanSid().isEmpty() || installation.get().usagePlanVersion().isEmpty()) {
                return Optional.empty();
            }
            var subscription = plans.version(installation.get().usagePlanSid().get(), installation.get().usagePlanVersion().get())
                    .flatMap(v -> v.plan().subscription()).filter(s -> s.price().signum() > 0);
            if (subscription.isEmpty()) {
                return Optional.empty();
            }
            String period = Rating.period(clock.instant());
            boolean paid = ledger.paySubscription(account.sid(), module.sid(), module.accountSid(), period, subscription.get().price(),
                    terms);
            return paid ? Optional.empty() : Optional.of(new Denial("subscription-unpaid", "the " + period + " subscription to "
                    + module.uniqueName() + " (" + subscription.get().price().toPlainString() + ") is not paid and the balance does not cover it"));
        };
    }

    /**
     * A plan's hard cap of seconds per period, once used up, refuses the hand-off
     * ({@code usage-cap-reached}). Otherwise the billing engine is asked whether the account's prepaid balance (or credit), less what its
     * other live calls have reserved, pays for at least one increment under the plan the module
     * will be rated by: the plan version the installation agreed to (another developer's module),
     * else the operator's application plan.
     */
    static Policy balance(Spending spending, UsagePlans plans,
                          UsagePlan applicationPlan) {
        return (account, terms, module, installation) -> {
            Optional<UsagePlans.Version> agreed = module.accountSid().equals(account.sid()) ? Optional.empty()
                    : installation.flatMap(i -> i.usagePlanSid().flatMap(sid -> i.usagePlanVersion().flatMap(v -> plans.version(sid, v))));
            String key = agreed.map(UsagePlans.Version::sid).orElse("mode:application");
            var plan = agreed.map(UsagePlans.Version::plan).orElse(applicationPlan);
            if (spending.capReached(account.sid(), key, plan)) {
                return Optional.of(new Denial("usage-cap-reached", "account " + account.sid() + " has used this period's " + plan.capSeconds().orElseThrow()
                        + " seconds of " + module.uniqueName()));
            }
            return spending.affords(account.sid(), terms, key, plan) ? Optional.empty() : Optional.of(new Denial("insufficient-balance",
                    "account " + account.sid() + ": what is left of the balance does not pay for one increment of " + module.uniqueName()));
        };
    }

    /** The first refusal, if any. A policy that fails (its store unreachable) refuses: the call goes on by the denied path. */
    public Optional<Denial> check(Account account, PaymentTerms.Terms terms, Module module, Optional<Installation> installation) {
        for (Policy p : chain) {
            Optional<Denial> denial;
            try {
                denial = p.check(account, terms, module, installation);
            } catch (RuntimeException e) {
                log.warn("a policy failed for account {} and module {}: {}", account.sid(), module.uniqueName(), e.toString());
                denial = Optional.of(new Denial("policy-error", "the policy engine could not decide: " + e.getClass().getSimpleName()));
            }
            if (denial.isPresent()) {
                return denial;
            }
        }
        return Optional.empty();
    }

    static Policy accountActive() {
        return (account, terms, module, installation) -> account.isActive() ? Optional.empty()
                : Optional.of(new Denial("account-inactive", "account " + account.sid() + " is " + account.status().wire()));
    }

    static Policy notBanned() {
        return (account, terms, module, installation) -> module.banned()
                ? Optional.of(new Denial("module-banned", "module " + module.uniqueName() + " is banned by the platform"))
                : Optional.empty();
    }

    static Policy installedOrOwned() {
        return (account, terms, module, installation) -> module.ownedBy(account.sid()) || installation.isPresent() ? Optional.empty()
                : Optional.of(new Denial("not-installed", "module " + module.uniqueName() + " is not installed in account " + account.sid()));
    }

    /** At most {@code limit} live calls per account (0: no limit); the call being handed off counts. */
    static Policy concurrentCalls(Database db, int limit) {
        return (account, terms, module, installation) -> {
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
