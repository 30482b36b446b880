package dev.patchbay.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.PatchbayException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A usage plan as JSON, the form developers and operators write. Prices are decimal strings
 * (never binary floats); every problem names its field.
 *
 * <pre>{"currency": "USD", "unit_seconds": 60, "increment_seconds": 6, "minimum_seconds": 30,
 *  "tiers_mode": "graduated", "tiers": [{"up_to": 10, "flat_price": "1.00", "unit_price": "0"}, {"unit_price": "0.10"}],
 *  "per_use": "0.05", "subscription": {"price": "20.00", "unlimited": false},
 *  "allowance_seconds": 6000, "cap_seconds": 36000, "meters": {"tts-characters": "0.00002"}}</pre>
 * {@code "price": "0.10"} is short for one tier without end.
 */
public final class PlanDocument {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private PlanDocument() {
    }

    public static UsagePlan parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid("Definition is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("Definition must be a JSON object");
        }
        String currency = root.path("currency").asText("USD").toUpperCase(Locale.ROOT);
        if (!currency.matches("[A-Z]{3}")) {
            throw invalid("currency: '" + currency + "' is not a 3-letter currency code");
        }
        long unit = seconds(root, "unit_seconds", 60, 1);
        long increment = seconds(root, "increment_seconds", 1, 1);
        long minimum = seconds(root, "minimum_seconds", 0, 0);
        UsagePlan.TiersMode mode = switch (root.path("tiers_mode").asText("graduated")) {
            case "graduated" -> UsagePlan.TiersMode.GRADUATED;
            case "volume" -> UsagePlan.TiersMode.VOLUME;
            default -> throw invalid("tiers_mode: '" + root.path("tiers_mode").asText() + "' is not graduated or volume");
        };
        List<Tier> tiers = new ArrayList<>();
        if (root.has("tiers")) {
            if (root.has("price")) {
                throw invalid("price and tiers: give one of them");
            }
            JsonNode list = root.get("tiers");
            if (!list.isArray() || list.isEmpty()) {
                throw invalid("tiers: must be a non-empty array");
            }
            BigDecimal previous = BigDecimal.ZERO;
            for (int i = 0; i < list.size(); i++) {
                JsonNode t = list.get(i);
                String field = "tiers[" + i + "]";
                Optional<BigDecimal> upTo = t.hasNonNull("up_to") ? Optional.of(decimal(t.get("up_to"), field + ".up_to")) : Optional.empty();
                if (upTo.isPresent() && upTo.get().compareTo(previous) <= 0) {
                    throw invalid(field + ".up_to: must be above the previous tier's (" + previous.toPlainString() + ")");
                }
                if (upTo.isEmpty() && i != list.size() - 1) {
                    throw invalid(field + ".up_to: only the last tier may be without end");
                }
                tiers.add(new Tier(upTo, price(t, "unit_price", field), price(t, "flat_price", field)));
                previous = upTo.orElse(previous);
            }
            if (tiers.getLast().upTo().isPresent()) {
                throw invalid("tiers[" + (list.size() - 1) + "].up_to: the last tier must be without end (leave up_to out)");
            }
        } else {
            tiers.add(new Tier(Optional.empty(), price(root, "price", ""), BigDecimal.ZERO));
        }
        Optional<UsagePlan.Subscription> subscription = Optional.empty();
        if (root.hasNonNull("subscription")) {
            JsonNode s = root.get("subscription");
            subscription = Optional.of(new UsagePlan.Subscription(price(s, "price", "subscription"), s.path("unlimited").asBoolean(false)));
        }
        Optional<Long> cap = root.hasNonNull("cap_seconds") ? Optional.of(seconds(root, "cap_seconds", 0, 1)) : Optional.empty();
        Map<CountedUsage.Meter, BigDecimal> meters = new EnumMap<>(CountedUsage.Meter.class);
        if (root.hasNonNull("meters")) {
            JsonNode m = root.get("meters");
            if (!m.isObject()) {
                throw invalid("meters: must be an object such as {\"tts-characters\": \"0.00002\"}");
            }
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) m::fields) {
                CountedUsage.Meter meter = Arrays.stream(CountedUsage.Meter.values()).filter(x -> x.wire().equals(field.getKey())).findFirst()
                        .orElseThrow(() -> invalid("meters." + field.getKey() + ": not a meter; meters are api-requests, recording-seconds, tts-characters"));
                meters.put(meter, price(m, field.getKey(), "meters"));
            }
        }
        return new UsagePlan(currency, unit, increment, minimum, mode, List.copyOf(tiers), price(root, "per_use", ""), subscription,
                seconds(root, "allowance_seconds", 0, 0), cap, Map.copyOf(meters));
    }

    private static long seconds(JsonNode root, String name, long otherwise, long min) {
        if (!root.hasNonNull(name)) {
            return otherwise;
        }
        JsonNode v = root.get(name);
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < min) {
            throw invalid(name + ": '" + v.asText() + "' is not a whole number of seconds of at least " + min);
        }
        return v.asLong();
    }

    /** A price: a decimal string (or a JSON number written exactly), never negative; absent is zero. */
    private static BigDecimal price(JsonNode node, String name, String parent) {
        String field = parent.isEmpty() ? name : parent + "." + name;
        if (!node.hasNonNull(name)) {
            return BigDecimal.ZERO;
        }
        BigDecimal value = decimal(node.get(name), field);
        if (value.signum() < 0) {
            throw invalid(field + ": a price cannot be negative");
        }
        return value;
    }

    private static BigDecimal decimal(JsonNode v, String field) {
        String text = v.isTextual() ? v.asText().trim() : v.isNumber() ? v.decimalValue().toPlainString() : "";
        if (!text.matches("-?[0-9]{1,12}(\\.[0-9]{1,12})?")) {
            throw invalid(field + ": '" + v.asText() + "' is not a decimal such as \"0.10\"");
        }
        return new BigDecimal(text);
    }

    private static PatchbayException invalid(String message) {
        return new PatchbayException.InvalidParameter(20001, "Definition: " + message);
    }
}
