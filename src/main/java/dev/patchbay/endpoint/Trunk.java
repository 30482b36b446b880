package dev.patchbay.endpoint;

import java.time.Instant;
import java.util.Optional;

/**
 * An outbound SIP trunk: numbers starting with {@code prefix} (E.164, "+" for all) leave through
 * {@code terminationUri}, answering digest challenges with the optional credentials.
 * {@code accountSid} is empty for the platform-wide trunk from the configuration.
 */
public record Trunk(String sid, Optional<String> accountSid, String friendlyName, String prefix, String terminationUri,
                    Optional<String> username, Optional<String> password, Instant dateCreated, Instant dateUpdated) {

    /** Never prints the password. */
    @Override
    public String toString() {
        return "Trunk[" + sid + ", prefix=" + prefix + ", uri=" + terminationUri + ", username=" + username.orElse("") + "]";
    }
}
