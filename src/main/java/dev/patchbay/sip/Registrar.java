package dev.patchbay.sip;

import dev.patchbay.endpoint.Digest;
import dev.patchbay.endpoint.SipDomain;
import dev.patchbay.endpoint.SipDomains;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;
import java.util.TimeZone;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REGISTER (RFC 3261 10) for the accounts' SIP domains, with digest authentication: the To
 * header's host names the domain (the realm), its user the credential. Contacts are kept in the
 * shared store with their expiry. Runs on a virtual thread, never on a SIP thread.
 */
public final class Registrar {

    private static final Logger log = LoggerFactory.getLogger(Registrar.class);
    static final int MIN_EXPIRES = 60;
    static final int MAX_EXPIRES = 3600;

    private final SipDomains domains;
    private final Digest digest;
    private final Clock clock;
    private final String nodeId;

    public Registrar(SipDomains domains, Digest digest, Clock clock, String nodeId) {
        this.domains = domains;
        this.digest = digest;
        this.clock = clock;
        this.nodeId = nodeId;
    }

    void handle(SipEdge edge, ServerTransaction st, Request request) {
        try {
            st.sendResponse(answer(edge, request));
        } catch (Exception e) {
            log.debug("REGISTER not answered: {}", e.toString());
        }
    }

    private Response answer(SipEdge edge, Request request) throws Exception {
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        if (!(to.getAddress().getURI() instanceof SipURI aor) || aor.getUser() == null) {
            return edge.messages().createResponse(Response.BAD_REQUEST, request);
        }
        Optional<SipDomain> domain = domains.byName(aor.getHost());
        if (domain.isEmpty()) {
            return edge.messages().createResponse(Response.NOT_FOUND, request);
        }
        String user = aor.getUser();
        if (!authenticated(request, domain.get(), user)) {
            Response challenge = edge.messages().createResponse(Response.UNAUTHORIZED, request);
            WWWAuthenticateHeader www = edge.headers().createWWWAuthenticateHeader("Digest");
            www.setRealm(domain.get().domainName());
            www.setNonce(digest.nonce(clock.millis()));
            www.setAlgorithm("MD5");
            www.setQop("auth");
            challenge.addHeader(www);
            return challenge;
        }
        ExpiresHeader expiresHeader = request.getExpires();
        int defaultExpires = expiresHeader == null ? MAX_EXPIRES : expiresHeader.getExpires();
        List<ContactHeader> contacts = new ArrayList<>();
        for (ListIterator<?> it = request.getHeaders(ContactHeader.NAME); it.hasNext(); ) {
            contacts.add((ContactHeader) it.next());
        }
        for (ContactHeader c : contacts) {
            if (c.isWildCard()) {
                if (defaultExpires != 0 || contacts.size() > 1) {
                    return edge.messages().createResponse(Response.BAD_REQUEST, request);
                }
                domains.unregisterAll(domain.get(), user);
                continue;
            }
            int expires = c.getExpires() >= 0 ? c.getExpires() : defaultExpires;
            if (expires > 0 && expires < MIN_EXPIRES) {
                Response brief = edge.messages().createResponse(Response.INTERVAL_TOO_BRIEF, request);
                brief.addHeader(edge.headers().createMinExpiresHeader(MIN_EXPIRES));
                return brief;
            }
            domains.register(domain.get(), user, c.getAddress().getURI().toString(), Math.min(expires, MAX_EXPIRES), nodeId);
        }
        Response ok = edge.messages().createResponse(Response.OK, request);
        long now = clock.millis();
        for (String contact : domains.contacts(domain.get(), user)) {
            ContactHeader h = edge.headers().createContactHeader(edge.addresses().createAddress(contact));
            h.setExpires(MAX_EXPIRES);
            ok.addHeader(h);
        }
        ok.addHeader(edge.headers().createDateHeader(Calendar.getInstance(TimeZone.getTimeZone("UTC"))));
        log.debug("registered {}@{} at {}", user, domain.get().domainName(), now);
        return ok;
    }

    private boolean authenticated(Request request, SipDomain domain, String user) {
        AuthorizationHeader auth = (AuthorizationHeader) request.getHeader(AuthorizationHeader.NAME);
        if (auth == null || auth.getUsername() == null || auth.getNonce() == null || auth.getResponse() == null) {
            return false;
        }
        if (!auth.getUsername().equals(user) || !domain.domainName().equalsIgnoreCase(auth.getRealm())
                || !digest.isFresh(auth.getNonce(), clock.millis())) {
            return false;
        }
        Optional<String> ha1 = domains.ha1(domain, user);
        if (ha1.isEmpty()) {
            return false;
        }
        String uri = auth.getURI() == null ? request.getRequestURI().toString() : auth.getURI().toString();
        String nc = auth.getQop() == null ? null : String.format("%08x", auth.getNonceCount());
        String expected = Digest.response(ha1.get(), auth.getNonce(), Request.REGISTER, uri, auth.getQop(), nc, auth.getCNonce());
        return Digest.matches(expected, auth.getResponse());
    }
}
