package dev.patchbay.cli;

import dev.patchbay.Patchbay;
import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.linking.Installation;
import dev.patchbay.linking.Module;
import dev.patchbay.linking.Modules;
import dev.patchbay.linking.Parameters;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.number.VoiceSettings;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code patchbay modules ...}: the {@code /v1/Modules}, Marketplace and Installations resources, plus the operator's ban. */
@Command(name = "modules", mixinStandardHelpOptions = true, description = "Manage modules, find them, install them, ban them.",
        subcommands = {ModulesCommand.Create.class, ModulesCommand.ListAll.class, ModulesCommand.Delete.class, ModulesCommand.Search.class,
                ModulesCommand.Install.class, ModulesCommand.Uninstall.class, ModulesCommand.Ban.class})
final class ModulesCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a module owned by an account.")
    static final class Create implements Runnable {
        private final Node node;

        Create(Node node) {
            this.node = node;
        }

        @Option(names = "--account", required = true, description = "The developer's account SID")
        String account;
        @Option(names = "--unique-name", required = true, description = "Alias, namespace/name (e.g. acme/simulring)")
        String uniqueName;
        @Option(names = "--kind", defaultValue = "application", description = "application or bridge")
        String kind;
        @Option(names = "--inlet-url", description = "Where the module's instructions come from")
        String inletUrl;
        @Option(names = "--inlet-method", defaultValue = "POST", description = "GET or POST")
        String inletMethod;
        @Option(names = "--fallback-url", description = "Fetched when the inlet fails or a hand-off is refused")
        String fallbackUrl;
        @Option(names = "--events-url", description = "Where module events are posted")
        String eventsUrl;
        @Option(names = "--parameters", defaultValue = "[]", description = "JSON array of {name, type, required, default}")
        String parameters;
        @Option(names = "--outlets", defaultValue = "", description = "Comma-separated outlet names")
        String outlets;
        @Option(names = "--visibility", defaultValue = "private", description = "private, unlisted or published")
        String visibility;
        @Option(names = "--friendly-name", description = "Friendly name")
        String friendlyName;
        @Option(names = "--description", defaultValue = "", description = "Description shown in the marketplace")
        String description;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                Account owner = Node.account(patchbay, account);
                Module.Kind k = Module.Kind.parse("--kind", kind);
                List<String> exits = Modules.outlets(outlets);
                Module m = patchbay.modules().create(owner, new Module.Spec(uniqueName, friendlyName == null ? uniqueName : friendlyName, description,
                        k, url("--inlet-url", inletUrl), HttpMethod.parse("--inlet-method", inletMethod), url("--fallback-url", fallbackUrl),
                        url("--events-url", eventsUrl), Parameters.declare(parameters),
                        exits.isEmpty() && k == Module.Kind.BRIDGE ? List.of("completed", "busy", "no-answer", "failed") : exits,
                        Optional.empty(), Module.Visibility.parse(visibility)));
                System.out.println(m.sid() + "\t" + m.uniqueName());
            }
        }
    }

    private static Optional<String> url(String name, String value) {
        return value == null ? Optional.empty() : VoiceSettings.url(name, value);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an account's own modules.")
    static final class ListAll implements Runnable {
        private final Node node;

        ListAll(Node node) {
            this.node = node;
        }

        @Option(names = "--account", required = true, description = "Account SID")
        String account;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                patchbay.modules().list(Node.account(patchbay, account)).forEach(m -> System.out.println(m.sid() + "\t" + m.uniqueName() + "\t"
                        + m.kind().wire() + "\t" + m.visibility().wire() + "\t" + m.inletUrl().orElse("-") + (m.banned() ? "\tBANNED" : "")));
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a module nobody uses.")
    static final class Delete implements Runnable {
        private final Node node;

        Delete(Node node) {
            this.node = node;
        }

        @Option(names = "--account", required = true, description = "Account SID")
        String account;
        @picocli.CommandLine.Parameters(index = "0", description = "Module SID (MD...)")
        String sid;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                patchbay.modules().delete(Node.account(patchbay, account), sid);
                System.out.println("deleted " + sid);
            }
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true, description = "Search the marketplace (published modules).")
    static final class Search implements Runnable {
        private final Node node;

        Search(Node node) {
            this.node = node;
        }

        @picocli.CommandLine.Parameters(index = "0", defaultValue = "", description = "Words in the alias, name or description")
        String query;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                patchbay.modules().marketplace(query, 200).forEach(m -> System.out.println(m.sid() + "\t" + m.uniqueName() + "\t" + m.friendlyName()));
            }
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true, description = "Install a module (SID or alias) in an account.")
    static final class Install implements Runnable {
        private final Node node;

        Install(Node node) {
            this.node = node;
        }

        @Option(names = "--account", required = true, description = "Account SID")
        String account;
        @Option(names = "--configuration", defaultValue = "{}", description = "JSON object of parameter values")
        String configuration;
        @picocli.CommandLine.Parameters(index = "0", description = "Module SID or alias")
        String module;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                Installation i = patchbay.installations().install(Node.account(patchbay, account), module, configuration);
                System.out.println(i.sid() + "\t" + i.moduleSid());
            }
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true, description = "Uninstall (calls inside the module go on).")
    static final class Uninstall implements Runnable {
        private final Node node;

        Uninstall(Node node) {
            this.node = node;
        }

        @Option(names = "--account", required = true, description = "Account SID")
        String account;
        @picocli.CommandLine.Parameters(index = "0", description = "Installation SID (IN...)")
        String sid;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                patchbay.installations().uninstall(Node.account(patchbay, account), sid);
                System.out.println("uninstalled " + sid);
            }
        }
    }

    @Command(name = "ban", mixinStandardHelpOptions = true, description = "Operator: refuse (or with --lift, allow again) every hand-off to a module.")
    static final class Ban implements Runnable {
        private final Node node;

        Ban(Node node) {
            this.node = node;
        }

        @Option(names = "--lift", description = "Lift the ban")
        boolean lift;
        @picocli.CommandLine.Parameters(index = "0", description = "Module SID (MD...)")
        String sid;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                if (!patchbay.modules().ban(sid, !lift)) {
                    throw new PatchbayException.NotFound("/Modules/" + sid);
                }
                System.out.println((lift ? "unbanned " : "banned ") + sid);
            }
        }
    }
}
