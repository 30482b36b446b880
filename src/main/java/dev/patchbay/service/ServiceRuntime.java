package dev.patchbay.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.PatchbayException;
import dev.patchbay.billing.UsagePlan;
import dev.patchbay.linking.Module;
import dev.patchbay.linking.ServiceCatalog;
import dev.patchbay.store.Database;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The service mode's runtime: the platform's provided services (phone tree, survey, call center) by name. The
 * linking system asks it to check a service module's configuration on save; a call's interpreter
 * asks it for the TwiML of each step while a service module is in control ({@code service:}
 * URLs), in process. Thread-safe.
 */
public final class ServiceRuntime implements ServiceCatalog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Service> services;
    private final BiFunction<String, String, Optional<String>> configurations;

    /**
     * {@code configurations}: the configuration a module runs with for an account (account SID,
     * module SID: the developer's, with the account's installation laid over it); {@code httpBase}:
     * this node's HTTP base (hold music).
     */
    public ServiceRuntime(SurveyAnswers answers, CallCenterAgents agents, CallingCards cards, UsagePlan basicPlan,
                          Database db, Clock clock, Supplier<String> httpBase,
                          BiFunction<String, String, Optional<String>> configurations) {
        this.services = List.of(new PhoneTree(), new Survey(answers), new CallCenter(db, clock, httpBase, agents),
                        new CallingCard(cards, basicPlan)).stream()
                .collect(Collectors.toUnmodifiableMap(Service::name, s -> s));
        this.configurations = configurations;
    }

    @Override
    public Set<String> names() {
        return services.keySet();
    }

    @Override
    public void validate(String service, String configuration, List<String> outlets) {
        JsonNode root = parse(configuration);
        if (!root.isObject()) {
            throw Fields.invalid("(root)", "must be a JSON object");
        }
        services.get(service).validate(root, outlets);
    }

    /** The TwiML for a step ({@code url} is {@code service:<name>?<query>}) of the service module in control. */
    public String respond(Module module, String callSid, String accountSid, String url, List<Map.Entry<String, String>> params) {
        String name = url.substring("service:".length()).split("\\?", 2)[0];
        String expected = module.inletUrl().orElse("").substring("service:".length());
        if (!name.equals(expected)) {
            throw new IllegalArgumentException(url + " is not a step of " + module.uniqueName() + " (a " + expected + " service)");
        }
        Map<String, String> query = new LinkedHashMap<>();
        TwimletEndpoint.query(rawQuery(url)).forEach(e -> query.putIfAbsent(e.getKey(), e.getValue()));
        Map<String, String> request = new LinkedHashMap<>();
        params.forEach(e -> request.put(e.getKey(), e.getValue()));
        JsonNode configuration = parse(configurations.apply(accountSid, module.sid()).orElse("{}"));
        return services.get(name).respond(configuration, new Service.Step(callSid, accountSid, module.sid(), module.outlets(), query, request));
    }

    private static String rawQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? "" : url.substring(q + 1);
    }

    private static JsonNode parse(String configuration) {
        try {
            return JSON.readTree(configuration);
        } catch (JsonProcessingException e) {
            throw new PatchbayException.InvalidParameter(20001, "Configuration: not valid JSON: " + e.getOriginalMessage());
        }
    }
}
