import dev.patchbay.sip.SipStackFactory;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.*;
import javax.sip.address.AddressFactory;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The Java floor: a JAIN-SIP UAS with the same stack settings as Patchbay that answers every
 * INVITE with 200 and a fixed SDP, and BYE with 200. No application, no media, no database.
 * Run with: java -cp target/patchbay.jar bench/BareUas.java PORT
 */
public class BareUas implements SipListener {
    private final SipProvider provider;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final ContactHeader contact;

    BareUas(int port) throws Exception {
        SipStack stack = SipStackFactory.create("bare-uas", 8);
        SipFactory f = SipFactory.getInstance();
        messages = f.createMessageFactory();
        headers = f.createHeaderFactory();
        AddressFactory addresses = f.createAddressFactory();
        provider = stack.createSipProvider(stack.createListeningPoint("127.0.0.1", port, "udp"));
        provider.addSipListener(this);
        contact = headers.createContactHeader(addresses.createAddress(addresses.createSipURI("uas", "127.0.0.1:" + port)));
        stack.start();
    }

    public static void main(String[] args) throws Exception {
        new BareUas(Integer.parseInt(args[0]));
        Thread.currentThread().join();
    }

    @Override
    public void processRequest(RequestEvent ev) {
        Request req = ev.getRequest();
        if (req.getMethod().equals(Request.ACK)) {
            return;
        }
        try {
            ServerTransaction st = ev.getServerTransaction() != null ? ev.getServerTransaction() : provider.getNewServerTransaction(req);
            if (req.getMethod().equals(Request.INVITE)) {
                Response r = messages.createResponse(Response.OK, req);
                ((ToHeader) r.getHeader(ToHeader.NAME)).setTag(Long.toHexString(ThreadLocalRandom.current().nextLong()));
                r.addHeader(contact);
                r.setContent("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40400 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n",
                        headers.createContentTypeHeader("application", "sdp"));
                st.sendResponse(r);
            } else {
                st.sendResponse(messages.createResponse(Response.OK, req));
            }
        } catch (Exception ignored) {
            // retransmissions
        }
    }

    public void processResponse(ResponseEvent e) { }
    public void processTimeout(TimeoutEvent e) { }
    public void processIOException(IOExceptionEvent e) { }
    public void processTransactionTerminated(TransactionTerminatedEvent e) { }
    public void processDialogTerminated(DialogTerminatedEvent e) { }
}
