package dev.patchbay.cli;

import dev.patchbay.Patchbay;
import dev.patchbay.billing.Ledger;
import dev.patchbay.billing.PaymentTerms;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code patchbay billing ...}: operators' checks of the books, payment terms and top-ups. */
@Command(name = "billing", mixinStandardHelpOptions = true, description = "Check the ledger, set how accounts pay, top up prepaid balances.",
        subcommands = {BillingCommand.Verify.class, BillingCommand.Terms.class, BillingCommand.TopUp.class})
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

    @Command(name = "terms", mixinStandardHelpOptions = true, description = "Make an account prepaid, or postpaid with an optional credit limit.")
    static final class Terms implements Runnable {
        private final Node node;

        Terms(Node node) {
            this.node = node;
        }

        @Option(names = "--account", required = true, description = "Account SID")
        String account;
        @Option(names = "--prepaid", description = "Spend a balance that top-ups fill")
        boolean prepaid;
        @Option(names = "--credit-limit", description = "Postpaid: how far the balance may go below zero")
        java.math.BigDecimal creditLimit;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                Node.account(patchbay, account);
                patchbay.paymentTerms().set(account, new PaymentTerms.Terms(prepaid ? PaymentTerms.Kind.PREPAID : PaymentTerms.Kind.POSTPAID,
                        prepaid ? java.util.Optional.empty() : java.util.Optional.ofNullable(creditLimit)));
                System.out.println(account + "\t" + (prepaid ? "prepaid" : "postpaid" + (creditLimit == null ? "" : ", credit limit " + creditLimit)));
            }
        }
    }

    @Command(name = "top-up", mixinStandardHelpOptions = true, description = "Add money to an account's balance (idempotent by --reference).")
    static final class TopUp implements Runnable {
        private final Node node;

        TopUp(Node node) {
            this.node = node;
        }

        @Option(names = "--account", required = true, description = "Account SID")
        String account;
        @Option(names = "--amount", required = true, description = "Amount, e.g. 10.00")
        java.math.BigDecimal amount;
        @Option(names = "--reference", description = "Idempotency key, e.g. the payment's ID (default: a new one)")
        String reference;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                Node.account(patchbay, account);
                String ref = reference == null ? "topup:" + dev.patchbay.store.Sids.randomHex(16) : reference;
                boolean posted = patchbay.ledger().topUp(account, amount, ref);
                System.out.println((posted ? "topped up " : "already posted ") + ref + "\tbalance "
                        + patchbay.ledger().balance(Ledger.customer(account)).toPlainString());
            }
        }
    }
}
