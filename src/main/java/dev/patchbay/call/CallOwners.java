package dev.patchbay.call;

import dev.patchbay.PatchbayException;

/**
 * The narrow interface between nodes: a change to a live call owned by another node is
 * forwarded to that node, which applies it as if it had been asked directly. The calls table
 * names the owner; {@code cluster.NatsLink} carries the request over NATS.
 */
public interface CallOwners {

    /** Applies {@code change} on {@code nodeId}; throws the owner's refusal as a {@link PatchbayException}. */
    void forward(String nodeId, String accountSid, String callSid, CallControl.Change change);

    /** A single node: nothing to forward to. */
    CallOwners NONE = (nodeId, accountSid, callSid, change) -> {
        throw new PatchbayException.Conflict(20409, "Call " + callSid + " is owned by node " + nodeId
                + " and this node has no cluster link (set nats.url); send the request to that node");
    };
}
