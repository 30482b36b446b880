package dev.patchbay.linking;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.account.AccountStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dispatcher: turns a module reference (SID or alias) into a hand-off the call can follow,
 * asking the policy engine first. Parameters merge in this order, later ones winning: the
 * module's declared defaults, the account's installation configuration, the flow node's
 * parameters, the link's own parameters. Names the platform sends itself are never taken from a
 * link. Thread-safe.
 */
public final class Dispatcher {

    private final Candidates candidates;
    private final Policies policies;

    /** {@code clock}: how long an answer about a module is kept ({@link Candidates}). */
    public Dispatcher(Modules modules, Policies policies, Clock clock) {
        this.candidates = new Candidates(modules, clock);
        this.policies = policies;
    }

    /**
     * Something a hand-off depends on changed through this node (a module, an installation, an
     * account's status or payment terms): the next hand-offs read it again. Changes on other
     * nodes are seen within a second.
     */
    public void changed() {
        candidates.forget();
    }

    /**
     * A resolved, authorised hand-off: the module, the parameters its inlet receives, and the key
     * its requests are signed with (its developer's auth token, so the developer can check them).
     */
    public record HandOff(Module module, Map<String, String> parameters, String signingKey) {
        @Override
        public String toString() {
            return "HandOff[" + module.uniqueName() + ", " + parameters.keySet() + "]";   // never the key
        }
    }

    /** What the dispatcher decided. */
    public sealed interface Resolution {
        record Ready(HandOff handOff) implements Resolution {
        }

        /** Refused: {@code module} is known unless the reference named no usable module. */
        record Refused(Policies.Denial denial, Optional<Module> module) implements Resolution {
        }
    }

    /** A {@code module:} link: the reference and its parameters, as written in TwiML. */
    public record Link(String reference, Map<String, String> parameters) {
    }

    /** {@code account} is the call's; its status is read again, since it may have changed during the call. */
    public Resolution resolve(Account account, String reference, Map<String, String> nodeParameters, Map<String, String> linkParameters) {
        Optional<Modules.Candidate> found = candidates.find(account.sid(), reference)
                .filter(c -> c.module().visibleTo(account.sid()));
        if (found.isEmpty()) {
            return new Resolution.Refused(new Policies.Denial("no-such-module", "there is no module " + reference), Optional.empty());
        }
        Account now = new Account(account.sid(), account.parentSid(), account.friendlyName(), account.authToken(),
                AccountStatus.parse(found.get().callerStatus()), account.dateCreated(), account.dateUpdated());
        Module module = found.get().module();
        Optional<Installation> installation = found.get().installation();
        Optional<Policies.Denial> denial = policies.check(now, found.get().callerTerms(), module, installation);
        if (denial.isPresent()) {
            return new Resolution.Refused(denial.get(), Optional.of(module));
        }
        Map<String, String> merged = new LinkedHashMap<>();
        module.parameters().forEach(p -> p.defaultValue().ifPresent(v -> merged.put(p.name(), v)));
        installation.ifPresent(i -> merged.putAll(i.values()));
        merged.putAll(nodeParameters);
        linkParameters.forEach((name, value) -> {
            if (!Parameters.isReserved(name)) {
                merged.put(name, value);
            }
        });
        List<String> problems = problems(module, merged, "parameters");
        if (!problems.isEmpty()) {
            return new Resolution.Refused(new Policies.Denial("invalid-parameters", String.join("; ", problems)), Optional.of(module));
        }
        return new Resolution.Ready(new HandOff(module, Map.copyOf(merged), found.get().ownerAuthToken()));
    }

    /** Throws when {@code values} have a declared parameter of the wrong type (required ones may come later: a flow node, a link). */
    static void checkTypes(Module module, Map<String, String> values, String field) {
        List<String> problems = problems(module, values, field, false);
        if (!problems.isEmpty()) {
            throw new PatchbayException.InvalidParameter(20001, String.join("; ", problems));
        }
    }

    /** Declared parameters that are missing or of the wrong type in {@code values}, each naming {@code field}. */
    static List<String> problems(Module module, Map<String, String> values, String field) {
        return problems(module, values, field, true);
    }

    private static List<String> problems(Module module, Map<String, String> values, String field, boolean requireAll) {
        List<String> problems = new ArrayList<>();
        for (Module.Parameter p : module.parameters()) {
            List<String> given = values.entrySet().stream().filter(e -> Parameters.base(e.getKey()).equals(p.name()))
                    .map(Map.Entry::getValue).toList();
            if (requireAll && given.isEmpty() && p.required() && p.defaultValue().isEmpty()) {
                problems.add(field + "." + p.name() + ": required by " + module.uniqueName());
            }
            String elementType = p.type().equals("list") ? "string" : p.type();
            given.forEach(v -> Parameters.problem(elementType, v).ifPresent(problem -> problems.add(field + "." + p.name() + ": " + problem)));
        }
        return problems;
    }

    /**
     * Parses {@code module:acme/simulring?PhoneNumbers[0]=+14155551234&PhoneNumbers[1]=...}.
     * Percent-escapes are decoded; a {@code +} stays a plus, so E.164 numbers can be written as they are.
     */
    public static Link parseLink(String url) {
        String rest = url.substring(url.indexOf(':') + 1);
        int q = rest.indexOf('?');
        String reference = (q < 0 ? rest : rest.substring(0, q)).trim();
        Map<String, String> params = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                params.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return new Link(reference, params);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
