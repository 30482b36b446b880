package dev.patchbay.call;

import dev.patchbay.linking.FlowDefinition;

/** The flow a call runs, at the version it started with (a flow saved meanwhile does not change a live call). */
public record FlowRun(String sid, int version, FlowDefinition definition) {
}
