package dev.patchbay.sip;

import java.util.Properties;
import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.SipStack;

/**
 * JAIN-SIP stacks configured as the toolchain notes verified: a bounded thread pool, small datagram
 * buffers, no log4j; finished transactions keep no parsed messages and leave soon after they
 * terminate, and their timers run on a wheel ({@link WheelTimer}).
 */
public final class SipStackFactory {

    private SipStackFactory() {
    }

    public static SipStack create(String name, int threads) {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", name);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(threads));
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "8192");
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", "4194304");
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", "4194304");
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "100000");
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Normal");
        p.setProperty("gov.nist.javax.sip.TIMER_CLASS_NAME", WheelTimer.class.getName());
        // a terminated transaction or dialog leaves the stack's tables 2 s later, not JAIN-SIP's 8 (RFC 3261 drops it at
        // once; the retransmission timers, Timer J's 32 s among them, all run before it terminates)
        p.setProperty("gov.nist.javax.sip.LINGER_TIMER", "2");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", QuietServerLogger.class.getName());
        try {
            return factory.createSipStack(p);
        } catch (PeerUnavailableException e) {
            throw new IllegalStateException("cannot create the SIP stack", e);
        }
    }
}
