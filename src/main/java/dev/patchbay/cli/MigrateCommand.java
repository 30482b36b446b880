package dev.patchbay.cli;

import dev.patchbay.config.Config;
import dev.patchbay.config.ConfigException;
import dev.patchbay.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import picocli.CommandLine.Command;

@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply pending database migrations and exit.")
final class MigrateCommand implements Runnable {

    private final Node node;

    MigrateCommand(Node node) {
        this.node = node;
    }

    @Override
    public void run() {
        Config config = node.config();
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new ConfigException("cannot create " + config.dataDir() + ": " + e.getMessage());
        }
        try (Database db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword(), config.dbGroupCommit())) {
            System.out.println("applied " + db.migrate() + " migration(s)");
        }
    }
}
