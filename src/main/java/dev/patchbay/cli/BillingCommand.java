package dev.patchbay.cli;

import dev.patchbay.Patchbay;
import dev.patchbay.billing.Ledger;
import dev.patchbay.billing.PaymentTerms;
import dev.patchbay.store.Sids;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code patchbay billing ...}: operators' checks of the books, payment terms, top-ups, commissions and closing periods. */
@Command(name = "billing", mixinStandardHelpOptions = true,
        description = "Check the ledger, set how accounts pay, top up balances, set commissions, close periods.",
        subcommands = {BillingCommand.Verify.class, BillingCommand.Terms.class, BillingCommand.TopUp.class, BillingCommand.Commission.class,
                BillingCommand.ClosePeriod.class})
final class BillingCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check that every ledger transaction sums to zero and every charge is posted; exit 1 when not.")
    static final class Verify implements Callable<Integer> {
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
        BigDecimal creditLimit;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                Node.account(patchbay, account);
                patchbay.paymentTerms().set(account, new PaymentTerms.Terms(prepaid ? PaymentTerms.Kind.PREPAID : PaymentTerms.Kind.POSTPAID,
                        prepaid ? Optional.empty() : Optional.ofNullable(creditLimit)));
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
        BigDecimal amount;
        @Option(names = "--reference", description = "Idempotency key, e.g. the payment's ID (default: a new one)")
        String reference;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                Node.account(patchbay, account);
                String ref = reference == null ? "topup:" + Sids.randomHex(16) : reference;
                boolean posted = patchbay.ledger().topUp(account, amount, ref);
                System.out.println((posted ? "topped up " : "already posted ") + ref + "\tbalance "
                        + patchbay.ledger().balance(Ledger.customer(account)).toPlainString());
            }
        }
    }

    @Command(name = "commission", mixinStandardHelpOptions = true,
            description = "Set the platform's commission on a module's charges (--subject MD...) or a developer's (--subject AC...).")
    static final class Commission implements Runnable {
        private final Node node;

        Commission(Node node) {
            this.node = node;
        }

        @Option(names = "--subject", required = true, description = "Module SID (MD...) or developer account SID (AC...)")
        String subject;
        @Option(names = "--rate", required = true, description = "The platform's share, 0 to 1, e.g. 0.20")
        BigDecimal rate;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                patchbay.ledger().setCommission(subject, rate);
                System.out.println(subject + "\tcommission " + rate.toPlainString());
            }
        }
    }

    @Command(name = "close-period", mixinStandardHelpOptions = true,
            description = "Close a month that has ended: one invoice per account, one payout per developer (idempotent).")
    static final class ClosePeriod implements Runnable {
        private final Node node;

        ClosePeriod(Node node) {
            this.node = node;
        }

        @picocli.CommandLine.Parameters(index = "0", description = "The month, YYYY-MM")
        String period;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                var closed = patchbay.periods().close(period);
                System.out.println(closed.period() + (closed.now() ? " closed" : " was already closed") + " at " + closed.closedAt()
                        + ": " + closed.invoices() + " invoice(s) totalling " + closed.invoiced().toPlainString() + ", " + closed.payouts()
                        + " payout(s) totalling " + closed.paidOut().toPlainString() + ", commission " + closed.commission().toPlainString());
            }
        }
    }
}
