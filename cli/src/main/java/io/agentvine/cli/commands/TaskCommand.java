package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.cli.ApiClient;
import io.agentvine.cli.CliException;
import io.agentvine.cli.Column;
import io.agentvine.cli.ExitCodes;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vine task ...}: create, list, get, cancel, retry, logs, watch. */
@Command(name = "task", description = "Create, list, follow and manage tasks.",
        subcommands = {TaskCreate.class, TaskList.class, TaskCommand.Get.class, TaskCommand.Cancel.class, TaskCommand.Retry.class,
            TaskLogs.class, TaskWatch.class, TaskFollowUp.class})
public final class TaskCommand {
    static final List<Column> COLUMNS = List.of(
            Column.of("ID", "id"), Column.of("STATE", "state"), Column.of("TYPE", "type"), Column.of("PRIORITY", "priority"),
            Column.wide("QUEUE", "queue"), Column.wide("MODEL", "model"), Column.wide("WORKER", "worker_id"),
            Column.wide("ATTEMPTS", "attempts"), Column.wide("REPOSITORY", "repository_url"), Column.wide("CREATED", "created_at"),
            Column.of("TITLE", "title"));

    static String path(String id) {
        return "/api/v1/tasks/" + ApiClient.seg(id);
    }

    @Command(name = "get", description = "Show a task: state, attempts, result, tokens, cost, log location.")
    static final class Get extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            printer().object(api().get(path(id)));
            return 0;
        }
    }

    /** One id, or a filter ({@link TaskBulk}); not both. */
    static void oneOrFilter(String id, TaskBulk bulk) {
        if ((id == null) == !bulk.filtered()) {
            throw new CliException(ExitCodes.USAGE, "usage", "give a task id or a filter (--state, --type, --repo, --query), not both");
        }
    }

    /** What a cancel or retry of one task says: its state now on stderr, the task itself with {@code -o json|yaml}. */
    static int shown(ApiCommand command, String id, JsonNode task, String suffix) {
        command.printer().message("task " + id + " is " + task.path("state").asText() + suffix);
        if (command.printer().structured()) {
            command.printer().data(task);
        }
        return 0;
    }

    @Command(name = "cancel", description = "Cancel a task (queued: at once; running: its worker stops it), or those a filter matches.")
    static final class Cancel extends ApiCommand {
        @Parameters(paramLabel = "ID", arity = "0..1")
        String id;
        @Mixin
        TaskBulk bulk;

        @Override
        public Integer call() {
            oneOrFilter(id, bulk);
            if (id == null) {
                return bulk.run(this, "cancel");
            }
            return shown(this, id, api().delete(path(id)), "");
        }
    }

    @Command(name = "retry", description = "Queue a failed, dead or cancelled task again, or those a filter matches.")
    static final class Retry extends ApiCommand {
        @Parameters(paramLabel = "ID", arity = "0..1")
        String id;
        @Mixin
        TaskBulk bulk;

        @Override
        public Integer call() {
            oneOrFilter(id, bulk);
            if (id == null) {
                return bulk.run(this, "retry");
            }
            return shown(this, id, api().post(path(id) + "/retry", null), " again");
        }
    }
}
