package dev.patchbay.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The survey service: questions answered with a key, each answer stored per call, results through
 * REST ({@code /v1/Modules/{Sid}/SurveyResponses}).
 *
 * <pre>{"intro": "Please answer two questions about your call.",
 *  "questions": [{"id": "satisfied", "prompt": "Were you satisfied? Press 1 for yes, 2 for no.", "answers": ["1", "2"]},
 *                {"id": "score", "prompt": "From 1 to 5, how likely are you to recommend us?", "answers": ["1", "2", "3", "4", "5"]}],
 *  "timeout": 5, "thanks": "Thank you. Goodbye.", "outlet": "done"}</pre>
 * A key that is not an answer is asked again once; no key skips the question. After the last
 * question the caller hears the thanks and leaves by {@code outlet} (when given) or hangs up.
 */
final class Survey implements Service {

    static final String NAME = "survey";

    private final SurveyAnswers answers;

    Survey(SurveyAnswers answers) {
        this.answers = answers;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(JsonNode c, List<String> outlets) {
        Fields.text(c, "intro", "intro", "");
        Fields.text(c, "thanks", "thanks", "Thank you.");
        Fields.integer(c, "timeout", "timeout", 5, 1, 60);
        if (c.hasNonNull("outlet") && !outlets.contains(c.get("outlet").asText())) {
            throw Fields.invalid("outlet", "'" + c.get("outlet").asText() + "' is not an outlet of this module (its outlets: " + outlets + ")");
        }
        JsonNode questions = c.get("questions");
        if (questions == null || !questions.isArray() || questions.isEmpty()) {
            throw Fields.invalid("questions", "must be a non-empty array");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < questions.size(); i++) {
            JsonNode q = questions.get(i);
            String field = "questions[" + i + "]";
            String id = Fields.text(q, "id", field + ".id", null);
            if (!id.matches("[A-Za-z0-9_-]{1,64}") || !ids.add(id)) {
                throw Fields.invalid(field + ".id", "'" + id + "' must be unique: letters, digits, _ and -, up to 64");
            }
            Fields.text(q, "prompt", field + ".prompt", null);
            JsonNode keys = q.get("answers");
            if (keys == null || !keys.isArray() || keys.isEmpty()) {
                throw Fields.invalid(field + ".answers", "must be a non-empty array of keys such as [\"1\", \"2\"]");
            }
            for (int k = 0; k < keys.size(); k++) {
                if (!keys.get(k).asText("").matches("[0-9*#]")) {
                    throw Fields.invalid(field + ".answers[" + k + "]", "an answer is one key: 0-9, * or #");
                }
            }
        }
    }

    @Override
    public String respond(JsonNode c, Step step) {
        JsonNode questions = c.get("questions");
        int index = step.number("q", 0);
        int tries = step.number("try", 0);
        StringBuilder body = new StringBuilder();
        String digits = step.param("Digits");
        if (index < questions.size() && step.query().containsKey("gathered") && !digits.isEmpty()) {
            JsonNode question = questions.get(index);
            boolean valid = false;
            for (JsonNode key : question.get("answers")) {
                valid |= key.asText().equals(digits);
            }
            if (valid) {
                answers.record(step.callSid(), step.moduleSid(), step.accountSid(), question.get("id").asText(), digits);
                index++;
                tries = 0;
            } else if (tries == 0) {
                body.append(Twiml.say("Please choose one of the answers."));
                tries = 1;
            } else {
                index++;   // asked twice: skipped
                tries = 0;
            }
        }
        if (index >= questions.size()) {
            body.append(Twiml.say(c.path("thanks").asText("Thank you.")));
            body.append(c.hasNonNull("outlet") ? Twiml.redirect("outlet:" + c.get("outlet").asText()) : "<Hangup/>");
            return Twiml.document(body.toString());
        }
        if (index == 0 && tries == 0 && !step.query().containsKey("q")) {
            body.append(Twiml.say(c.path("intro").asText("")));
        }
        String here = "service:" + NAME + "?q=" + index;
        body.append("<Gather numDigits=\"1\" timeout=\"").append(c.path("timeout").asInt(5)).append("\" action=\"")
                .append(Twiml.attr(here + "&gathered=1&try=" + tries)).append("\">")
                .append(Twiml.say(questions.get(index).get("prompt").asText())).append("</Gather>")
                .append(Twiml.redirect("service:" + NAME + "?q=" + (index + 1)));   // no key: the next question
        return Twiml.document(body.toString());
    }
}
