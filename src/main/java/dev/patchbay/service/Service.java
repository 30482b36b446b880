package dev.patchbay.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.PatchbayException;
import java.util.List;
import java.util.Map;

/**
 * One provided service: configured by a JSON document (checked on save), it answers each step of
 * a call with TwiML, as an application would, but in process. Its own next steps are
 * {@code service:<name>?...} URLs; its ways out are {@code outlet:<name>} links. Implementations
 * are stateless and thread-safe; what a call has done so far travels in the step's query.
 */
interface Service {

    String name();

    /** Checks a configuration (a JSON object: the runtime checked that); throws {@link PatchbayException.InvalidParameter} naming the field at fault. */
    void validate(JsonNode configuration, List<String> outlets);

    /** The TwiML for one step of a call. */
    String respond(JsonNode configuration, Step step);

    /**
     * A step: the call, the module (and its outlets), the step's own query ({@code menu=main&try=1})
     * and the call's request parameters.
     */
    record Step(String callSid, String accountSid, String moduleSid, List<String> outlets, Map<String, String> query, Map<String, String> params) {
        boolean hasOutlet(String name) {
            return outlets.contains(name);
        }

        String param(String name) {
            return params.getOrDefault(name, "");
        }

        int number(String name, int otherwise) {
            try {
                return Integer.parseInt(query.getOrDefault(name, Integer.toString(otherwise)));
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }
    }
}
