package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agentvine.cli.ApiClient;
import io.agentvine.cli.CliException;
import io.agentvine.cli.ExitCodes;
import io.agentvine.model.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Cancel or retry by filter instead of by id: without {@code --yes} a dry run that counts and lists
 * the matching tasks; with it, the action on each, and exit 1 if any was refused.
 */
final class TaskBulk {
    private static final int PAGE = 200;

    @Option(names = "--state", description = "Act on the tasks in this state (with --type, --repo: all must match).")
    String state;
    @Option(names = "--type")
    String type;
    @Option(names = {"--repo", "--repository"}, paramLabel = "URL")
    String repository;
    @Option(names = "--yes", description = "Do it (without: a dry run that counts the matching tasks).")
    boolean yes;

    boolean filtered() {
        return state != null || type != null || repository != null;
    }

    int run(ApiCommand command, String verb, Function<String, JsonNode> action) {
        List<String> ids = matching(command.api());
        if (!yes) {
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
        int refused = 0;
        for (String id : ids) {
            try {
                JsonNode task = action.apply(id);
                command.printer().message(id + ": " + task.path("state").asText());
            } catch (CliException e) {
                if (e.exitCode() == ExitCodes.AUTH) {
                    throw e;
                }
                refused++;
                command.printer().message(id + ": " + e.getMessage());
            }
        }
        command.printer().message(verb + ": " + (ids.size() - refused) + " of " + ids.size() + " task(s)");
        return refused == 0 ? ExitCodes.OK : ExitCodes.ERROR;
    }

    private List<String> matching(ApiClient api) {
        List<String> ids = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode p = api.get(ApiClient.query("/api/v1/tasks",
                    ApiClient.params("state", state, "type", type, "repository", repository, "page", page, "size", PAGE)));
            p.path("content").forEach(t -> ids.add(t.path("id").asText()));
            if (p.path("content").size() < PAGE) {
                return ids;
            }
        }
    }
}
