package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agentvine.cli.ApiClient;
import io.agentvine.cli.ExitCodes;
import io.agentvine.model.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Cancel or retry by filter instead of by id: without {@code --yes} a dry run that counts and lists
 * the matching tasks; with it, one call of the controller's bulk action (POST /api/v1/tasks/bulk/cancel
 * or /retry with the filter: each task through the state machine), and exit 1 if any was skipped.
 */
final class TaskBulk {
    private static final int PAGE = 200;

    @Option(names = "--state", description = "Act on the tasks in this state (with --type, --repo: all must match).")
    String state;
    @Option(names = "--type")
    String type;
    @Option(names = {"--repo", "--repository"}, paramLabel = "URL")
    String repository;
    @Option(names = {"-q", "--query"}, paramLabel = "TEXT", description = "Text in the title (any case) or the beginning of a task id.")
    String query;
    @Option(names = "--yes", description = "Do it (without: a dry run that counts the matching tasks).")
    boolean yes;

    boolean filtered() {
        return state != null || type != null || repository != null || query != null;
    }

    int run(ApiCommand command, String verb) {
        if (!yes) {
            List<String> ids = matching(command.api());
            command.printer().message(ids.size() + " task(s) match; a dry run: add --yes to " + verb + " them");
            ArrayNode list = Json.mapper().createArrayNode();
            ids.forEach(list::add);
            if (command.printer().structured()) {
                command.printer().data(list);
            } else {
                ids.forEach(command.io().out()::println);
                command.io().out().flush();
            }
            return ExitCodes.OK;
        }
        Map<String, Object> filter = new LinkedHashMap<>();
        ApiClient.params("state", state, "type", type, "repository", repository, "q", query).forEach((k, v) -> {
            if (v != null) {
                filter.put(k, v);
            }
        });
        JsonNode result = command.api().post("/api/v1/tasks/bulk/" + verb, Map.of("filter", filter));
        for (JsonNode skipped : result.path("skipped")) {
            command.printer().message(skipped.path("id").asText() + ": " + skipped.path("reason").asText());
        }
        int matched = result.path("matched").asInt();
        int changed = result.path("changed").asInt();
        int requested = result.path("cancel_requested").asInt();
        command.printer().message(verb + ": " + changed + " of " + matched + " task(s)"
                + (requested > 0 ? " (" + requested + " running: their workers stop them)" : ""));
        if (command.printer().structured()) {
            command.printer().data(result);
        }
        return result.path("skipped").isEmpty() ? ExitCodes.OK : ExitCodes.ERROR;
    }

    private List<String> matching(ApiClient api) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        while (true) {
            JsonNode p = api.get(ApiClient.query("/api/v1/tasks",
                    ApiClient.params("state", state, "type", type, "repository", repository, "q", query, "cursor", cursor,
                            "size", PAGE)));
            p.path("content").forEach(t -> ids.add(t.path("id").asText()));
            if (!p.hasNonNull("next_cursor")) {
                return ids;
            }
            cursor = p.path("next_cursor").asText(); // by key: a task added meanwhile shifts no page
        }
    }
}
