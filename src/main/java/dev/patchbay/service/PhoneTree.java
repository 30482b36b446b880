package dev.patchbay.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The phone tree service: menus of prompts and keys, with a timeout and retries each, whose
 * leaves are outlets to other modules (or other menus).
 *
 * <pre>{"start": "main",
 *  "greeting": "Thank you for calling Acme.",
 *  "menus": {"main": {"prompt": "For sales press 1, for support press 2.", "timeout": 5, "retries": 2,
 *                     "options": {"1": "outlet:sales", "2": "menu:support"}},
 *            "support": {"prompt": "...", "options": {"1": "outlet:support", "0": "menu:main"}}},
 *  "invalid": "Sorry, that is not one of the choices.", "goodbye": "Goodbye."}</pre>
 * When a menu's retries run out the call leaves by the {@code no-input} outlet if the module has
 * one, else it hears the goodbye and hangs up.
 */
final class PhoneTree implements Service {

    static final String NAME = "phone-tree";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(JsonNode c, List<String> outlets) {
        JsonNode menus = Fields.object(c, "menus", "menus");
        String start = Fields.text(c, "start", "start", menus.fieldNames().next());
        if (!menus.has(start)) {
            throw Fields.invalid("start", "'" + start + "' is not one of the menus");
        }
        Fields.text(c, "greeting", "greeting", "");
        for (var menu : (Iterable<Map.Entry<String, JsonNode>>) menus::fields) {
            String field = "menus." + menu.getKey();
            if (!menu.getKey().matches("[A-Za-z0-9_-]{1,32}")) {
                throw Fields.invalid(field, "a menu name is letters, digits, _ and -, up to 32");
            }
            Fields.text(menu.getValue(), "prompt", field + ".prompt", null);
            Fields.integer(menu.getValue(), "timeout", field + ".timeout", 5, 1, 60);
            Fields.integer(menu.getValue(), "retries", field + ".retries", 2, 0, 5);
            JsonNode options = Fields.object(menu.getValue(), "options", field + ".options");
            for (var option : (Iterable<Map.Entry<String, JsonNode>>) options::fields) {
                String key = field + ".options." + option.getKey();
                if (!option.getKey().matches("[0-9*#]{1,3}")) {
                    throw Fields.invalid(key, "a choice is 1 to 3 keys (0-9, * and #)");
                }
                String to = option.getValue().asText("");
                if (to.startsWith("menu:")) {
                    if (!menus.has(to.substring(5))) {
                        throw Fields.invalid(key, "'" + to.substring(5) + "' is not one of the menus");
                    }
                } else if (to.startsWith("outlet:")) {
                    if (!outlets.contains(to.substring(7))) {
                        throw Fields.invalid(key, "'" + to.substring(7) + "' is not an outlet of this module (its outlets: " + outlets + ")");
                    }
                } else {
                    throw Fields.invalid(key, "must lead to menu:<name> or outlet:<name>");
                }
            }
        }
    }

    @Override
    public String respond(JsonNode c, Step step) {
        JsonNode menus = c.get("menus");
        String name = step.query().getOrDefault("menu", c.path("start").asText(menus.fieldNames().next()));
        JsonNode menu = menus.get(name);
        int tries = step.number("try", 0);
        StringBuilder body = new StringBuilder();
        if (step.query().isEmpty()) {
            body.append(Twiml.say(c.path("greeting").asText("")));
        }
        String digits = step.param("Digits");
        if (!digits.isEmpty() && step.query().containsKey("gathered")) {
            JsonNode chosen = menu.path("options").get(digits);
            if (chosen != null) {
                String to = chosen.asText();
                return Twiml.document(to.startsWith("menu:") ? Twiml.redirect("service:" + NAME + "?menu=" + to.substring(5)) : Twiml.redirect(to));
            }
            body.append(Twiml.say(c.path("invalid").asText("Sorry, that is not one of the choices.")));
            tries++;
        }
        int retries = menu.path("retries").asInt(2);
        if (tries > retries) {
            return Twiml.document(step.hasOutlet("no-input") ? Twiml.redirect("outlet:no-input")
                    : Twiml.say(c.path("goodbye").asText("Goodbye.")) + "<Hangup/>");
        }
        int numDigits = 1;
        for (var keys = menu.path("options").fieldNames(); keys.hasNext(); ) {
            numDigits = Math.max(numDigits, keys.next().length());
        }
        String here = "service:" + NAME + "?menu=" + name;
        body.append("<Gather numDigits=\"").append(numDigits).append("\" timeout=\"").append(menu.path("timeout").asInt(5))
                .append("\" action=\"").append(Twiml.attr(here + "&gathered=1&try=" + tries)).append("\">")
                .append(Twiml.say(menu.path("prompt").asText())).append("</Gather>")
                .append(Twiml.redirect(here + "&try=" + (tries + 1)));
        return Twiml.document(body.toString());
    }
}
