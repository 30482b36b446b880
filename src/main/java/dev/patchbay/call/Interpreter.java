package dev.patchbay.call;

import dev.patchbay.linking.Module;
import dev.patchbay.linking.Modules;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.twiml.TwimlException;
import dev.patchbay.service.TwimletEndpoint;
import dev.patchbay.service.Twimlets;
import dev.patchbay.twiml.TwimlParser;
import dev.patchbay.twiml.Verb;
import dev.patchbay.webhook.AppClient;
import dev.patchbay.webhook.WebhookFailure;
import dev.patchbay.webhook.WebhookRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one call's application: fetch a document, execute its verbs in order, follow actions and
 * redirects, and hang up at the end. Runs on the call's own virtual thread as plain blocking
 * code; a hang-up anywhere surfaces as {@link CallEnded}.
 */
final class Interpreter {

    private static final Logger log = LoggerFactory.getLogger(Interpreter.class);
    private static final int MAX_DOCUMENTS = 1000;
    static final String APPLICATION_ERROR = "We are sorry, an application error has occurred. Goodbye.";

    private final CallServices services;
    private final LiveCall call;
    private final Links links;
    /** Where instructions come from now: the number's application, or the module in control. */
    private VoiceTarget target;
    private final SayExecutor say;
    private final PlayExecutor play;
    private final GatherExecutor gather;
    private final RecordExecutor record;
    private final TwimletEndpoint twimlets;
    private final QueueExecutor queue;
    private final ConferenceExecutor conference;
    private final DialExecutor dial;
    private final Runnable onAnswer;
    private Optional<Verb.Reject> rejected = Optional.empty();
    private boolean hungUp;
    /** Who is in control: the application that took the call (actions and Redirect verbs stay within it), or a module. */
    private Controller controller;
    /** The mode and reason of the segment that opens when the call is answered. */
    private Mode answerMode = Mode.APPLICATION;
    private String answerReason = "answer";
    /** Requests are signed with the call's account's auth token, or with the developer's while a module is in control. */
    private String signingKey;

    Interpreter(CallServices services, LiveCall call, VoiceTarget target, DialExecutor dial, Runnable onAnswer) {
        this(services, call, target, dial, onAnswer, Controller.app(target.url()));
    }

    /** {@code controller} is who has the call at first: a flow (its first fetch is {@code node:<entry>}), or an application. */
    Interpreter(CallServices services, LiveCall call, VoiceTarget target, DialExecutor dial, Runnable onAnswer, Controller controller) {
        this.onAnswer = onAnswer;
        this.dial = dial;
        this.controller = controller;
        this.links = new Links(services);
        this.signingKey = call.account().authToken();
        this.services = services;
        this.call = call;
        this.target = target;
        this.say = new SayExecutor(services);
        this.play = new PlayExecutor(services);
        this.gather = new GatherExecutor(say, play);
        this.record = new RecordExecutor(services);
        this.twimlets = new TwimletEndpoint(services.httpBase());
        this.queue = new QueueExecutor(services, say, play);
        this.conference = new ConferenceExecutor(services);
    }

    /** A fetched document and the URL relative links in it resolve against. */
    private record Document(List<Verb> verbs, String url) {
    }

    /** Runs the call to its end; returns how it was rejected, if it was. */
    Optional<Verb.Reject> run() {
        return run(new Outcome.Fetch(target.url(), target.method(), List.of()));
    }

    /**
     * Runs from {@code first} (a fetch, or verbs given inline) to the call's end. New instructions
     * from outside (a REST redirect) stop whatever runs and take over here, as a new segment.
     */
    Optional<Verb.Reject> run(Outcome first) {
        Outcome next = first;
        int documents = 0;
        while (next instanceof Outcome.Fetch || next instanceof Outcome.Inline) {
            try {
                if (++documents > MAX_DOCUMENTS) {
                    Outcome.Fetch f = next instanceof Outcome.Fetch fetch ? fetch : new Outcome.Fetch(controller.label(), target.method(), List.of());
                    fail(12400, "more than " + MAX_DOCUMENTS + " documents in one call; stopping a redirect loop", f.url(), f.method());
                    break;
                }
                if (Links.isLink(next)) {
                    next = handOff(links.follow(call, controller, target, (Outcome.Fetch) next));
                    continue;
                }
                Document document = switch (next) {
                    case Outcome.Fetch fetch -> {
                        runsIn(twimlets.twimletOf(fetch.url()).isPresent() ? Mode.SERVICE : Mode.APPLICATION);
                        yield load(fetch);
                    }
                    case Outcome.Inline inline -> new Document(inline.verbs(), inline.baseUrl());
                    default -> throw new IllegalStateException("not a document: " + next);
                };
                call.documentArrived(System.nanoTime(), services.firstAudio());
                services.segments().awaitWritten(call);   // a hand-off's history is committed before its module's instructions run
                next = execute(document);
            } catch (Redirected redirect) {
                call.stream().stopPlayback();   // what the interrupted verb was playing or recording stops with it
                call.recordInto(null);
                next = redirect.instructions();
                if (Links.isLink(next)) {
                    Links.Step step = links.follow(call, controller, target, (Outcome.Fetch) next);
                    next = handOff(step.reason().startsWith("denied:") ? step : step.because(redirect.reason()));
                    continue;
                }
                String base = controller.module().isPresent() ? target.url() : controller.label();
                if (next instanceof Outcome.Inline inline && inline.baseUrl().isEmpty() && base.startsWith("http")) {
                    next = new Outcome.Inline(inline.verbs(), base);   // relative URLs in inline TwiML resolve against the app in control
                }
                boolean leftModule = controller.module().isPresent();
                signingKey = call.account().authToken();
                controller = Controller.app(next instanceof Outcome.Fetch f ? f.url() : "twiml:inline");
                target = new VoiceTarget(controller.label(), target.method(), leftModule ? Optional.empty() : target.fallbackUrl(),
                        target.fallbackMethod(), target.statusCallback(), target.statusCallbackMethod(), target.statusCallbackEvents());
                if (call.isAnswered()) {
                    services.segments().handOff(call, Mode.APPLICATION, controller, redirect.reason());
                } else {
                    answerReason = redirect.reason();
                }
            }
        }
        return rejected;
    }

    /** Control passes to the step's controller: a new segment (or, before the answer, the first one's mode and reason). */
    private Outcome handOff(Links.Step step) {
        controller = step.controller();
        target = step.target();
        step.signingKey().ifPresent(key -> signingKey = key);
        if (call.isAnswered()) {
            services.segments().handOff(call, step.mode(), controller, step.reason());
        } else {   // the first segment opens at the answer; it says "answer" unless a refusal brought the call here
            answerMode = step.mode();
            answerReason = step.reason().startsWith("denied:") ? step.reason() : "answer";
        }
        return step.next();
    }

    /**
     * The next document runs in {@code mode}: a document of this node's own services (a twimlet,
     * run in process) in the service mode, any other application's in the application mode. A
     * module's documents keep the mode its hand-off gave them.
     */
    private void runsIn(Mode mode) {
        if (controller.module().isPresent()) {
            return;
        }
        if (!call.isAnswered()) {
            answerMode = mode;
        } else if (call.mode().filter(m -> m != mode).isPresent()) {
            services.segments().transition(call, mode, controller, mode == Mode.SERVICE ? "service" : "application");
        }
    }

    /** Whether the run ended on a Hangup or Reject verb (rather than running out of verbs). */
    boolean endedByHangup() {
        return hungUp;
    }

    private Outcome execute(Document document) {
        for (Verb verb : document.verbs()) {
            call.checkLive();
            boolean answersLater = verb instanceof Verb.Reject || verb instanceof Verb.Redirect
                    || verb instanceof Verb.Dial d && d.answerOnBridge();
            if (!answersLater) {
                answer();
            }
            Outcome outcome = switch (verb) {
                case Verb.Say s -> {
                    say.run(call, s, false);
                    yield Outcome.NEXT;
                }
                case Verb.Play p -> {
                    play.run(call, p, document.url(), false);
                    yield Outcome.NEXT;
                }
                case Verb.Pause p -> {
                    Prompts.pause(call, Duration.ofSeconds(p.lengthSeconds()), false);
                    yield Outcome.NEXT;
                }
                case Verb.Gather g -> gather.run(call, g, document.url());
                case Verb.Record r -> record.run(call, r, document.url());
                case Verb.Dial d when d.targets().getFirst() instanceof Verb.DialTarget.Conference c ->
                        conference.join(call, d, c, document.url(), controller, this::answer, this::waitDocument);
                case Verb.Dial d when d.targets().getFirst() instanceof Verb.DialTarget.Queue q ->
                        queue.dequeue(call, d, q, document.url(), controller, this::answer);
                case Verb.Dial d -> dial.run(call, d, document.url(), controller, this::answer);
                case Verb.Enqueue e -> queue.enqueue(call, e, document.url(), controller, this::waitDocument);
                case Verb.Leave l -> Outcome.NEXT;   // outside a queue's wait document there is nothing to leave
                case Verb.Redirect r -> new Outcome.Fetch(r.url().isEmpty() ? document.url() : Urls.resolve(document.url(), r.url()), r.method(),
                        List.of());
                case Verb.Hangup h -> {
                    hungUp = true;
                    yield Outcome.END;
                }
                case Verb.Reject r -> {
                    hungUp = true;
                    if (!call.isAnswered()) {
                        rejected = Optional.of(r);
                    }
                    yield Outcome.END;
                }
            };
            if (!(outcome instanceof Outcome.Next)) {
                return outcome;
            }
        }
        return Outcome.END;   // the end of the document hangs up
    }

    /** A queue's or a conference's wait document, fetched as any document is. */
    private QueueExecutor.WaitDocument waitDocument(Outcome.Fetch fetch) {
        Document waiting = load(fetch);
        return new QueueExecutor.WaitDocument(waiting.verbs(), waiting.url());
    }

    private void answer() {
        if (call.answer(services.clock().instant())) {
            services.segments().answered(call, answerMode, controller, answerReason);
            onAnswer.run();
        }
    }

    /** Fetches and parses; on failure records a notification, tries the fallback URL, else the error message. */
    private Document load(Outcome.Fetch fetch) {
        List<Map.Entry<String, String>> params = new ArrayList<>(call.baseParams(call.isAnswered() ? "in-progress" : "ringing"));
        if (controller.module().isPresent() || controller.flow().isPresent()) {
            controller.module().ifPresent(m -> params.add(Map.entry("ModuleSid", m.sid())));
            controller.flow().ifPresent(f -> params.add(Map.entry("FlowSid", f.sid())));
            controller.node().ifPresent(n -> params.add(Map.entry("FlowNode", n)));
            services.linking().state().read(call.sid()).forEach((name, value) -> params.add(Map.entry("State_" + name, value)));
        }
        params.addAll(fetch.params());
        try {
            return attempt(fetch.url(), fetch.method(), params);
        } catch (WebhookFailure e) {
            call.checkLive();
            fail(e.code(), e.getMessage(), fetch.url(), fetch.method());
            if (target.fallbackUrl().isPresent()) {
                List<Map.Entry<String, String>> fallbackParams = new ArrayList<>(params);
                fallbackParams.add(Map.entry("ErrorCode", Integer.toString(e.code())));
                fallbackParams.add(Map.entry("ErrorUrl", fetch.url()));
                String fallback = target.fallbackUrl().get();
                try {
                    return attempt(fallback, target.fallbackMethod(), fallbackParams);
                } catch (WebhookFailure f) {
                    call.checkLive();
                    fail(f.code(), f.getMessage(), fallback, target.fallbackMethod());
                }
            }
            return new Document(List.of(new Verb.Say(APPLICATION_ERROR, "woman", "en-US", 1), new Verb.Hangup()), fetch.url());
        }
    }

    private Document attempt(String url, HttpMethod method, List<Map.Entry<String, String>> params) {
        if (twimlets.twimletOf(url).isPresent()) {
            return local(url, params, 0);
        }
        if (url.startsWith(Modules.SERVICE)) {
            return service(url, params);
        }
        AppClient.Answer answer = call.interruptibly(() -> services.apps().fetch(new WebhookRequest(url, method, params), signingKey));
        call.checkLive();
        return switch (answer) {
            case AppClient.Answer.Twiml t -> {
                try {
                    yield new Document(TwimlParser.parse(t.body()), url);
                } catch (TwimlException e) {
                    throw new WebhookFailure(e.code(), "the document from " + url + " is not valid TwiML: " + e.getMessage());
                }
            }
            case AppClient.Answer.Audio a -> new Document(List.of(new Verb.Play(Optional.of(a.url()), 1, Optional.empty())), url);
            case AppClient.Answer.Text t -> new Document(List.of(new Verb.Say(t.text().strip(), "man", "en-US", 1)), url);
        };
    }

    /** A step of the service module in control, run in process. */
    private Document service(String url, List<Map.Entry<String, String>> params) {
        var module = controller.module().filter(m -> m.kind() == Module.Kind.SERVICE).orElseThrow(() ->
                new WebhookFailure(11200, url + " is a step of a service, but no service module is in control of the call"));
        String xml;
        try {
            xml = services.serviceRuntime().respond(module, call.sid(), call.account().sid(), url, params);
        } catch (RuntimeException e) {
            throw new WebhookFailure(11200, "the service " + module.uniqueName() + " failed at " + url + ": " + e.getMessage());
        }
        try {
            return new Document(TwimlParser.parse(xml), url);
        } catch (TwimlException e) {
            throw new WebhookFailure(e.code(), "the service " + module.uniqueName() + " answered TwiML that is not valid: " + e.getMessage());
        }
    }

    /** Runs one of this node's twimlets in process; its redirects are followed (to another twimlet, in process too). */
    private Document local(String url, List<Map.Entry<String, String>> params, int redirects) {
        switch (twimlets.answer(url, params)) {
            case Twimlets.Reply.Twiml t -> {
                try {
                    return new Document(TwimlParser.parse(t.xml()), url);
                } catch (TwimlException e) {
                    throw new WebhookFailure(e.code(), "the twimlet at " + url + " answered TwiML that is not valid: " + e.getMessage());
                }
            }
            case Twimlets.Reply.Redirect r -> {
                String location = Urls.resolve(url, r.location());
                if (redirects >= 5) {
                    throw new WebhookFailure(11200, "the twimlet at " + url + " redirected more than 5 times");
                }
                return twimlets.twimletOf(location).isPresent() ? local(location, params, redirects + 1)
                        : attempt(location, HttpMethod.GET, params);   // as an HTTP client follows a 302: with GET
            }
        }
    }

    private void fail(int code, String message, String url, HttpMethod method) {
        log.info("call {}: error {}: {}", call.sid(), code, message);
        services.notifications().record(call.account().sid(), Optional.of(call.sid()), Notifications.ERROR, code, message,
                Optional.of(url), Optional.of(method.name()));
    }
}
