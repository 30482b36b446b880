package dev.patchbay.cli;

import dev.patchbay.PatchbayException;
import dev.patchbay.config.ConfigException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code patchbay}: the platform's command line. Each subcommand uses the same services as the REST API. */
@Command(name = "patchbay", mixinStandardHelpOptions = true, version = "Patchbay 0.1.0",
        description = "A programmable voice platform.",
        subcommands = {ServeCommand.class, MigrateCommand.class, AccountsCommand.class, NumbersCommand.class, ModulesCommand.class,
                FlowsCommand.class, BillingCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(System.getenv(), args));
    }

    /** Runs a command line against the given environment (the process's own, or a test's). */
    public static int run(Map<String, String> env, String... args) {
        Node node = new Node(env);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                try {
                    return cls.getDeclaredConstructor(Node.class).newInstance(node);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(cls);
                }
            }
        };
        return new CommandLine(new Main(), factory)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof ConfigException || e instanceof PatchbayException) {
                        cmd.getErr().println("error: " + e.getMessage());
                        return 2;
                    }
                    throw e;
                })
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
