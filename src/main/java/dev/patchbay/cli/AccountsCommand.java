package dev.patchbay.cli;

import dev.patchbay.Patchbay;
import dev.patchbay.account.Account;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "accounts", mixinStandardHelpOptions = true, description = "Manage accounts.",
        subcommands = {AccountsCommand.Create.class, AccountsCommand.ListAll.class})
final class AccountsCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a top-level account and print its SID and auth token.")
    static final class Create implements Runnable {
        private final Node node;

        Create(Node node) {
            this.node = node;
        }

        @Option(names = "--name", description = "Friendly name", defaultValue = "Account")
        String name;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                Account account = patchbay.accounts().create(name);
                System.out.println("sid=" + account.sid());
                System.out.println("auth_token=" + account.authToken());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List top-level accounts (tokens are not shown).")
    static final class ListAll implements Runnable {
        private final Node node;

        ListAll(Node node) {
            this.node = node;
        }

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                for (Account a : patchbay.accounts().listTopLevel()) {
                    System.out.println(a.sid() + "\t" + a.status().wire() + "\t" + a.friendlyName());
                }
            }
        }
    }
}
