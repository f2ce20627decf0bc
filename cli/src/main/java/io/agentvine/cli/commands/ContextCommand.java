package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agentvine.cli.CliException;
import io.agentvine.cli.Column;
import io.agentvine.cli.ConfigStore;
import io.agentvine.cli.ExitCodes;
import io.agentvine.cli.VineConfig;
import io.agentvine.model.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vine context list|use}: the saved contexts; a key shows only as set or not. */
@Command(name = "context", description = "List the saved contexts or switch to one.",
        subcommands = {ContextCommand.ListContexts.class, ContextCommand.Use.class})
public final class ContextCommand {
    static final String MASK = "********";
    private static final List<Column> COLUMNS = List.of(Column.of("CURRENT", "current"), Column.of("NAME", "name"),
            Column.of("SERVER", "server"), Column.of("KEY", "key"));

    @Command(name = "list", description = "The contexts; keys masked.")
    static final class ListContexts extends ApiCommand {
        @Override
        public Integer call() {
            VineConfig config = vine().config().load();
            ArrayNode rows = Json.mapper().createArrayNode();
            config.contexts().forEach((name, c) -> rows.addObject()
                    .put("current", name.equals(config.currentContext()) ? "*" : "")
                    .put("name", name)
                    .put("server", c.server())
                    .put("key", c.key() != null ? MASK : c.keyCommand() != null ? "(command) " + c.keyCommand() : "(none)"));
            printer().list(rows, COLUMNS);
            return 0;
        }
    }

    @Command(name = "use", description = "Make a context the current one.")
    static final class Use extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            ConfigStore store = vine().config();
            VineConfig config = store.load();
            if (!config.contexts().containsKey(name)) {
                throw new CliException(ExitCodes.USAGE, "unknown_context", "no context named '" + name + "' (vine context list)");
            }
            store.save(config.using(name));
            printer().message("using context '" + name + "'");
            return 0;
        }
    }
}
