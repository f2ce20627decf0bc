package io.agentvine.cli.commands;

import io.agentvine.cli.ApiClient;
import io.agentvine.cli.CliException;
import io.agentvine.cli.ConfigStore;
import io.agentvine.cli.Connection;
import io.agentvine.cli.ExitCodes;
import io.agentvine.cli.VineConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vine login --key-stdin}: reads a key from stdin (never from the command line), checks it
 * against the server, and saves it in a context that becomes the current one. Or
 * {@code --key-command CMD}: the context runs it for the key each time, and stores no key.
 */
@Command(name = "login", description = "Save a server and its key (read from stdin) as a context and use it.")
public final class LoginCommand extends ApiCommand {
    @Option(names = "--key-stdin", description = "Read the key from stdin.")
    boolean keyStdin;
    @Option(names = "--key-command", paramLabel = "CMD", description = "A command that prints the key (run with sh -c each time).")
    String keyCommand;
    @Option(names = "--name", paramLabel = "CONTEXT", defaultValue = "default", description = "The context's name (default: default).")
    String name;

    @Override
    public Integer call() throws IOException {
        if (keyStdin == (keyCommand != null)) {
            throw new CliException(ExitCodes.USAGE, "usage", "give one of --key-stdin and --key-command");
        }
        ConfigStore store = vine().config();
        VineConfig config = store.load();
        VineConfig.Context old = config.contexts().get(name);
        String server = vine().serverFlag() != null ? vine().serverFlag()
                : io().env("VINE_SERVER") != null ? io().env("VINE_SERVER") : old != null && old.server() != null ? old.server() : Connection.DEFAULT_SERVER;
        String key = keyStdin ? new String(io().in().readAllBytes(), StandardCharsets.UTF_8).trim() : Connection.runKeyCommand(keyCommand, name);
        if (key.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "usage", "no key on stdin");
        }
        ApiClient api = new ApiClient(URI.create(server), key);
        api.get(ApiClient.query("/api/v1/tasks", ApiClient.params("size", 1)));
        store.save(config.with(name, new VineConfig.Context(server, keyStdin ? key : null, keyCommand)).using(name));
        printer().message("logged in to " + server + " as context '" + name + "' (saved in " + store.file() + ")");
        return 0;
    }
}
