package dev.patchbay.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.PatchbayException;

/** Reading a service's configuration with errors that name the field ({@code Configuration: menus.main.prompt: ...}). */
final class Fields {

    private Fields() {
    }

    static PatchbayException.InvalidParameter invalid(String field, String problem) {
        return new PatchbayException.InvalidParameter(20001, "Configuration: " + field + ": " + problem);
    }

    static String text(JsonNode node, String name, String field, String otherwise) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (otherwise == null) {
                throw invalid(field, "is required");
            }
            return otherwise;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw invalid(field, "must be a non-empty string");
        }
        return v.asText();
    }

    static int integer(JsonNode node, String name, String field, int otherwise, int min, int max) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return otherwise;
        }
        if (!v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw invalid(field, "must be a whole number from " + min + " to " + max);
        }
        return v.asInt();
    }

    static JsonNode object(JsonNode node, String name, String field) {
        JsonNode v = node.get(name);
        if (v == null || !v.isObject() || v.isEmpty()) {
            throw invalid(field, "must be a non-empty object");
        }
        return v;
    }
}
