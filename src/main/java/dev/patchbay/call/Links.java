package dev.patchbay.call;

import dev.patchbay.linking.Dispatcher;
import dev.patchbay.linking.FlowDefinition;
import dev.patchbay.linking.Linking;
import dev.patchbay.linking.Module;
import dev.patchbay.linking.Policies;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.twiml.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The call's side of the linking system: follows a link the running instructions took
 * ({@code module:acme/simulring?...}, {@code outlet:done}, or a REST move to a flow node) to the
 * next module, through the dispatcher and the policy engine. A refused hand-off continues at the
 * flow's {@code denied} outlet, else the current module's fallback URL, else a short message and
 * hang-up; the refusal is recorded as a notification and as the reason of the next segment.
 */
final class Links {

    static final String MODULE = "module:";
    static final String OUTLET = "outlet:";
    /** A REST move into a node of the call's flow ({@code FlowNode}); never written in TwiML. */
    static final String NODE = "node:";
    /** A bridge module leaves through the outlet named by how its Dial ended (completed, busy, no-answer, failed). */
    static final String DIAL_STATUS_OUTLET = OUTLET + "{DialCallStatus}";
    static final String DENIED_MESSAGE = "We are sorry, this call cannot be connected. Goodbye.";
    /** Notification code for a refused or impossible hand-off (Patchbay's own range). */
    static final int HANDOFF_REFUSED = 64001;
    static final int OUTLET_UNMAPPED = 64002;

    private final CallServices services;
    private final Linking linking;

    Links(CallServices services) {
        this.services = services;
        this.linking = services.linking();
    }

    static boolean isLink(Outcome next) {
        return next instanceof Outcome.Fetch f && (f.url().startsWith(MODULE) || f.url().startsWith(OUTLET) || f.url().startsWith(NODE));
    }

    /**
     * Where control goes next: the controller, its instructions' target, its mode, why, and what
     * to run; {@code signingKey} signs the requests from now on (a module's developer's auth token;
     * empty: unchanged).
     */
    record Step(Controller controller, VoiceTarget target, Mode mode, String reason, Outcome next, Optional<String> signingKey) {
        Step(Controller controller, VoiceTarget target, Mode mode, String reason, Outcome next) {
            this(controller, target, mode, reason, next, Optional.empty());
        }

        Step because(String newReason) {
            return new Step(controller, target, mode, newReason, next, signingKey);
        }
    }

    Step follow(LiveCall call, Controller current, VoiceTarget target, Outcome.Fetch link) {
        String url = link.url();
        if (url.startsWith(MODULE)) {
            Dispatcher.Link parsed;
            try {
                parsed = Dispatcher.parseLink(url);
            } catch (IllegalArgumentException e) {
                return refused(call, current, target, new Policies.Denial("bad-link", "'" + url + "' is not a module link: " + e.getMessage()),
                        Optional.empty(), false);
            }
            return enter(call, current, target, parsed.reference(), current.node(), Map.of(), parsed.parameters(), "link:" + parsed.reference(), false);
        }
        if (url.startsWith(NODE)) {
            return node(call, current, target, url.substring(NODE.length()), "rest:FlowNode", false);
        }
        String outlet = url.equals(DIAL_STATUS_OUTLET)
                ? link.params().stream().filter(p -> p.getKey().equals("DialCallStatus")).map(Map.Entry::getValue).findFirst().orElse("failed")
                : url.substring(OUTLET.length()).trim();
        Optional<FlowDefinition.Node> here = current.flow().flatMap(f -> current.node().flatMap(n -> f.definition().node(n)));
        Optional<String> to = here.flatMap(n -> Optional.ofNullable(n.outlets().get(outlet)));
        if (to.isEmpty()) {
            String where = here.map(n -> "node " + n.name() + " of flow " + current.flow().get().sid()).orElse("no flow");
            services.notifications().record(call.account().sid(), Optional.of(call.sid()), Notifications.WARNING, OUTLET_UNMAPPED,
                    "Outlet '" + outlet + "' leads nowhere (" + where + "); the call ends", Optional.empty(), Optional.empty());
            return new Step(current, target, call.mode().orElse(Mode.APPLICATION), "outlet:" + outlet, Outcome.END);
        }
        return node(call, current, target, to.get(), "outlet:" + outlet, false);
    }

    private Step node(LiveCall call, Controller current, VoiceTarget target, String name, String reason, boolean denied) {
        Optional<FlowRun> flow = current.flow();
        Optional<FlowDefinition.Node> node = flow.flatMap(f -> f.definition().node(name));
        if (node.isEmpty()) {
            services.notifications().record(call.account().sid(), Optional.of(call.sid()), Notifications.WARNING, OUTLET_UNMAPPED,
                    "No node '" + name + "' in " + flow.map(f -> "flow " + f.sid() + " version " + f.version()).orElse("this call (it runs no flow)"),
                    Optional.empty(), Optional.empty());
            return new Step(current, target, call.mode().orElse(Mode.APPLICATION), reason, Outcome.END);
        }
        return enter(call, current, target, node.get().module(), Optional.of(name), node.get().parameters(), Map.of(), reason, denied);
    }

    private Step enter(LiveCall call, Controller current, VoiceTarget target, String reference, Optional<String> node,
                       Map<String, String> nodeParameters, Map<String, String> linkParameters, String reason, boolean denied) {
        Dispatcher.Resolution resolution = linking.dispatcher().resolve(call.account(), reference, nodeParameters, linkParameters);
        if (resolution instanceof Dispatcher.Resolution.Refused r) {
            // the denied outlet of the node handing off; on entry (no node yet), the refused node's own
            Controller from = current.node().isPresent() ? current : new Controller(current.label(), current.module(), current.flow(), node);
            return refused(call, from, target, r.denial(), r.module(), denied);
        }
        Dispatcher.HandOff handOff = ((Dispatcher.Resolution.Ready) resolution).handOff();
        Module module = handOff.module();
        Controller next = new Controller(module.uniqueName(), Optional.of(module), current.flow(), node);
        List<Map.Entry<String, String>> params = new ArrayList<>(handOff.parameters().entrySet());
        return switch (module.kind()) {
            case APPLICATION -> {
                String inlet = module.inletUrl().orElseThrow();
                VoiceTarget moduleTarget = new VoiceTarget(inlet, module.inletMethod(), module.fallbackUrl(), HttpMethod.POST,
                        target.statusCallback(), target.statusCallbackMethod(), target.statusCallbackEvents());
                yield new Step(next, moduleTarget, Mode.APPLICATION, reason, new Outcome.Fetch(inlet, module.inletMethod(), params),
                        Optional.of(handOff.signingKey()));
            }
            case BRIDGE -> handOff.parameters().getOrDefault("Endpoint", "").isBlank()
                    ? refused(call, current, target, new Policies.Denial("invalid-parameters", "bridge module " + module.uniqueName()
                            + " needs an Endpoint parameter (E.164, sip: URI or client:name)"), Optional.of(module), denied)
                    : new Step(next, target, Mode.BASIC, reason, new Outcome.Inline(List.of(dial(handOff)), ""));
            case SERVICE -> {   // provided logic, run in process (no HTTP) in the service mode
                String inlet = module.inletUrl().orElseThrow();
                VoiceTarget moduleTarget = new VoiceTarget(inlet, HttpMethod.POST, Optional.empty(), HttpMethod.POST,
                        target.statusCallback(), target.statusCallbackMethod(), target.statusCallbackEvents());
                yield new Step(next, moduleTarget, Mode.SERVICE, reason, new Outcome.Fetch(inlet, HttpMethod.POST, params),
                        Optional.of(handOff.signingKey()));
            }
        };
    }

    /**
     * A bridge module's Dial: {@code Endpoint} (E.164, sip: URI or client:name), {@code Timeout},
     * {@code TimeLimit}, {@code CallerId}; it leaves by the outlet its DialCallStatus names. An
     * unanswered caller is answered when the endpoint answers (answerOnBridge), as in SIP trunking.
     */
    private static Verb.Dial dial(Dispatcher.HandOff handOff) {
        Map<String, String> p = handOff.parameters();
        String to = p.getOrDefault("Endpoint", "").trim();
        Verb.DialTarget target;
        if (to.regionMatches(true, 0, "sip:", 0, 4)) {
            target = new Verb.DialTarget.Sip(to, Optional.empty(), Optional.empty(), Optional.empty(), HttpMethod.POST, Verb.Callback.NONE);
        } else if (to.startsWith("client:")) {
            target = new Verb.DialTarget.Client(to.substring(7), Optional.empty(), HttpMethod.POST, Verb.Callback.NONE);
        } else {
            target = new Verb.DialTarget.Number(to, Optional.empty(), Optional.empty(), HttpMethod.POST, Verb.Callback.NONE);
        }
        int timeout = parseInt(p.get("Timeout"), 30, 5, 600);
        return new Verb.Dial(List.of(target), Optional.of(DIAL_STATUS_OUTLET), HttpMethod.POST, timeout, Optional.ofNullable(p.get("CallerId")),
                parseInt(p.get("TimeLimit"), 14400, 1, 14400), false, "do-not-record", true, "us", 0);
    }

    private static int parseInt(String value, int otherwise, int min, int max) {
        try {
            return value == null ? otherwise : Math.max(min, Math.min(max, Integer.parseInt(value.trim())));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private Step refused(LiveCall call, Controller current, VoiceTarget target, Policies.Denial denial, Optional<Module> module, boolean denied) {
        String reason = "denied:" + denial.reason();
        services.notifications().record(call.account().sid(), Optional.of(call.sid()), Notifications.ERROR, HANDOFF_REFUSED,
                "Hand-off to " + module.map(Module::uniqueName).orElse("a module") + " refused (" + denial.reason() + "): " + denial.message(),
                Optional.empty(), Optional.empty());
        if (!denied) {
            Optional<FlowDefinition.Node> here = current.flow().flatMap(f -> current.node().flatMap(n -> f.definition().node(n)));
            Optional<String> deniedNode = here.flatMap(n -> Optional.ofNullable(n.outlets().get(FlowDefinition.DENIED)));
            if (deniedNode.isPresent()) {
                return node(call, current, target, deniedNode.get(), reason, true);
            }
            if (target.fallbackUrl().isPresent()) {
                String fallback = target.fallbackUrl().get();
                return new Step(current.relabeled(fallback), target, call.mode().orElse(Mode.APPLICATION), reason, new Outcome.Fetch(fallback,
                        target.fallbackMethod(), List.of(Map.entry("ErrorCode", Integer.toString(HANDOFF_REFUSED)),
                        Map.entry("DeniedReason", denial.reason()))));
            }
        }
        return new Step(Controller.app(reason), target, Mode.APPLICATION, reason,
                new Outcome.Inline(List.of(new Verb.Say(DENIED_MESSAGE, "woman", "en-US", 1), new Verb.Hangup()), ""));
    }
}
