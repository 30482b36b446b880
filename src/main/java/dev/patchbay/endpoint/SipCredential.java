package dev.patchbay.endpoint;

import java.time.Instant;

/** A user name allowed to register to a domain; the password is kept only as its digest HA1. */
public record SipCredential(String sid, String accountSid, String domainSid, String username, Instant dateCreated, Instant dateUpdated) {
}
