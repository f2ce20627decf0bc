package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentvine.cli.ApiClient;
import io.agentvine.cli.CliException;
import io.agentvine.cli.Column;
import io.agentvine.cli.ExitCodes;
import io.agentvine.model.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vine ask list|answer}: the agents' questions and approvals. */
@Command(name = "ask", description = "Questions and approvals from running agents.",
        subcommands = {AskCommand.ListAsks.class, AskCommand.Answer.class})
public final class AskCommand {
    static final List<Column> COLUMNS = List.of(
            Column.of("ID", "id"), Column.of("KIND", "kind"), Column.of("STATUS", "status"), Column.of("TASK", "task_id"),
            Column.wide("TITLE", "task_title"), Column.wide("WORKER", "worker_id"), Column.wide("OPTIONS", "options"),
            Column.wide("EXPIRES", "expires_at"), Column.of("QUESTION", "question"));

    static JsonNode answer(ApiClient api, String id, String answer, String decision, String by) {
        ObjectNode body = Json.mapper().createObjectNode();
        if (answer != null) {
            body.put("answer", answer);
        }
        if (decision != null) {
            body.put("decision", decision);
        }
        if (by != null) {
            body.put("answered_by", by);
        }
        return api.post("/api/v1/clarifications/" + ApiClient.seg(id) + "/answer", body);
    }

    @Command(name = "list", description = "List questions and approvals (default: the pending ones).")
    static final class ListAsks extends ApiCommand {
        @Option(names = "--status", defaultValue = "pending", description = "pending, answered, approved, rejected, expired, orphaned, or all.")
        String status;
        @Option(names = "--task", paramLabel = "ID")
        String task;

        @Override
        public Integer call() {
            String s = "all".equals(status) ? null : status;
            printer().list(api().get(ApiClient.query("/api/v1/clarifications", ApiClient.params("status", s, "task_id", task))), COLUMNS);
            return 0;
        }
    }

    @Command(name = "answer", description = "Answer a question; without TEXT, $VISUAL or $EDITOR opens to write it.")
    static final class Answer extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;
        @Parameters(index = "1", arity = "0..1", paramLabel = "TEXT")
        String text;
        @Option(names = "--by", paramLabel = "NAME", description = "Who answers (default: the key's name).")
        String by;

        @Override
        public Integer call() throws InterruptedException {
            String answer = text;
            if (answer == null) {
                JsonNode question = api().get("/api/v1/clarifications/" + ApiClient.seg(id));
                answer = new Editor(io()).write(question.path("question").asText(), question.path("options"));
                if (answer.isBlank()) {
                    throw new CliException(ExitCodes.ERROR, "empty_answer", "answer", "the answer is empty: nothing sent", 0);
                }
            }
            JsonNode done = answer(api(), id, answer, null, by);
            printer().message("answered " + id + " (" + done.path("status").asText() + ")");
            if (printer().structured()) {
                printer().data(done);
            }
            return 0;
        }
    }
}
