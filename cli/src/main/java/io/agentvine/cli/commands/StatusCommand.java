package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentvine.cli.ApiClient;
import io.agentvine.model.Json;
import picocli.CommandLine.Command;

/** {@code vine status}: one screen of slots, queues, running tasks and pending questions. */
@Command(name = "status", description = "One screen: worker slots, queues, running tasks, pending questions.")
public final class StatusCommand extends ApiCommand {

    @Override
    public Integer call() {
        JsonNode workers = api().get("/api/v1/workers");
        JsonNode queues = api().get("/api/v1/queue");
        JsonNode running = api().get(ApiClient.query("/api/v1/tasks", ApiClient.params("state", "running", "size", 200))).path("content");
        JsonNode pending = api().get(ApiClient.query("/api/v1/clarifications", ApiClient.params("status", "pending")));
        ObjectNode status = Json.mapper().createObjectNode();
        ObjectNode slots = status.putObject("slots");
        int total = 0;
        int busy = 0;
        int live = 0;
        for (JsonNode w : workers) {
            if (!"offline".equals(w.path("health").asText()) && w.path("deregistered_at").isMissingNode()) {
                live++;
                total += w.path("max_concurrent_tasks").asInt();
                busy += w.path("current_tasks").size();
            }
        }
        slots.put("workers", live);
        slots.put("total", total);
        slots.put("busy", busy);
        slots.put("free", Math.max(0, total - busy));
        status.set("queue", queues);
        status.set("running", running);
        status.set("pending", pending);
        if (printer().structured()) {
            printer().data(status);
            return 0;
        }
        io().out().printf("Slots: %d busy, %d free of %d on %d live worker(s)%n%n", busy, Math.max(0, total - busy), total, live);
        io().out().println("Queue:");
        printer().list(queues, QueueCommand.columns(queues));
        io().out().printf("%nRunning tasks (%d):%n", running.size());
        printer().list(running, TaskCommand.COLUMNS);
        io().out().printf("%nPending questions (%d):%n", pending.size());
        printer().list(pending, AskCommand.COLUMNS);
        io().out().flush();
        return 0;
    }
}
