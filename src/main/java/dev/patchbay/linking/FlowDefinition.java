package dev.patchbay.linking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.patchbay.PatchbayException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A flow's document: the entry node and the nodes, each naming a module (SID or alias) with
 * parameters and mapping the module's outlets to next nodes. {@code denied} is an outlet every
 * node may map: where a call goes when the policy engine refuses the next hand-off.
 */
public record FlowDefinition(String entry, Map<String, Node> nodes) {

    public static final String DENIED = "denied";
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** One step of a flow. {@code parameters} are request parameters already expanded ({@code Name[i]} for lists). */
    public record Node(String name, String module, Map<String, String> parameters, Map<String, String> outlets) {
    }

    public Optional<Node> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    /** Parses the JSON shape; structural problems name the field. Module checks happen in {@link #validate}. */
    public static FlowDefinition parse(String json) {
        JsonNode root = Parameters.parse("Definition", json);
        List<String> problems = new ArrayList<>();
        if (!root.isObject()) {
            throw invalid(List.of("Definition must be a JSON object with entry and nodes"));
        }
        String entry = root.path("entry").asText("");
        JsonNode nodesJson = root.path("nodes");
        if (!nodesJson.isObject() || nodesJson.isEmpty()) {
            throw invalid(List.of("nodes: at least one node is required (an object of node name to node)"));
        }
        Map<String, Node> nodes = new LinkedHashMap<>();
        nodesJson.properties().forEach(e -> {
            String name = e.getKey();
            JsonNode n = e.getValue();
            String where = "nodes." + name;
            if (!NODE_NAME.matcher(name).matches()) {
                problems.add(where + ": a node name is 1-64 letters, digits, _ or -");
            }
            String module = n.path("module").asText("");
            if (module.isBlank()) {
                problems.add(where + ".module: required (a module SID or alias)");
            }
            Map<String, String> parameters = Map.of();
            try {
                parameters = Parameters.values(where + ".parameters", n.get("parameters"));
            } catch (PatchbayException e2) {
                problems.add(e2.getMessage());
            }
            Map<String, String> outlets = new LinkedHashMap<>();
            JsonNode outletsJson = n.path("outlets");
            if (!outletsJson.isMissingNode() && !outletsJson.isObject()) {
                problems.add(where + ".outlets: must be an object of outlet name to node name");
            } else {
                outletsJson.properties().forEach(o -> outlets.put(o.getKey(), o.getValue().asText("")));
            }
            nodes.put(name, new Node(name, module.trim(), Map.copyOf(parameters), Map.copyOf(outlets)));
        });
        if (entry.isBlank()) {
            problems.add("entry: required (the name of the first node)");
        } else if (!nodes.containsKey(entry)) {
            problems.add("entry: '" + entry + "' is not a node");
        }
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return new FlowDefinition(entry, Map.copyOf(nodes));
    }

    /**
     * Checks every node against its module, as {@code accountSid} sees it ({@code candidates}: one
     * read per reference for the module and the account's installation of it): it exists and the
     * account may use it, every outlet named is one the module declares, every outlet leads to a
     * node, parameters have their types and required ones are given, and no node is unreachable
     * from the entry. Returns the module of each node.
     */
    Map<String, Module> validate(String accountSid, Function<String, Optional<Modules.Candidate>> candidates) {
        List<String> problems = new ArrayList<>();
        Map<String, Module> modules = new LinkedHashMap<>();
        for (Node n : nodes.values()) {
            String where = "nodes." + n.name();
            Optional<Modules.Candidate> candidate = candidates.apply(n.module()).filter(c -> c.module().visibleTo(accountSid));
            Optional<Module> module = candidate.map(Modules.Candidate::module);
            if (module.isEmpty()) {
                problems.add(where + ".module: '" + n.module() + "' is not a module");
            } else if (!module.get().ownedBy(accountSid) && candidate.get().installation().isEmpty()) {
                problems.add(where + ".module: '" + n.module() + "' is not installed in this account (POST /v1/Installations)");
            } else {
                modules.put(n.name(), module.get());
                Map<String, String> merged = new LinkedHashMap<>(candidate.get().installation().map(Installation::values).orElse(Map.of()));
                merged.putAll(n.parameters());
                problems.addAll(Dispatcher.problems(module.get(), merged, where + ".parameters"));
            }
            for (var outlet : n.outlets().entrySet()) {
                String field = where + ".outlets." + outlet.getKey();
                if (module.isPresent() && !outlet.getKey().equals(DENIED) && !module.get().hasOutlet(outlet.getKey())) {
                    problems.add(field + ": '" + outlet.getKey() + "' is not an outlet of " + module.get().uniqueName()
                            + " (it has " + (module.get().outlets().isEmpty() ? "none" : String.join(", ", module.get().outlets())) + ")");
                }
                if (!nodes.containsKey(outlet.getValue())) {
                    problems.add(field + ": '" + outlet.getValue() + "' is not a node");
                }
            }
        }
        Set<String> reached = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(entry));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (reached.add(name) && nodes.containsKey(name)) {
                todo.addAll(nodes.get(name).outlets().values());
            }
        }
        nodes.keySet().stream().filter(name -> !reached.contains(name))
                .forEach(name -> problems.add("nodes." + name + ": not reachable from the entry node"));
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return modules;
    }

    private static PatchbayException invalid(List<String> problems) {
        return new PatchbayException.InvalidParameter(20001, "Definition is not a valid flow: " + String.join("; ", problems));
    }
}
