package dev.patchbay.cli;

import dev.patchbay.Patchbay;
import dev.patchbay.PatchbayException;
import dev.patchbay.linking.Flow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code patchbay flows ...}: the {@code /v1/Flows} resource. A definition is given inline or as {@code file:flow.json}. */
@Command(name = "flows", mixinStandardHelpOptions = true, description = "Manage flows of modules (container apps).",
        subcommands = {FlowsCommand.Create.class, FlowsCommand.Update.class, FlowsCommand.Show.class, FlowsCommand.ListAll.class,
                FlowsCommand.Delete.class})
final class FlowsCommand {

    /** JSON given inline, or read from the file after {@code file:}. */
    static String definition(String value) {
        if (!value.startsWith("file:")) {
            return value;
        }
        String file = value.substring("file:".length());
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new PatchbayException.InvalidParameter(20001, "--definition: cannot read " + file + ": " + e.getMessage());
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a flow; it is validated against the modules it names.")
    static final class Create implements Runnable {
        private final Node node;

        Create(Node node) {
            this.node = node;
        }

        @Option(names = "--account", required = true, description = "Account SID")
        String account;
        @Option(names = "--friendly-name", defaultValue = "flow", description = "Friendly name")
        String friendlyName;
        @Option(names = "--definition", required = true, description = "The flow's JSON, or file:flow.json")
        String definition;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                Flow f = patchbay.flows().create(Node.account(patchbay, account), friendlyName, definition(definition));
                System.out.println(f.sid() + "\tversion " + f.version());
            }
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Save a new version of a flow (live calls keep theirs).")
    static final class Update implements Runnable {
        private final Node node;

        Update(Node node) {
            this.node = node;
        }

        @Option(names = "--account", required = true, description = "Account SID")
        String account;
        @Option(names = "--definition", required = true, description = "The flow's JSON, or file:flow.json")
        String definition;
        @Parameters(index = "0", description = "Flow SID (FW...)")
        String sid;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                Flow f = patchbay.flows().update(Node.account(patchbay, account), sid, Optional.empty(), Optional.of(definition(definition)));
                System.out.println(f.sid() + "\tversion " + f.version());
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a flow's definition in force.")
    static final class Show implements Runnable {
        private final Node node;

        Show(Node node) {
            this.node = node;
        }

        @Option(names = "--account", required = true, description = "Account SID")
        String account;
        @Parameters(index = "0", description = "Flow SID (FW...)")
        String sid;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                Flow f = patchbay.flows().require(Node.account(patchbay, account), sid);
                System.out.println("# " + f.sid() + " " + f.friendlyName() + " version " + f.version());
                System.out.println(f.source());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an account's flows.")
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
                patchbay.flows().list(Node.account(patchbay, account))
                        .forEach(f -> System.out.println(f.sid() + "\t" + f.friendlyName() + "\tversion " + f.version()));
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a flow no number routes to.")
    static final class Delete implements Runnable {
        private final Node node;

        Delete(Node node) {
            this.node = node;
        }

        @Option(names = "--account", required = true, description = "Account SID")
        String account;
        @Parameters(index = "0", description = "Flow SID (FW...)")
        String sid;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                patchbay.flows().delete(Node.account(patchbay, account), sid);
                System.out.println("deleted " + sid);
            }
        }
    }
}
