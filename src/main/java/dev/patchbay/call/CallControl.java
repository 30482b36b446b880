package dev.patchbay.call;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.twiml.Verb;
import java.time.Duration;
import java.util.List;

/**
 * Live call control from outside (REST {@code POST .../Calls/{Sid}}): new instructions that
 * promote the call to application mode from whatever mode it is in, or its end. The call's row
 * names the node that owns it; this node acts on its own calls. Thread-safe.
 */
public final class CallControl {

    private final Calls calls;
    private final LiveCalls live;
    private final String nodeId;
    private volatile CallOwners owners = CallOwners.NONE;

    public CallControl(Calls calls, LiveCalls live, String nodeId) {
        this.calls = calls;
        this.live = live;
        this.nodeId = nodeId;
    }

    /** How to reach the other nodes (set once the cluster link is up). */
    public void reachOthersThrough(CallOwners owners) {
        this.owners = owners;
    }

    /** What to do to a live call. */
    public sealed interface Change {
        /** New instructions from {@code url}; a {@code module:<ref>} or {@code node:<name>} URL moves the call through the linking system. */
        record Redirect(String url, HttpMethod method) implements Change {
        }

        /** {@code source} is the TwiML as given, so the change can be forwarded to the owning node. */
        record Twiml(List<Verb> verbs, String source) implements Change {
        }

        /** Status=completed: end the call whatever its state. */
        record Complete() implements Change {
        }

        /** Status=canceled: end a call that is queued or ringing; an answered call is left alone. */
        record Cancel() implements Change {
        }
    }

    /** Applies {@code change} and returns the call as it stands after it. */
    public CallRecord modify(Account owner, String sid, Change change) {
        CallRecord call = calls.find(owner.sid(), sid).orElseThrow(() -> new PatchbayException.NotFound("/Calls/" + sid));
        boolean redirect = change instanceof Change.Redirect || change instanceof Change.Twiml;
        if (redirect && call.status() != CallStatus.IN_PROGRESS) {
            throw new PatchbayException.Conflict(21220, "Call is not in-progress. Cannot redirect.");
        }
        if (!call.status().isLive() || change instanceof Change.Cancel && call.status() == CallStatus.IN_PROGRESS) {
            return call;
        }
        LiveCall running = live.find(sid).orElse(null);
        if (running == null) {
            if (!call.nodeId().equals(nodeId)) {
                owners.forward(call.nodeId(), owner.sid(), sid, change);
            }
            return calls.find(owner.sid(), sid).orElse(call);   // changed by its owner, or it ended a moment ago
        }
        apply(running, change);
        return calls.find(owner.sid(), sid).orElse(call);
    }

    /** A change another node forwarded for a call this node owns; throws what {@link #modify} would. */
    public void applyForwarded(String accountSid, String sid, Change change) {
        LiveCall running = live.find(sid).filter(c -> c.account().sid().equals(accountSid)).orElse(null);
        if (running == null) {
            if (change instanceof Change.Redirect || change instanceof Change.Twiml) {
                throw new PatchbayException.Conflict(21220, "Call is not in-progress. Cannot redirect.");
            }
            return;   // already over
        }
        apply(running, change);
    }

    private void apply(LiveCall running, Change change) {
        switch (change) {
            case Change.Redirect r -> redirectTo(running, new Outcome.Fetch(r.url(), r.method(), List.of()),
                    r.url().startsWith(Links.MODULE) ? "rest:ModuleSid" : r.url().startsWith(Links.NODE) ? "rest:FlowNode" : "rest:Url");
            case Change.Twiml t -> redirectTo(running, new Outcome.Inline(t.verbs(), ""), "rest:Twiml");
            case Change.Complete c -> endAndWait(running, "rest:completed");
            case Change.Cancel c -> endAndWait(running, "rest:canceled");
        }
    }

    private static void redirectTo(LiveCall call, Outcome instructions, String reason) {
        if (call.parentCallSid().isPresent()) {
            throw new PatchbayException.Conflict(21220, "Call " + call.sid() + " is the dialed leg of a bridge; redirect its parent "
                    + call.parentCallSid().get() + " or end it with Status=completed");
        }
        if (!call.redirect(instructions, reason)) {
            throw new PatchbayException.Conflict(21220, "Call is not in-progress. Cannot redirect.");
        }
    }

    /** Ends the call and waits briefly for its thread to record the end, so the answer shows it. */
    private void endAndWait(LiveCall call, String reason) {
        if (call.parentCallSid().isPresent()) {
            call.leg().hangup();   // a dialed leg: its parent's bridge sees the hang-up and records it
            call.remoteHangup();
        } else {
            call.terminate(reason);
        }
        LiveCalls.awaitFinished(call.finished(), Duration.ofSeconds(3));
    }
}
