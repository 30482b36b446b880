package dev.patchbay;

import dev.patchbay.account.Account;
import dev.patchbay.config.Config;
import dev.patchbay.config.ConfigException;
import dev.patchbay.linking.Module;
import dev.patchbay.linking.Modules;
import dev.patchbay.number.HttpMethod;
import java.util.List;
import java.util.Optional;

/**
 * First start: an empty store gets a demo account (or the account fixed by
 * {@code PATCHBAY_ACCOUNT_SID}/{@code PATCHBAY_AUTH_TOKEN}), a demo number answered by the
 * built-in demo application, and a contact-center demo number whose flow is a phone tree, a call
 * center (one agent: a softphone registered as {@code agent}) and a survey.
 */
public final class Bootstrap {

    public static final String DEMO_NUMBER = "+15005550100";
    public static final String CONTACT_CENTER_NUMBER = "+15005550101";

    private Bootstrap() {
    }

    /** The account created now, if one was; credentials for the operator to see once. */
    public static Optional<Account> ensureDemoAccount(Patchbay node, int httpPort) {
        Config config = node.config();
        Optional<Account> created = Optional.empty();
        if (config.accountSid().isPresent()) {
            String sid = config.accountSid().get();
            if (node.accounts().find(sid).isEmpty()) {
                String token = config.authToken().orElseThrow(() -> new ConfigException(
                        "PATCHBAY_ACCOUNT_SID is set but PATCHBAY_AUTH_TOKEN is not"));
                created = Optional.of(node.accounts().createWithCredentials(sid, token, "Demo account"));
            }
        } else if (node.accounts().isEmpty()) {
            created = Optional.of(node.accounts().create("Demo account"));
        }
        created.ifPresent(account -> {
            node.numbers().create(account, DEMO_NUMBER, n -> n.withFriendlyName("Patchbay demo")
                    .withVoice(n.voice().withUrl(Optional.of("http://127.0.0.1:" + httpPort + "/demo/voice"))));
            contactCenter(node, account);
        });
        return created;
    }

    /** The contact-center demo: phone tree (service) → call center (service, then basic with the agent) → survey (service). */
    private static void contactCenter(Patchbay node, Account account) {
        Modules modules = node.modules();
        modules.create(account, service("demo/menu", "phone-tree", "agent,survey"), Optional.of("""
                {"greeting": "Welcome to the Patchbay contact center demo.",
                 "menus": {"main": {"prompt": "To talk to an agent, press 1. To answer our survey, press 2.",
                                    "options": {"1": "outlet:agent", "2": "outlet:survey"}}}}"""));
        modules.create(account, service("demo/center", "call-center", "after"), Optional.of("""
                {"agents": [{"name": "agent", "endpoint": "client:agent"}], "after_call": "after",
                 "hold_message": "Our agent is busy or away. Please hold."}"""));
        modules.create(account, service("demo/survey", "survey", ""), Optional.of("""
                {"intro": "One question.", "thanks": "Thank you. Goodbye.",
                 "questions": [{"id": "satisfied", "prompt": "Were you satisfied? Press 1 for yes, 2 for no.", "answers": ["1", "2"]}]}"""));
        var flow = node.flows().create(account, "Contact center demo", """
                {"entry": "menu", "nodes": {
                  "menu": {"module": "demo/menu", "outlets": {"agent": "center", "survey": "survey"}},
                  "center": {"module": "demo/center", "outlets": {"after": "survey"}},
                  "survey": {"module": "demo/survey"}}}""");
        node.numbers().create(account, CONTACT_CENTER_NUMBER, n -> n.withFriendlyName("Patchbay contact center demo").withFlow(flow.sid()));
    }

    private static Module.Spec service(String alias, String service, String outlets) {
        return new Module.Spec(alias, alias, "The contact center demo's " + service, Module.Kind.SERVICE, Optional.of(Modules.SERVICE + service),
                HttpMethod.POST, Optional.empty(), Optional.empty(), List.of(), Modules.outlets(outlets), Optional.empty(), Module.Visibility.PRIVATE);
    }
}
