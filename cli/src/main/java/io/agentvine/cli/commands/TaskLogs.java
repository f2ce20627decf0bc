package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.cli.ApiClient;
import io.agentvine.cli.CliException;
import io.agentvine.cli.ExitCodes;
import io.agentvine.cli.Format;
import io.agentvine.model.Json;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vine task logs ID [-f] [--attempt N] [-t]}: an attempt's log lines as the worker shipped them
 * (the latest attempt unless {@code --attempt}): without {@code -f} what there is now, page by page
 * ({@code GET /api/v1/tasks/{id}/log}); with {@code -f} followed live over SSE ({@code …/log/stream}),
 * resumed with {@code Last-Event-ID} when the connection drops, until the attempt's {@code end} event
 * (exit 0). One line per log line: its text, or with {@code -t} its time and stream first; JSON lines
 * with {@code -o json}. {@code --where} prints where the worker keeps the full log file, as before
 * there was a live log; so does a log the controller no longer has (exit 1).
 */
@Command(name = "logs", description = "Print a task's log lines (the latest attempt); -f follows them live until the attempt ends.")
public final class TaskLogs extends ApiCommand {
    static final int PAGE = 1000;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = {"-f", "--follow"}, description = "Follow the lines as they come, until the attempt ends.")
    boolean follow;

    @Option(names = "--attempt", paramLabel = "N", description = "The attempt (default: the latest).")
    Integer attempt;

    @Option(names = {"-t", "--timestamps"}, description = "Show each line's time and stream (out, err, sys).")
    boolean timestamps;

    @Option(names = "--where", description = "Print where the worker keeps the attempt's full log file instead.")
    boolean where;

    @Option(names = "--reconnect-delay", defaultValue = "PT1S", description = "With -f: wait before connecting again (ISO-8601).")
    Duration reconnectDelay;

    @Override
    public Integer call() throws InterruptedException {
        if (where) {
            return where(api().get(TaskCommand.path(id)));
        }
        try {
            return follow ? followLive() : printPages();
        } catch (CliException e) {
            if (e.status() == 410) {
                printer().message(e.getMessage());
                where(api().get(TaskCommand.path(id)));
                return ExitCodes.ERROR;
            }
            throw e;
        }
    }

    private int printPages() {
        String after = null;
        while (true) {
            JsonNode page = api().get(ApiClient.query(TaskCommand.path(id) + "/log",
                    ApiClient.params("attempt", attempt, "after", after, "limit", PAGE)));
            page.path("lines").forEach(this::print);
            if (page.path("lines").size() < PAGE) {
                return ExitCodes.OK;
            }
            after = page.path("next").asText();
        }
    }

    private int followLive() throws InterruptedException {
        String path = ApiClient.query(TaskCommand.path(id) + "/log/stream", ApiClient.params("attempt", attempt));
        new EventStream(last -> api().stream(path, last), reconnectDelay, printer()::message).runUntil(0, event -> {
            if ("end".equals(event.path("event").asText())) {
                printer().message("attempt " + event.path("attempt").asText() + " of task " + id + " ended");
                return false;
            }
            print(event);
            return true;
        });
        return ExitCodes.OK;
    }

    private void print(JsonNode line) {
        Format format = printer().format();
        if (format == Format.json) {
            io().out().println(Json.write(Json.mapper().createObjectNode().put("id", line.path("id").asText())
                    .put("at", line.path("at").asText()).put("stream", line.path("stream").asText())
                    .put("text", line.path("text").asText())));
        } else if (format == Format.yaml) {
            io().out().print("---\n");
            printer().data(line);
        } else if (timestamps) {
            io().out().println(line.path("at").asText() + " " + line.path("stream").asText() + " " + line.path("text").asText());
        } else {
            io().out().println(line.path("text").asText());
        }
        io().out().flush();
    }

    /** Where the worker writes the attempt's log file (the log's source of truth). */
    private int where(JsonNode task) {
        String location = task.path("log_location").asText("");
        printer().message("the worker " + task.path("worker_id").asText("(none yet)") + " keeps the attempt's full log here:");
        if (printer().structured()) {
            printer().data(task.path("log_location"));
        } else {
            io().out().println(location);
            io().out().flush();
        }
        return ExitCodes.OK;
    }
}
