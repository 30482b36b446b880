package dev.patchbay.linking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patchbay.PatchbayException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Module parameters: their declarations (a JSON array of {@code {name, type, required, default}}),
 * values given as JSON (installation configuration, flow node parameters), and how a value is
 * checked against its type. Values travel as request parameters, so every value is a string; a
 * list becomes {@code Name[0]}, {@code Name[1]}, ... as in the seed's simulring link.
 */
public final class Parameters {

    static final ObjectMapper JSON = new ObjectMapper();
    public static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean", "phone", "url", "list");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    /** Names the platform sends itself; a module may not declare them and a link may not override them. */
    private static final Set<String> RESERVED = Set.of("AccountSid", "ApiVersion", "CallSid", "CallStatus", "Called", "Caller", "Direction",
            "From", "To", "ModuleSid", "FlowSid", "FlowNode", "ParentCallSid", "Digits", "ErrorCode", "ErrorUrl");

    private Parameters() {
    }

    /** Parses and checks the {@code Parameters} a developer gives (REST, CLI). */
    public static List<Module.Parameter> declare(String json) {
        return declarations(json);
    }

    /** Stored JSON as a tree, for rendering. */
    public static JsonNode tree(String json) {
        return parse("JSON", json);
    }

    /** Parses and checks the {@code Parameters} of a module. */
    static List<Module.Parameter> declarations(String json) {
        JsonNode root = parse("Parameters", json);
        if (!root.isArray()) {
            throw new PatchbayException.InvalidParameter(20001, "Parameters must be a JSON array of {name, type, required, default}");
        }
        List<Module.Parameter> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode p = root.get(i);
            String where = "Parameters[" + i + "]";
            String name = p.path("name").asText("");
            if (!NAME.matcher(name).matches()) {
                throw new PatchbayException.InvalidParameter(20001, where + ".name: '" + name + "' is not a parameter name (a letter, then letters, digits or _)");
            }
            if (isReserved(name)) {
                throw new PatchbayException.InvalidParameter(20001, where + ".name: '" + name + "' is a name the platform sends itself");
            }
            if (out.stream().anyMatch(d -> d.name().equals(name))) {
                throw new PatchbayException.InvalidParameter(20001, where + ".name: '" + name + "' is declared twice");
            }
            String type = p.path("type").asText("string");
            if (!TYPES.contains(type)) {
                throw new PatchbayException.InvalidParameter(20001, where + ".type: '" + type + "' is not one of " + String.join(", ", TYPES.stream().sorted().toList()));
            }
            Optional<String> defaultValue = p.hasNonNull("default") ? Optional.of(p.get("default").asText()) : Optional.empty();
            defaultValue.flatMap(v -> problem(type, v)).ifPresent(problem -> {
                throw new PatchbayException.InvalidParameter(20001, where + ".default: " + problem);
            });
            out.add(new Module.Parameter(name, type, p.path("required").asBoolean(false), defaultValue));
        }
        return List.copyOf(out);
    }

    static String render(List<Module.Parameter> declarations) {
        ArrayNode array = JSON.createArrayNode();
        for (Module.Parameter p : declarations) {
            ObjectNode o = array.addObject().put("name", p.name()).put("type", p.type()).put("required", p.required());
            p.defaultValue().ifPresentOrElse(v -> o.put("default", v), () -> o.putNull("default"));
        }
        return array.toString();
    }

    /** A JSON object of values (installation configuration, node parameters) as request parameters, lists expanded. */
    static Map<String, String> values(String field, JsonNode object) {
        if (object == null || object.isNull() || object.isMissingNode()) {
            return Map.of();
        }
        if (!object.isObject()) {
            throw new PatchbayException.InvalidParameter(20001, field + " must be a JSON object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        object.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (v.isArray()) {
                for (int i = 0; i < v.size(); i++) {
                    out.put(e.getKey() + "[" + i + "]", v.get(i).asText());
                }
            } else if (v.isValueNode()) {
                out.put(e.getKey(), v.asText());
            } else if (!v.isNull()) {
                out.put(e.getKey(), v.toString());
            }
        });
        return out;
    }

    static JsonNode parse(String field, String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null) {
                throw new PatchbayException.InvalidParameter(20001, field + " is empty; it must be JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new PatchbayException.InvalidParameter(20001, field + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The declared name a value's key belongs to: {@code PhoneNumbers} for {@code PhoneNumbers[1]}. */
    static String base(String key) {
        int bracket = key.indexOf('[');
        return bracket > 0 ? key.substring(0, bracket) : key;
    }

    static boolean isReserved(String key) {
        String base = base(key);
        return RESERVED.contains(base) || base.startsWith("State_") || base.startsWith("SipHeader_");
    }

    /** What is wrong with {@code value} as a {@code type}, if anything. */
    static Optional<String> problem(String type, String value) {
        boolean ok = switch (type) {
            case "integer" -> value.matches("-?[0-9]{1,18}");
            case "number" -> value.matches("-?[0-9]{1,18}(\\.[0-9]{1,18})?");
            case "boolean" -> value.equals("true") || value.equals("false");
            case "phone" -> value.matches("\\+[1-9][0-9]{1,14}");
            case "url" -> value.matches("(?i)https?://\\S+");
            default -> true;
        };
        return ok ? Optional.empty() : Optional.of("'" + value + "' is not " + switch (type) {
            case "integer" -> "an integer";
            case "number" -> "a decimal number";
            case "boolean" -> "true or false";
            case "phone" -> "an E.164 phone number";
            case "url" -> "an http(s) URL";
            default -> "a " + type;
        });
    }
}
