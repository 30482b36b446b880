package dev.patchbay.call;

import dev.patchbay.media.MediaException;
import dev.patchbay.media.RtpStream;
import dev.patchbay.media.Sdp;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct media for a bridge ({@code bridge.media=direct}): the two endpoints are re-INVITEd to
 * send to each other, and afterwards the caller is brought back to this node's stream.
 */
final class DirectMedia {

    private static final Logger log = LoggerFactory.getLogger(DirectMedia.class);

    private final CallServices services;

    DirectMedia(CallServices services) {
        this.services = services;
    }

    /**
     * Direct media: each endpoint is re-INVITEd with the other's media address, so RTP flows
     * between them and never touches this node. False (and nothing changed) when either refuses;
     * the relay is used then. Assumes each endpoint keeps its media address in its answer.
     */
    boolean connect(LiveCall call, LiveCall child) {
        RtpStream caller = call.stream();
        RtpStream callee = child.stream();
        Optional<InetSocketAddress> callerMedia = caller.remoteAddress();
        Optional<InetSocketAddress> calleeMedia = callee.remoteAddress();
        if (callerMedia.isEmpty() || calleeMedia.isEmpty()) {
            return false;
        }
        long version = services.clock().millis();
        String toCaller = Sdp.describe(calleeMedia.get().getAddress().getHostAddress(), calleeMedia.get().getPort(), callee.codec(),
                callee.telephoneEventPt(), Sdp.Direction.SENDRECV, version);
        String toCallee = Sdp.describe(callerMedia.get().getAddress().getHostAddress(), callerMedia.get().getPort(), caller.codec(),
                caller.telephoneEventPt(), Sdp.Direction.SENDRECV, version);
        var callerAnswer = call.leg().reinvite(toCaller);
        var calleeAnswer = child.leg().reinvite(toCallee);
        boolean callerMoved = callerAnswer.join().isPresent();
        boolean calleeMoved = calleeAnswer.join().isPresent();
        if (callerMoved && calleeMoved) {
            caller.sendAudio(false);
            callee.sendAudio(false);
            return true;
        }
        log.info("call {}: direct media refused (caller {}, callee {}); relaying", call.sid(), callerMoved, calleeMoved);
        if (callerMoved) {
            back(call);
        }
        if (calleeMoved) {
            child.leg().reinvite(Sdp.describe(services.publicHost(), callee.localPort(), callee.codec(), callee.telephoneEventPt(),
                    Sdp.Direction.SENDRECV, services.clock().millis())).join();
        }
        return false;
    }

    /** After direct media: the caller's RTP comes back to this node, for whatever controls the call next. */
    void back(LiveCall call) {
        if (call.isEnded()) {
            return;
        }
        RtpStream stream = call.stream();
        Optional<String> answer = call.leg().reinvite(Sdp.describe(services.publicHost(), stream.localPort(), stream.codec(),
                stream.telephoneEventPt(), Sdp.Direction.SENDRECV, services.clock().millis())).join();
        answer.ifPresent(sdp -> {
            try {
                Sdp parsed = Sdp.parse(sdp);
                stream.configure(new InetSocketAddress(parsed.address(), parsed.port()), stream.codec(), stream.telephoneEventPt(), true);
            } catch (MediaException e) {
                log.info("call {}: the caller's answer to our re-INVITE is unusable: {}", call.sid(), e.getMessage());
            }
        });
        stream.sendAudio(true);
    }
}
