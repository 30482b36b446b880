package dev.patchbay.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.billing.Rating;
import dev.patchbay.billing.Spending;
import dev.patchbay.billing.UsagePlan;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;

/**
 * The calling-card service: the caller enters a card's PIN, hears its balance, enters a number
 * (then #); the call to it is a bridge (the basic mode) limited to what the balance pays at the
 * operator's basic rate, with a beep {@code warning_seconds} before the end; afterwards the call's
 * cost comes off the card and the caller is back at the card's menu.
 *
 * <pre>{"pin_length": 4, "greeting": "Welcome to Acme calling cards.", "ring_seconds": 30, "warning_seconds": 30}</pre>
 * Cards are issued over REST ({@code /v1/Modules/{Sid}/Cards}: Pin, Balance).
 */
final class CallingCard implements Service {

    static final String NAME = "calling-card";

    private final CallingCards cards;
    private final UsagePlan basic;

    /** {@code basic}: the operator's basic-mode plan, what a card's calls cost. */
    CallingCard(CallingCards cards, UsagePlan basic) {
        this.cards = cards;
        this.basic = basic;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void validate(JsonNode c, List<String> outlets) {
        Fields.integer(c, "pin_length", "pin_length", 4, 4, 8);
        Fields.text(c, "greeting", "greeting", "");
        Fields.integer(c, "ring_seconds", "ring_seconds", 30, 5, 120);
        Fields.integer(c, "warning_seconds", "warning_seconds", 30, 0, 300);
    }

    @Override
    public String respond(JsonNode c, Step step) {
        String stage = step.query().getOrDefault("step", "pin");
        Optional<CallingCards.Card> card = Optional.ofNullable(step.query().get("card")).flatMap(sid -> cards.find(step.moduleSid(), sid));
        switch (stage) {
            case "pin" -> {
                int tries = step.number("try", 0);
                StringBuilder body = new StringBuilder();
                if (step.query().containsKey("gathered")) {
                    Optional<CallingCards.Card> opened = cards.byPin(step.moduleSid(), step.param("Digits"));
                    if (opened.isPresent()) {
                        return menu(opened.get(), "");
                    }
                    body.append(Twiml.say("That PIN is not valid."));
                    tries++;
                } else if (tries == 0) {
                    body.append(Twiml.say(c.path("greeting").asText("")));
                }
                if (tries > 2) {
                    return Twiml.document(body + Twiml.say("Goodbye.") + "<Hangup/>");
                }
                return Twiml.document(body + "<Gather numDigits=\"" + c.path("pin_length").asInt(4) + "\" timeout=\"10\" action=\""
                        + Twiml.attr("service:" + NAME + "?step=pin&gathered=1&try=" + tries) + "\">" + Twiml.say("Please enter your PIN.")
                        + "</Gather>" + Twiml.redirect("service:" + NAME + "?step=pin&try=" + (tries + 1)));
            }
            case "dial" -> {
                if (card.isEmpty()) {
                    return Twiml.document("<Hangup/>");
                }
                String digits = step.param("Digits").replace("#", "");
                long seconds = secondsFor(card.get().balance());
                if (digits.length() < 4) {
                    return menu(card.get(), "That is not a number we can call.");
                }
                return Twiml.document("<Dial timeout=\"" + c.path("ring_seconds").asInt(30) + "\" timeLimit=\"" + seconds
                        + "\" timeLimitWarning=\"" + Math.min(c.path("warning_seconds").asInt(30), Math.max(0, seconds - 1)) + "\" action=\""
                        + Twiml.attr("service:" + NAME + "?step=after&card=" + card.get().sid()) + "\"><Number>+" + Twiml.text(digits)
                        + "</Number></Dial>");
            }
            case "after" -> {
                if (card.isEmpty()) {
                    return Twiml.document("<Hangup/>");
                }
                long talked = Long.parseLong(step.params().getOrDefault("DialCallDuration", "0"));
                cards.spend(step.moduleSid(), card.get().sid(), Rating.rate(basic, talked * 1000, Rating.PeriodUsage.NONE).amount());
                return menu(cards.find(step.moduleSid(), card.get().sid()).orElseThrow(), talked > 0 ? "Your call has ended." : "");
            }
            default -> {
                return card.map(k -> menu(k, "")).orElseGet(() -> Twiml.document("<Hangup/>"));
            }
        }
    }

    /** The card's menu: its balance, then the number to call; an empty card says goodbye. */
    private String menu(CallingCards.Card card, String before) {
        BigDecimal balance = card.balance().setScale(2, RoundingMode.DOWN);
        String spoken = "You have " + balance.toBigInteger() + " dollars and " + balance.remainder(BigDecimal.ONE).movePointRight(2).intValue()
                + " cents.";
        if (secondsFor(card.balance()) < 5) {
            return Twiml.document(Twiml.say(before) + Twiml.say(spoken) + Twiml.say("Your card is empty. Goodbye.") + "<Hangup/>");
        }
        String here = "service:" + NAME + "?card=" + card.sid();
        return Twiml.document(Twiml.say(before) + Twiml.say(spoken) + "<Gather finishOnKey=\"#\" numDigits=\"16\" timeout=\"10\" action=\""
                + Twiml.attr("service:" + NAME + "?step=dial&card=" + card.sid()) + "\">"
                + Twiml.say("Enter the number to call, with its country code, then press pound.") + "</Gather>" + Twiml.redirect(here + "&step=menu"));
    }

    /** How long the balance pays for at the basic rate (whole seconds). */
    private long secondsFor(BigDecimal balance) {
        return Spending.longestAffordable(basic, balance, 24 * 3600 * 1000L) / 1000;
    }
}
