package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentvine.cli.Format;
import io.agentvine.model.Json;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vine events [--since ID]}: the controller's events as they happen, one per line (JSON lines
 * with {@code -o json}); resumes after a dropped connection with {@code Last-Event-ID}.
 */
@Command(name = "events", description = "Follow the controller's events (SSE); resumes after a dropped connection.")
public final class EventsCommand extends ApiCommand {
    @Option(names = "--since", paramLabel = "ID", description = "Start after this event id (0: from the first one).")
    Long since;
    @Option(names = {"-n", "--limit"}, defaultValue = "0", description = "Stop after this many events (0: never).")
    long limit;
    @Option(names = "--reconnect-delay", defaultValue = "PT1S", description = "Wait before connecting again (ISO-8601).")
    Duration reconnectDelay;

    @Override
    public Integer call() throws InterruptedException {
        Format format = printer().format();
        EventStream.events(api(), since, reconnectDelay, printer()::message).run(limit, event -> {
            if (format == Format.json) {
                io().out().println(Json.write(event));
            } else if (format == Format.yaml) {
                io().out().print("---\n");
                printer().data(event);
            } else {
                io().out().println(line(event));
            }
            io().out().flush();
        });
        return 0;
    }

    /** {@code id  event  field=value ...} for people. */
    static String line(JsonNode event) {
        StringBuilder b = new StringBuilder(String.format("%-6s %-24s", event.path("id").asText(), event.path("event").asText()));
        ObjectNode rest = event.deepCopy();
        rest.remove("id");
        rest.remove("event");
        rest.remove("at");
        for (Map.Entry<String, JsonNode> e : rest.properties()) {
            b.append(' ').append(e.getKey()).append('=').append(e.getValue().isValueNode() ? e.getValue().asText() : Json.write(e.getValue()));
        }
        return b.toString();
    }
}
