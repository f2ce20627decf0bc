package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.cli.ApiClient;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vine task list}: filtered and paged ({@code --cursor} from the list before it, or {@code --page}); {@code --watch}
 * prints it again at each interval.
 */
@Command(name = "list", description = "List tasks, newest first; --watch repeats it.")
public final class TaskList extends ApiCommand {
    @Option(names = "--state", description = "queued, delayed, running, awaiting_approval, completed, failed, dead, cancelled.")
    String state;
    @Option(names = "--type")
    String type;
    @Option(names = {"--repo", "--repository"}, paramLabel = "URL")
    String repository;
    @Option(names = {"-q", "--query"}, paramLabel = "TEXT", description = "Text in the title (any case) or the beginning of a task id.")
    String query;
    @Option(names = "--page", description = "A page by number (reads every row before it; --cursor does not).")
    Integer page;
    @Option(names = "--cursor", description = "The older tasks after a page: the cursor a list printed (next_cursor).")
    String cursor;
    @Option(names = "--size", defaultValue = "50")
    int size;
    @Option(names = {"-w", "--watch"}, description = "Print the list again at each interval until interrupted.")
    boolean watch;
    @Option(names = "--interval", defaultValue = "PT2S", description = "With --watch (ISO-8601, default PT2S).")
    Duration interval;
    @Option(names = "--rounds", hidden = true, defaultValue = "0", description = "With --watch: stop after this many (0: never).")
    int rounds;

    @Override
    public Integer call() throws InterruptedException {
        if (!watch) {
            runOnce();
            return 0;
        }
        for (int round = 1; rounds == 0 || round <= rounds; round++) {
            if (round > 1) {
                Thread.sleep(interval.toMillis());
                if (!printer().structured()) {
                    io().out().println();
                }
            }
            runOnce();
        }
        return 0;
    }

    void runOnce() {
        JsonNode page = api().get(ApiClient.query("/api/v1/tasks",
                ApiClient.params("state", state, "type", type, "repository", repository, "q", query, "page", this.page,
                        "cursor", cursor, "size", size)));
        if (printer().structured()) {
            printer().data(page);
        } else {
            printer().list(page.path("content"), TaskCommand.COLUMNS);
            if (page.hasNonNull("next_cursor")) {
                printer().message("older tasks: --cursor " + page.path("next_cursor").asText());
            }
        }
    }
}
