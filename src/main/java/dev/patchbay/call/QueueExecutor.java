package dev.patchbay.call;

import dev.patchbay.media.RtpStream;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.twiml.Verb;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Both sides of a queue. {@code <Enqueue>}: the caller joins the account's queue and hears its
 * wait document in a loop until an agent takes them, they {@code <Leave>}, or a REST request
 * moves them on; then the Enqueue's action hears how it ended (QueueResult). {@code <Dial><Queue>}:
 * the agent takes the front caller waiting on this node; the caller's thread steps into the basic
 * mode and the agent's thread holds the bridge (the two streams relayed to each other) until one
 * of them hangs up. Each call keeps its own SID and its own segments.
 */
final class QueueExecutor {

    /** The reason an agent's take interrupts the waiting caller with. */
    static final String DEQUEUED = "queue:dequeued";
    /** The longest a waiting thread sleeps between looks at what it waits for; the events named below wake it sooner. */
    private static final Duration WAKE = Duration.ofSeconds(30);

    private final CallServices services;
    private final Queues queues;
    private final SayExecutor say;
    private final PlayExecutor play;

    QueueExecutor(CallServices services, SayExecutor say, PlayExecutor play) {
        this.services = services;
        this.queues = services.queues();
        this.say = say;
        this.play = play;
    }

    /** A wait document: its verbs and the URL they resolve against. */
    record WaitDocument(List<Verb> verbs, String url) {
    }

    /** The caller's side; {@code loader} fetches a wait document as the interpreter fetches any. */
    Outcome enqueue(LiveCall call, Verb.Enqueue enqueue, String documentUrl, Controller controller, Function<Outcome.Fetch, WaitDocument> loader) {
        Queues.Queue queue = queues.named(call.account().sid(), enqueue.name(), enqueue.maxQueueSize());
        Optional<Queues.Member> joined = queues.join(call, queue);
        if (joined.isEmpty()) {
            return after(enqueue, documentUrl, "queue-full", queue, 0);
        }
        Queues.Member member = joined.get();
        boolean inLine = true;
        try {
            String result = waitInLine(call, enqueue, documentUrl, queue, member, loader);
            if (result.equals("hangup")) {
                return Outcome.END;
            }
            return after(enqueue, documentUrl, result, queue, (int) Duration.between(member.since, services.clock().instant()).toSeconds());
        } catch (Redirected r) {
            if (!r.reason().equals(DEQUEUED)) {
                throw r;   // REST moved the caller on: the new instructions run, the Enqueue's action does not
            }
            call.stream().stopPlayback();
            queues.leave(member);
            inLine = false;
            int waited = (int) Duration.between(member.since, services.clock().instant()).toSeconds();
            Outcome.Fetch welcome = member.welcome;
            if (welcome != null) {   // the agent's <Queue url>: heard by the caller before the bridge
                WaitDocument doc = loader.apply(welcome);
                doc.verbs().forEach(verb -> hear(call, verb, doc.url()));   // only what can be heard belongs in it
            }
            talk(call, member, controller, enqueue.name());
            return after(enqueue, documentUrl, "bridged", queue, waited);
        } finally {
            if (inLine) {
                queues.leave(member);
            }
        }
    }

    /** Loops the wait document; returns {@code leave} or {@code hangup} when it says so. */
    private String waitInLine(LiveCall call, Verb.Enqueue enqueue, String documentUrl, Queues.Queue queue, Queues.Member member,
                              Function<Outcome.Fetch, WaitDocument> loader) {
        Optional<String> waitUrl = enqueue.waitUrl().map(u -> Urls.resolve(documentUrl, u));
        HttpMethod method = enqueue.waitUrlMethod();
        while (true) {
            WaitDocument doc = waitUrl.map(u -> loader.apply(new Outcome.Fetch(u, method, waitParams(member, queue))))
                    .orElseGet(() -> new WaitDocument(List.of(new Verb.Play(Optional.of(services.httpBase().get() + "/demo/hold.wav"), 0,
                            Optional.empty())), services.httpBase().get()));
            boolean redirected = false;
            for (Verb verb : doc.verbs()) {
                switch (verb) {
                    case Verb.Say s -> hear(call, s, doc.url());
                    case Verb.Play p -> hear(call, p, doc.url());
                    case Verb.Pause p -> hear(call, p, doc.url());
                    case Verb.Gather g -> g.prompts().forEach(prompt -> hear(call, prompt, doc.url()));   // its prompts play; keys are not taken
                    case Verb.Leave l -> {
                        return "leave";
                    }
                    case Verb.Hangup h -> {
                        return "hangup";
                    }
                    case Verb.Redirect r -> {
                        waitUrl = Optional.of(r.url().isEmpty() ? doc.url() : Urls.resolve(doc.url(), r.url()));
                        redirected = true;
                    }
                    default -> { }   // other verbs have no place in a wait document (Twilio ignores them too)
                }
                if (redirected) {
                    break;
                }
            }
        }
    }

    /** Plays a Say, Play or Pause to the caller (not interruptible); any other verb is passed over. */
    private void hear(LiveCall call, Verb verb, String documentUrl) {
        switch (verb) {
            case Verb.Say s -> say.run(call, s, false);
            case Verb.Play p -> play.run(call, p, documentUrl, false);
            case Verb.Pause p -> Prompts.pause(call, Duration.ofSeconds(p.lengthSeconds()), false);
            default -> { }
        }
    }

    /** The caller was taken by an agent: into the basic mode until the agent lets go or either hangs up. */
    private void talk(LiveCall call, Queues.Member member, Controller controller, String queueName) {
        Mode resume = call.tenure().instructionsMode();
        services.segments().transition(call, Mode.BASIC, controller.bridged("bridge:queue:" + queueName), "queue:bridged");
        member.released.thenRun(() -> call.post(new CallEvent.QueueChanged()));
        member.ready.complete(null);
        while (!member.released.isDone()) {
            call.next(WAKE);   // a hang-up here ends the call; the agent hears of it through the hang-up hook
        }
        services.segments().transition(call, resume, controller, "queue:released");
    }

    /** The Enqueue's action, or the next verb when it has none. */
    private static Outcome after(Verb.Enqueue enqueue, String documentUrl, String result, Queues.Queue queue, int waited) {
        if (enqueue.action().isEmpty()) {
            return Outcome.NEXT;
        }
        return new Outcome.Fetch(Urls.resolve(documentUrl, enqueue.action().get()), enqueue.method(), List.of(
                Map.entry("QueueResult", result), Map.entry("QueueSid", queue.sid()), Map.entry("QueueTime", Integer.toString(waited))));
    }

    private List<Map.Entry<String, String>> waitParams(Queues.Member member, Queues.Queue queue) {
        List<Queues.Waiting> line = queues.members(member.call.account().sid(), queue.sid());
        int position = line.stream().filter(w -> w.callSid().equals(member.call.sid())).mapToInt(Queues.Waiting::position).findFirst().orElse(1);
        Queues.Queue now = queues.find(member.call.account().sid(), queue.sid()).orElse(queue);
        return List.of(Map.entry("QueueSid", queue.sid()), Map.entry("QueuePosition", Integer.toString(position)),
                Map.entry("QueueTime", Long.toString(Duration.between(member.since, services.clock().instant()).toSeconds())),
                Map.entry("AvgQueueTime", Integer.toString(now.averageWaitTime())), Map.entry("CurrentQueueSize", Integer.toString(line.size())),
                Map.entry("MaxQueueSize", Integer.toString(now.maxSize())));
    }

    /** The agent's side: takes the front caller of the queue (waiting up to the Dial's timeout) and holds the bridge. */
    Outcome dequeue(LiveCall agent, Verb.Dial dial, Verb.DialTarget.Queue target, String documentUrl, Controller controller, Runnable answer) {
        answer.run();
        Optional<Queues.Member> taken = take(agent, target.name(), Duration.ofSeconds(dial.timeoutSeconds()));
        List<Map.Entry<String, String>> params = new ArrayList<>();
        taken.ifPresent(m -> target.url().ifPresent(url -> m.welcome = new Outcome.Fetch(Urls.resolve(documentUrl, url), target.urlMethod(),
                List.of(Map.entry("QueueSid", m.queueSid)))));
        if (taken.isEmpty() || !taken.get().call.redirect(Outcome.END, DEQUEUED)) {
            params.add(Map.entry("DialCallStatus", taken.isEmpty() ? "no-answer" : "failed"));
            taken.ifPresent(m -> m.released.complete(null));
            return afterDial(dial, documentUrl, params);
        }
        Queues.Member member = taken.get();
        LiveCall caller = member.call;
        caller.onHangup(() -> agent.post(new CallEvent.PeerHungUp()));   // set before the caller's state is read: no hang-up is missed
        member.ready.thenRun(() -> agent.post(new CallEvent.QueueChanged()));
        Mode resume = agent.tenure().instructionsMode();
        Instant start;
        long startNanos;
        try {
            if (!awaitReady(agent, member)) {
                params.add(Map.entry("DialCallStatus", "failed"));
                return afterDial(dial, documentUrl, params);
            }
            services.segments().transition(agent, Mode.BASIC, controller.bridged("bridge:queue:" + target.name()), "verb:Dial");
            start = services.clock().instant();
            startNanos = System.nanoTime();
            RtpStream.bridge(agent.stream(), caller.stream(), false);
            try {
                while (!caller.isEnded()) {
                    agent.next(WAKE);   // woken by the caller's hang-up (PeerHungUp) or ends here with the agent's own
                }
            } finally {
                RtpStream.unbridge(agent.stream(), caller.stream());
            }
        } finally {
            caller.onHangup(null);
            member.released.complete(null);   // the caller's thread, in talk(), goes on
        }
        services.segments().transition(agent, resume, controller, "queue:caller-hangup");
        long talked = Math.round((System.nanoTime() - startNanos) / 1e9);
        params.add(Map.entry("DialCallStatus", "completed"));
        params.add(Map.entry("DialCallSid", caller.sid()));
        params.add(Map.entry("DialCallDuration", Long.toString(talked)));
        params.add(Map.entry("QueueSid", member.queueSid));
        params.add(Map.entry("DequeuedCallSid", caller.sid()));
        params.add(Map.entry("DequeuedCallQueueTime", Long.toString(Duration.between(member.since, start).toSeconds())));
        params.add(Map.entry("DequeuedCallDuration", Long.toString(talked)));
        return afterDial(dial, documentUrl, params);
    }

    /** Waits for the taken caller to step into the bridge's mode (after its welcome document); false when it hung up before or took too long. */
    private static boolean awaitReady(LiveCall agent, Queues.Member member) {
        long readyBy = System.nanoTime() + Duration.ofSeconds(member.welcome == null ? 10 : 60).toNanos();   // time to hear the url's document
        while (!member.ready.isDone() && !member.call.isEnded()) {
            long left = readyBy - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            agent.next(Duration.ofNanos(left));   // woken by QueueChanged (ready) or PeerHungUp
        }
        return member.ready.isDone();
    }

    /** Takes the front caller of the queue, waiting up to {@code timeout} for one to join (woken by {@link CallEvent.QueueChanged}). */
    private Optional<Queues.Member> take(LiveCall agent, String queueName, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Optional<Queues.Member> taken = queues.takeFront(agent.account().sid(), queueName, agent);
                long left = deadline - System.nanoTime();
                if (taken.isPresent() || left <= 0) {
                    return taken;
                }
                agent.next(Duration.ofNanos(left));
            }
        } finally {
            queues.stopWatching(agent.account().sid(), queueName, agent);
        }
    }

    private static Outcome afterDial(Verb.Dial dial, String documentUrl, List<Map.Entry<String, String>> params) {
        return dial.action().isEmpty() ? Outcome.NEXT : new Outcome.Fetch(Urls.resolve(documentUrl, dial.action().get()), dial.method(), params);
    }
}
