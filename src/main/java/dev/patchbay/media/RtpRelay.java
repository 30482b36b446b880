package dev.patchbay.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of a bridge: packets one stream receives go out of its peer's socket as they
 * came, except for the header. The payload type is mapped (and the payload transcoded by table
 * between PCMU and PCMA when the legs differ); the SSRC, sequence numbers and timestamps continue
 * the peer's own line, so the far end sees one steady source across the switch between
 * application and basic mode. Used by the receiver thread only; no allocation per packet.
 */
final class RtpRelay {

    private static final Logger log = LoggerFactory.getLogger(RtpRelay.class);

    /** Made on the first packet relayed: most streams are never bridged. */
    private ByteBuffer out;
    private volatile RtpStream target;
    private int seqDelta;
    private int timestampDelta;
    private volatile long packets;

    /** Forgets the offsets: the next packet starts a new line (a new bridge). */
    void restart() {
        target = null;
    }

    long packets() {
        return packets;
    }

    void forward(ByteBuffer packet, int pt, int offset, int payloadLength, int ownTelephoneEventPt, RtpStream peer) {
        InetSocketAddress to = peer.remote;
        if (to == null || !peer.sending || peer.closed) {
            return;
        }
        int length = packet.limit();
        if (out == null) {
            out = ByteBuffer.allocateDirect(2048);
        }
        out.clear();
        out.put(0, packet, 0, length).limit(length);
        int outPt = pt;
        if (pt == ownTelephoneEventPt) {
            outPt = peer.telephoneEventPt;
        } else {
            Codec in = Codec.byPayloadType(pt).orElse(null);
            Codec law = peer.codec;
            if (in != null && in != law) {
                G711.transcode(out, offset, payloadLength, in == Codec.PCMU);
                outPt = law.payloadType();
            }
        }
        int inSeq = packet.getShort(2) & 0xffff;
        int inTimestamp = packet.getInt(4);
        boolean first = target != peer;
        if (first) {
            target = peer;
            seqDelta = peer.seq - inSeq;
            timestampDelta = peer.timestamp - inTimestamp;
        }
        int outSeq = (inSeq + seqDelta) & 0xffff;
        out.put(1, (byte) ((first ? 0x80 : out.get(1) & 0x80) | outPt));
        out.putShort(2, (short) outSeq);
        out.putInt(4, inTimestamp + timestampDelta);
        out.putInt(8, peer.ssrc);
        peer.relayedSeq = outSeq;
        try {
            peer.ports.rtp.send(out, to);
            packets++;
        } catch (IOException e) {
            log.debug("RTP relay to {} failed: {}", to, e.toString());
        }
    }
}
