package dev.patchbay.media;

import java.nio.channels.DatagramChannel;

/**
 * An RTP socket on an even port and its RTCP socket on the odd one above, bound once and kept by the
 * engine for stream after stream: a call opens no socket and registers nothing with a selector, and
 * its end closes nothing (docs/media.md, "Port pairs"). The pair stays in one lane, so the same
 * receive thread reads it whichever stream has it.
 */
final class PortPair {

    final DatagramChannel rtp;
    final DatagramChannel rtcp;
    final int port;
    final int lane;
    /** The stream that has the pair, null while it is free (what arrives then is read and dropped). */
    volatile RtpStream stream;
    /** When the pair was last freed ({@code System.nanoTime()}); guarded by the engine. */
    long freedAt;

    PortPair(DatagramChannel rtp, DatagramChannel rtcp, int port, int lane) {
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.port = port;
        this.lane = lane;
    }
}
