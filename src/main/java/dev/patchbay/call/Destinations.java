package dev.patchbay.call;

import dev.patchbay.endpoint.SipDomains;
import dev.patchbay.endpoint.Trunk;
import dev.patchbay.endpoint.Trunks;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.twiml.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a Dial noun goes: a number leaves through the account's (or the platform's) trunk for its
 * prefix, a SIP URI is called directly, a client rings every contact it has registered.
 * A noun that resolves to nothing yields a reason, reported as a notification.
 */
final class Destinations {

    private final Trunks trunks;
    private final SipDomains domains;

    Destinations(Trunks trunks, SipDomains domains) {
        this.trunks = trunks;
        this.domains = domains;
    }

    /** The resolved parties, and why a noun that resolved to nobody did. */
    record Resolved(List<Destination> destinations, List<String> problems) {
    }

    Resolved resolve(String accountSid, List<Verb.DialTarget> targets) {
        List<Destination> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Verb.DialTarget target : targets) {
            switch (target) {
                case Verb.DialTarget.Number n -> {
                    String number = n.number().startsWith("+") ? n.number() : "+" + n.number();
                    Optional<Trunk> trunk = trunks.forNumber(accountSid, number);
                    if (trunk.isEmpty()) {
                        problems.add("no outbound trunk reaches " + number);
                    } else {
                        out.add(new Destination(number, Trunks.uriFor(trunk.get(), number), trunk.get().username(),
                                trunk.get().password(), n.sendDigits(), n.url(), n.urlMethod(), n.callback()));
                    }
                }
                case Verb.DialTarget.Sip s -> out.add(new Destination(s.uri(), s.uri(), s.username(), s.password(), Optional.empty(),
                        s.url(), s.urlMethod(), s.callback()));
                case Verb.DialTarget.Client c -> {
                    List<String> contacts = domains.contacts(accountSid, c.identity());
                    if (contacts.isEmpty()) {
                        problems.add("client " + c.identity() + " is not registered");
                    }
                    for (String contact : contacts) {
                        out.add(new Destination("client:" + c.identity(), contact, Optional.empty(), Optional.empty(), Optional.empty(),
                                c.url(), c.urlMethod(), c.callback()));
                    }
                }
                case Verb.DialTarget.Queue q -> problems.add("queue " + q.name() + " is not rung: a queue is dequeued, not dialed");
                case Verb.DialTarget.Conference c -> problems.add("conference " + c.name() + " is not rung: a conference is joined, not dialed");
            }
        }
        return new Resolved(out, problems);
    }

    /** A direct-routing endpoint: a SIP URI as it is, or an E.164 number through a trunk. */
    Resolved endpoint(String accountSid, String endpoint) {
        Verb.DialTarget target = endpoint.regionMatches(true, 0, "sip:", 0, 4)
                ? new Verb.DialTarget.Sip(endpoint, Optional.empty(), Optional.empty(), Optional.empty(), HttpMethod.POST,
                        Verb.Callback.NONE)
                : new Verb.DialTarget.Number(endpoint, Optional.empty(), Optional.empty(), HttpMethod.POST, Verb.Callback.NONE);
        return resolve(accountSid, List.of(target));
    }
}
