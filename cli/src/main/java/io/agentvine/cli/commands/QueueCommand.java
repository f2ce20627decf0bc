package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agentvine.cli.ApiClient;
import io.agentvine.cli.Column;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vine queue}: depth per type and level; {@code queue pause|resume TYPE}; {@code queue move TASK --top|...};
 * {@code queue pause-repo|resume-repo REPOSITORY} and {@code queue paused-repos}.
 */
@Command(name = "queue", description = "Queue depths per type and level; pause or resume a type's queue or one repository; "
        + "move a queued task.", subcommands = {QueueCommand.Pause.class, QueueCommand.Resume.class, QueueCommand.Move.class,
        QueueCommand.PauseRepository.class, QueueCommand.ResumeRepository.class, QueueCommand.PausedRepositories.class})
public final class QueueCommand extends ApiCommand {

    @Override
    public Integer call() {
        JsonNode queues = api().get("/api/v1/queue");
        printer().list(queues, columns(queues));
        return 0;
    }

    /** TYPE, PAUSED (an operator's), BUDGET PAUSED (a cap reached), one column per level the server reports, IN FLIGHT, DELAYED, DEAD; wide: what waits. */
    static List<Column> columns(JsonNode queues) {
        List<Column> columns = new ArrayList<>(List.of(Column.of("TYPE", "type"), Column.of("PAUSED", "paused"),
                Column.of("BUDGET PAUSED", "budget_paused")));
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

    @Command(name = "move", description = "Move a queued task inside its queue level (its priority stays): "
            + "to the top (it runs next of its level), one place up or down, or to the bottom.")
    static final class Move extends ApiCommand {
        @Parameters(paramLabel = "TASK")
        String task;

        @ArgGroup(multiplicity = "1")
        Where where;

        static final class Where {
            @Option(names = "--top", required = true, description = "to the head of its level")
            boolean top;
            @Option(names = "--up", required = true, description = "one place towards the head")
            boolean up;
            @Option(names = "--down", required = true, description = "one place towards the tail")
            boolean down;
            @Option(names = "--bottom", required = true, description = "to the tail of its level")
            boolean bottom;

            String name() {
                return top ? "top" : up ? "up" : down ? "down" : "bottom";
            }
        }

        @Override
        public Integer call() {
            JsonNode place = api().post("/api/v1/tasks/" + ApiClient.seg(task) + "/move?to=" + where.name(), null);
            printer().object(place);
            printer().message("moved " + task + " to place " + (place.path("position").asLong() + 1) + " of "
                    + place.path("length").asLong() + " in the " + place.path("queue").asText() + " level");
            return 0;
        }
    }

    static int repository(ApiCommand command, String repository, String action) {
        JsonNode state = command.api().post("/api/v1/repositories/" + action, java.util.Map.of("repository", repository));
        command.printer().object(state);
        command.printer().message(action + "d the repository " + state.path("repository").asText()
                + (state.path("changed").asBoolean() ? "" : " (it already was)"));
        return 0;
    }

    @Command(name = "pause-repo", description = "Workers pass a repository's queued tasks over (they keep their places; "
            + "running ones run on) until it is resumed. REPOSITORY: any of its URLs or its key (github.com/acme/shop).")
    static final class PauseRepository extends ApiCommand {
        @Parameters(paramLabel = "REPOSITORY")
        String repository;

        @Override
        public Integer call() {
            return repository(this, repository, "pause");
        }
    }

    @Command(name = "resume-repo", description = "Let workers claim a paused repository's tasks again.")
    static final class ResumeRepository extends ApiCommand {
        @Parameters(paramLabel = "REPOSITORY")
        String repository;

        @Override
        public Integer call() {
            return repository(this, repository, "resume");
        }
    }

    @Command(name = "paused-repos", description = "The paused repositories' keys.")
    static final class PausedRepositories extends ApiCommand {
        @Override
        public Integer call() {
            JsonNode paused = api().get("/api/v1/repositories/paused").path("paused");
            ArrayNode rows = JsonNodeFactory.instance.arrayNode();
            paused.forEach(key -> rows.addObject().put("repository", key.asText()));
            printer().list(rows, List.of(Column.of("REPOSITORY", "repository")));
            return 0;
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
