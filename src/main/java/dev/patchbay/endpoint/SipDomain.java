package dev.patchbay.endpoint;

import java.time.Instant;

/** A SIP domain of an account (Twilio's SIP Domains): user agents register to it and are reached as {@code <Client>}. */
public record SipDomain(String sid, String accountSid, String domainName, String friendlyName, Instant dateCreated, Instant dateUpdated) {
}
