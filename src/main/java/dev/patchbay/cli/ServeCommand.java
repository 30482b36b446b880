package dev.patchbay.cli;

import dev.patchbay.Bootstrap;
import dev.patchbay.Patchbay;
import dev.patchbay.config.Config;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the platform: REST API, SIP edge and media. Configuration comes from patchbay.properties and PATCHBAY_* variables.")
final class ServeCommand implements Runnable {

    private final Node node;

    ServeCommand(Node node) {
        this.node = node;
    }

    @Override
    public void run() {
        Patchbay patchbay = node.open().start();
        Config config = patchbay.config();
        Bootstrap.ensureDemoAccount(patchbay, patchbay.httpPort()).ifPresent(account -> {
            // Printed to the console once, for the operator; never written to the log.
            System.out.println();
            System.out.println("Created the demo account (shown only now):");
            System.out.println("  Account SID: " + account.sid());
            System.out.println("  Auth token:  " + account.authToken());
            System.out.println("  Demo number: " + Bootstrap.DEMO_NUMBER);
            System.out.println("  Contact-center demo (phone tree, call center, survey): " + Bootstrap.CONTACT_CENTER_NUMBER);
            System.out.println();
        });
        System.out.println("Patchbay is serving: HTTP on " + config.httpHost() + ":" + patchbay.httpPort()
                + ", data in " + config.dataDir().toAbsolutePath().normalize());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            patchbay.close();
            stopped.countDown();
        }, "patchbay-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
