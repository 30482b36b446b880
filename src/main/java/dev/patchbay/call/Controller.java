package dev.patchbay.call;

import dev.patchbay.linking.Module;
import java.util.Optional;

/**
 * Who controls a call during a segment: {@code label} names it for people (an application URL,
 * {@code bridge:<uri>}, a module alias); a module hand-off adds the module, its developer's
 * account and events URL, and the flow node it runs as.
 */
public record Controller(String label, Optional<Module> module, Optional<FlowRun> flow, Optional<String> node) {

    /** A plain application at a URL (or inline TwiML), outside any module. */
    static Controller app(String label) {
        return new Controller(label, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The same module and flow node, now bridging ({@code Dial}): the history keeps who set the bridge up. */
    Controller bridged(String bridgeLabel) {
        return new Controller(bridgeLabel, module, flow, node);
    }

    /** The same module, now running other instructions of its own (an action, a redirect within it). */
    Controller relabeled(String newLabel) {
        return new Controller(newLabel, module, flow, node);
    }

    boolean isBridgeModule() {
        return module.map(m -> m.kind() == Module.Kind.BRIDGE).orElse(false);
    }

    Optional<String> moduleSid() {
        return module.map(Module::sid);
    }

    boolean sameModule(Controller other) {
        return moduleSid().equals(other.moduleSid()) && node.equals(other.node);
    }
}
