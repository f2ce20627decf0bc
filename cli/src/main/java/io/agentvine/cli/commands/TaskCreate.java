package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentvine.cli.CliException;
import io.agentvine.cli.ExitCodes;
import io.agentvine.cli.Printer;
import io.agentvine.model.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vine task create}: the body from {@code -f} (YAML or JSON, {@code -} for stdin) and the
 * flags, a flag winning over the file; {@code --wait} follows the task to its end.
 */
@Command(name = "create", description = "Create a task from flags or a file; --wait follows it to its end.")
public final class TaskCreate extends ApiCommand {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "The task as YAML or JSON (- for stdin); a pipeline too (its steps under pipeline:).")
    String file;
    @Option(names = "--type", description = "feature, bugfix, refactor, test, docs, review or a custom type.")
    String type;
    @Option(names = {"--repo", "--repository"}, paramLabel = "URL", description = "The git repository's URL.")
    String repository;
    @Option(names = "--branch")
    String branch;
    @Option(names = "--title")
    String title;
    @Option(names = "--instructions")
    String instructions;
    @Option(names = "--priority", description = "P0..P3.")
    String priority;
    @Option(names = "--permission", paramLabel = "LEVEL", description = "autonomous, supervised or read_only.")
    String permission;
    @Option(names = "--test-command")
    String testCommand;
    @Option(names = "--model-tier")
    String modelTier;
    @Option(names = "--model")
    String model;
    @Option(names = "--max-turns")
    Integer maxTurns;
    @Option(names = "--max-cost", paramLabel = "USD")
    BigDecimal maxCost;
    @Option(names = "--timeout-seconds")
    Integer timeoutSeconds;
    @Option(names = "--idempotency-key")
    String idempotencyKey;
    @Option(names = "--max-attempts")
    Integer maxAttempts;
    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata (repeatable).")
    Map<String, String> metadata;
    @Option(names = "--depends-on", paramLabel = "TASK",
            description = "Wait until this task completed (repeatable); cancelled if it fails.")
    List<String> dependsOn;
    @Option(names = "--wait", description = "Follow the task to its end; exit 0 completed, 5 failed, 6 waiting for a human.")
    boolean await;
    @Option(names = "--interval", defaultValue = "PT2S", description = "Polling interval with --wait (ISO-8601, default PT2S).")
    Duration interval;

    @Override
    public Integer call() throws InterruptedException {
        ObjectNode body = file == null ? Json.mapper().createObjectNode() : readFile();
        put(body, "type", type);
        put(body, "repository_url", repository);
        put(body, "branch", branch);
        put(body, "title", title);
        put(body, "instructions", instructions);
        put(body, "priority", priority);
        put(body, "permission_level", permission);
        put(body, "test_command", testCommand);
        put(body, "model_tier", modelTier);
        put(body, "model", model);
        put(body, "idempotency_key", idempotencyKey);
        if (maxAttempts != null) {
            body.put("max_attempts", maxAttempts);
        }
        if (maxTurns != null || maxCost != null || timeoutSeconds != null) {
            ObjectNode budget = body.has("budget") && body.get("budget").isObject() ? (ObjectNode) body.get("budget") : body.putObject("budget");
            if (maxTurns != null) {
                budget.put("max_turns", maxTurns);
            }
            if (maxCost != null) {
                budget.put("max_cost_usd", maxCost);
            }
            if (timeoutSeconds != null) {
                budget.put("timeout_seconds", timeoutSeconds);
            }
        }
        if (metadata != null) {
            ObjectNode meta = body.has("metadata") && body.get("metadata").isObject() ? (ObjectNode) body.get("metadata") : body.putObject("metadata");
            metadata.forEach(meta::put);
        }
        if (dependsOn != null) {
            var parents = body.putArray("depends_on");
            dependsOn.forEach(parents::add);
        }
        JsonNode created = api().post("/api/v1/tasks", body);
        String id = created.path("id").asText();
        if (created.path("pipeline").isArray()) {
            for (JsonNode step : created.get("pipeline")) {
                printer().message("  step " + step.path("step").asText() + ": " + step.path("id").asText() + " ("
                        + step.path("state").asText() + ")");
            }
            // a pipeline ends with its last step (a failed step cancels the ones after it)
            JsonNode steps = created.get("pipeline");
            id = steps.isEmpty() ? id : steps.get(steps.size() - 1).path("id").asText(id);
        }
        printer().message(createdLine(created));
        if (!await) {
            if (printer().structured()) {
                printer().data(created);
            } else if (created.path("pipeline").isArray()) {
                created.get("pipeline").forEach(step -> io().out().println(step.path("id").asText()));
                io().out().flush();
            } else {
                io().out().println(id);
                io().out().flush();
            }
            return 0;
        }
        return new TaskFollower(api(), printer(), interval).follow(id, true);
    }

    /** The answer's message line: created or found by its idempotency key, its state and routing, the note. */
    static String createdLine(JsonNode created) {
        return (created.path("created").asBoolean(true) ? "created task " : "the idempotency key names task ")
                + created.path("id").asText() + " (" + created.path("state").asText() + ", "
                + created.path("routing_reason").asText() + ")"
                + (created.hasNonNull("note") ? ": " + created.get("note").asText() : "");
    }

    private ObjectNode readFile() {
        try {
            String text = "-".equals(file) ? new String(io().in().readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
            JsonNode tree = file.endsWith(".json") ? Json.readTree(text) : Printer.yamlTree(text);
            if (!(tree instanceof ObjectNode o)) {
                throw new CliException(ExitCodes.USAGE, "bad_file", "file", file + " does not hold a task (an object)", 0);
            }
            return o;
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "bad_file", "file", "cannot read " + file + ": " + e.getMessage(), 0);
        }
    }

    private static void put(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
