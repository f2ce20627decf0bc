package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentvine.cli.CliException;
import io.agentvine.cli.ExitCodes;
import io.agentvine.model.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vine task follow-up ID TEXT}: the next instruction on a task's work branch (and pull request); it waits
 * for the task when that has not ended. {@code -} reads the instructions from standard input.
 */
@Command(name = "follow-up", description = "Continue a task's work branch with new instructions (- reads them from stdin).")
public final class TaskFollowUp extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The task to continue.")
    String id;
    @Parameters(index = "1", paramLabel = "INSTRUCTIONS", arity = "0..1", description = "What to do next; - for stdin.")
    String instructions;
    @Option(names = "--type", description = "The follow-up's type (default: the task's).")
    String type;
    @Option(names = "--title", description = "Default: Follow-up: <the task's title>.")
    String title;
    @Option(names = "--priority")
    String priority;
    @Option(names = "--max-cost", paramLabel = "USD", description = "At most what the chain has left.")
    BigDecimal maxCost;
    @Option(names = "--idempotency-key")
    String idempotencyKey;
    @Option(names = "--wait", description = "Follow the follow-up to its end; exit 0 completed, 5 failed, 6 waiting for a human.")
    boolean await;
    @Option(names = "--interval", defaultValue = "PT2S", description = "Polling interval with --wait (ISO-8601, default PT2S).")
    Duration interval;

    @Override
    public Integer call() throws InterruptedException {
        String text = instructions;
        if ("-".equals(text)) {
            try {
                text = new String(io().in().readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "bad_input", "instructions", "cannot read stdin: " + e.getMessage(), 0);
            }
        }
        if (text == null || text.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "usage", "instructions", "give the follow-up's instructions (or - to read them)", 0);
        }
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("instructions", text);
        if (type != null) {
            body.put("type", type);
        }
        if (title != null) {
            body.put("title", title);
        }
        if (priority != null) {
            body.put("priority", priority);
        }
        if (idempotencyKey != null) {
            body.put("idempotency_key", idempotencyKey);
        }
        if (maxCost != null) {
            body.putObject("budget").put("max_cost_usd", maxCost);
        }
        JsonNode created = api().post(TaskCommand.path(id) + "/follow-ups", body);
        String made = created.path("id").asText();
        printer().message(TaskCreate.createdLine(created));
        if (!await) {
            if (printer().structured()) {
                printer().data(created);
            } else {
                io().out().println(made);
                io().out().flush();
            }
            return 0;
        }
        return new TaskFollower(api(), printer(), interval).follow(made, true);
    }
}
