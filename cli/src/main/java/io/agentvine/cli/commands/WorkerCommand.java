package io.agentvine.cli.commands;

import io.agentvine.cli.ApiClient;
import io.agentvine.cli.Column;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vine worker list|pause|resume|drain}. */
@Command(name = "worker", description = "List workers; pause, resume or drain one.",
        subcommands = {WorkerCommand.ListWorkers.class, WorkerCommand.Pause.class, WorkerCommand.Resume.class, WorkerCommand.Drain.class})
public final class WorkerCommand {
    static final List<Column> COLUMNS = List.of(
            Column.of("ID", "id"), Column.of("NAME", "name"), Column.of("TYPES", "worker_types"), Column.of("STATUS", "status"),
            Column.of("HEALTH", "health"), Column.of("TASKS", row -> row.path("current_tasks").size() + "/" + row.path("max_concurrent_tasks").asInt()),
            Column.wide("VERSION", "version"), Column.wide("CPU%", "/metrics/cpu_percent"), Column.wide("DONE", "completed_count"),
            Column.wide("FAILED", "failed_count"), Column.of("LAST HEARTBEAT", "last_heartbeat_at"));

    static int command(ApiCommand command, String id, String action) {
        command.api().post("/api/v1/workers/" + ApiClient.seg(id) + "/" + action, null);
        command.printer().message("asked worker " + id + " to " + action + " (it is told in its next heartbeat reply)");
        return 0;
    }

    @Command(name = "list", description = "Workers: status, health, tasks, last heartbeat.")
    static final class ListWorkers extends ApiCommand {
        @Override
        public Integer call() {
            printer().list(api().get("/api/v1/workers"), COLUMNS);
            return 0;
        }
    }

    @Command(name = "pause", description = "The worker claims nothing new until resumed.")
    static final class Pause extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return command(this, id, "pause");
        }
    }

    @Command(name = "resume", description = "A paused worker claims again.")
    static final class Resume extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return command(this, id, "resume");
        }
    }

    @Command(name = "drain", description = "The worker finishes what it holds and claims nothing more (one-way).")
    static final class Drain extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return command(this, id, "drain");
        }
    }
}
