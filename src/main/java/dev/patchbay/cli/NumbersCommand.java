package dev.patchbay.cli;

import dev.patchbay.Patchbay;
import dev.patchbay.account.Account;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.number.IncomingNumber;
import dev.patchbay.number.VoiceSettings;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "numbers", mixinStandardHelpOptions = true, description = "Manage an account's numbers and SIP addresses.",
        subcommands = {NumbersCommand.Add.class, NumbersCommand.ListAll.class, NumbersCommand.Remove.class})
final class NumbersCommand {

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a number (E.164 or sip:user) to an account.")
    static final class Add implements Runnable {
        private final Node node;

        Add(Node node) {
            this.node = node;
        }

        @Option(names = "--account", required = true, description = "Account SID")
        String account;
        @Parameters(index = "0", description = "The number, e.g. +14155550100 or sip:alice")
        String number;
        @Option(names = "--voice-url", description = "VoiceUrl: the application answering calls")
        String voiceUrl;
        @Option(names = "--voice-method", description = "VoiceMethod: GET or POST", defaultValue = "POST")
        String voiceMethod;
        @Option(names = "--voice-fallback-url", description = "VoiceFallbackUrl")
        String fallbackUrl;
        @Option(names = "--status-callback", description = "StatusCallback URL")
        String statusCallback;
        @Option(names = "--friendly-name", description = "Friendly name")
        String friendlyName;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                Account owner = Node.account(patchbay, account);
                VoiceSettings voice = VoiceSettings.NONE
                        .withUrl(voiceUrl == null ? Optional.empty() : VoiceSettings.url("VoiceUrl", voiceUrl))
                        .withMethod(HttpMethod.parse("VoiceMethod", voiceMethod))
                        .withFallbackUrl(fallbackUrl == null ? Optional.empty() : VoiceSettings.url("VoiceFallbackUrl", fallbackUrl))
                        .withStatusCallback(statusCallback == null ? Optional.empty() : VoiceSettings.url("StatusCallback", statusCallback));
                IncomingNumber n = patchbay.numbers().create(owner, number,
                        d -> (friendlyName == null ? d : d.withFriendlyName(friendlyName)).withVoice(voice));
                System.out.println(n.sid() + "\t" + n.phoneNumber());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an account's numbers.")
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
                Account owner = Node.account(patchbay, account);
                for (int page = 0; ; page++) {
                    var p = patchbay.numbers().list(owner, Optional.empty(), Optional.empty(), page, 1000);
                    p.items().forEach(n -> System.out.println(n.sid() + "\t" + n.phoneNumber() + "\t" + n.voice().url().orElse("-")));
                    if (!p.hasNext()) {
                        break;
                    }
                }
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a number by SID.")
    static final class Remove implements Runnable {
        private final Node node;

        Remove(Node node) {
            this.node = node;
        }

        @Option(names = "--account", required = true, description = "Account SID")
        String account;
        @Parameters(index = "0", description = "The number's SID (PN...)")
        String sid;

        @Override
        public void run() {
            try (Patchbay patchbay = node.open()) {
                patchbay.numbers().delete(Node.account(patchbay, account), sid);
                System.out.println("removed " + sid);
            }
        }
    }
}
