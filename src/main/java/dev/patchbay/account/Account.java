package dev.patchbay.account;

import java.time.Instant;
import java.util.Optional;

/** A tenant of the platform. A subaccount has a parent; the parent's credentials reach it too. */
public record Account(
        String sid,
        Optional<String> parentSid,
        String friendlyName,
        String authToken,
        AccountStatus status,
        Instant dateCreated,
        Instant dateUpdated) {

    public boolean isActive() {
        return status == AccountStatus.ACTIVE;
    }

    /** Debug output never carries the auth token. */
    @Override
    public String toString() {
        return "Account[" + sid + ", " + friendlyName + ", " + status.wire() + "]";
    }
}
