package dev.patchbay.cli;

import dev.patchbay.Patchbay;
import dev.patchbay.billing.Ledger;
import picocli.CommandLine.Command;

/** {@code patchbay billing ...}: operators' checks of the books. */
@Command(name = "billing", mixinStandardHelpOptions = true, description = "Check the ledger.",
        subcommands = {BillingCommand.Verify.class})
final class BillingCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check that every ledger transaction sums to zero and every charge is posted; exit 1 when not.")
    static final class Verify implements java.util.concurrent.Callable<Integer> {
        private final Node node;

        Verify(Node node) {
            this.node = node;
        }

        @Override
        public Integer call() {
            try (Patchbay patchbay = node.open()) {
                Ledger.Verification v = patchbay.ledger().verify();
                v.problems().forEach(System.out::println);
                System.out.println(v.transactions() + " transactions, " + v.entries() + " entries: "
                        + (v.problems().isEmpty() ? "the books balance" : v.problems().size() + " problem(s)"));
                return v.problems().isEmpty() ? 0 : 1;
            }
        }
    }
}
