package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.cli.ApiClient;
import io.agentvine.cli.Column;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vine queue}: depth per type and level; {@code queue pause|resume TYPE}. */
@Command(name = "queue", description = "Queue depths per type and level; pause or resume a type's queue.",
        subcommands = {QueueCommand.Pause.class, QueueCommand.Resume.class})
public final class QueueCommand extends ApiCommand {

    @Override
    public Integer call() {
        JsonNode queues = api().get("/api/v1/queue");
        printer().list(queues, columns(queues));
        return 0;
    }

    /** TYPE, PAUSED, one column per level the server reports, IN FLIGHT, DELAYED, DEAD; wide: what waits. */
    static List<Column> columns(JsonNode queues) {
        List<Column> columns = new ArrayList<>(List.of(Column.of("TYPE", "type"), Column.of("PAUSED", "paused")));
        if (queues.size() > 0) {
            for (Iterator<String> levels = queues.get(0).path("depth").fieldNames(); levels.hasNext(); ) {
                String level = levels.next();
                columns.add(Column.of(level.toUpperCase(Locale.ROOT), "/depth/" + level));
            }
        }
        columns.addAll(List.of(Column.of("IN FLIGHT", "in_flight"), Column.of("DELAYED", "delayed"), Column.of("DEAD", "dead"),
                Column.wide("QUEUED", "queued")));
        return columns;
    }

    static int toggle(ApiCommand command, String type, String action) {
        command.api().post("/api/v1/queue/" + ApiClient.seg(type) + "/" + action, null);
        command.printer().message(action + "d the " + type + " queue");
        return 0;
    }

    @Command(name = "pause", description = "Stop workers claiming from a type's queue (tasks still queue up).")
    static final class Pause extends ApiCommand {
        @Parameters(paramLabel = "TYPE")
        String type;

        @Override
        public Integer call() {
            return toggle(this, type, "pause");
        }
    }

    @Command(name = "resume", description = "Let workers claim from a type's queue again.")
    static final class Resume extends ApiCommand {
        @Parameters(paramLabel = "TYPE")
        String type;

        @Override
        public Integer call() {
            return toggle(this, type, "resume");
        }
    }
}
