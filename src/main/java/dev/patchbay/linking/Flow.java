package dev.patchbay.linking;

import java.time.Instant;

/** A container app: a versioned flow of modules. {@code source} is the definition as saved. */
public record Flow(String sid, String accountSid, String friendlyName, int version, FlowDefinition definition, String source,
                   Instant dateCreated, Instant dateUpdated) {
}
