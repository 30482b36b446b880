package dev.patchbay.linking;

import dev.patchbay.PatchbayException;
import java.util.List;
import java.util.Set;

/**
 * The platform's provided services, as the linking system sees them: their names, and the check a
 * service module's configuration passes on save. Implemented by the service runtime.
 */
public interface ServiceCatalog {

    Set<String> names();

    /**
     * Checks a configuration (a JSON document) for the service; throws an
     * {@link PatchbayException.InvalidParameter} whose message names the field at fault.
     * {@code outlets} are the module's declared outlets, which the configuration may lead to.
     */
    void validate(String service, String configuration, List<String> outlets);

    /** No services: what a platform without the runtime offers. */
    ServiceCatalog NONE = new ServiceCatalog() {
        @Override
        public Set<String> names() {
            return Set.of();
        }

        @Override
        public void validate(String service, String configuration, List<String> outlets) {
            throw new PatchbayException.InvalidParameter(20001, "Service: no services are available");
        }
    };
}
