package dev.patchbay.account;

import java.time.Instant;

/** An alternative credential for an account: its SID is the user name, a secret the password. */
public record ApiKey(String sid, String accountSid, String friendlyName, Instant dateCreated, Instant dateUpdated) {
}
