package dev.patchbay.linking;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An account's agreement to use another developer's module: the usage plan and its version in
 * force when it was installed, and the account-wide configuration (values for the module's parameters).
 */
public record Installation(String sid, String accountSid, String moduleSid, Optional<String> usagePlanSid, Optional<Integer> usagePlanVersion,
                           String configuration,
                           Status status, Instant dateCreated, Instant dateUpdated) {

    public enum Status {
        ACTIVE, UNINSTALLED
    }

    public boolean isActive() {
        return status == Status.ACTIVE;
    }

    /** The configuration as request parameters (lists expanded to {@code Name[i]}). */
    public Map<String, String> values() {
        return Parameters.values("Configuration", Parameters.parse("Configuration", configuration));
    }
}
