package io.agentvine.worker.agent.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.model.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code codex exec --json}: {@code thread.started}, {@code turn.started}, {@code item.*} events
 * (agent messages, reasoning, commands, file changes, MCP calls, web searches, to-do lists), and a
 * turn's end, {@code turn.completed} with usage or {@code turn.failed}; {@code error} events report
 * trouble along the way.
 *
 * <p>The usage in {@code turn.completed} is the thread's running total, not the turn's own (Codex's
 * JSONL writer fills it from the thread total), so the latest report replaces the earlier ones
 * instead of adding up. OpenAI counts cached input inside {@code input_tokens}: uncached input is
 * {@code input_tokens - cached_input_tokens}. Codex reports no cost: it comes from the price table.
 *
 * <p>The verdict follows the last turn end or fatal error: SUCCESS after a {@code turn.completed} with
 * no failure after it, ERROR after {@code turn.failed} or an {@code error} event. An error that only
 * announces a retry ("Reconnecting... 2/5") is progress, not a failure.
 */
public final class CodexJsonParser extends JsonLinesParser {
    private static final Pattern RETRY_NOTICE = Pattern.compile("^Reconnecting\\b|\\bretrying \\d+/\\d+",
            Pattern.CASE_INSENSITIVE);

    private TokenUsage tokens;
    private int turnsStarted;
    private int turnsEnded;
    private String lastAgentMessage;

    /**
     * @param model  the model the run uses (codex does not print it); prices the usage, null = no cost
     * @param prices the price table
     */
    public CodexJsonParser(String model, PriceTable prices) {
        super(model, prices);
    }

    @Override
    public synchronized AgentUsage usage() {
        int turns = Math.max(turnsStarted, turnsEnded);
        // No turn.completed yet: nothing was reported, so the cost is unknown rather than zero.
        return tokens == null ? new AgentUsage(TokenUsage.ZERO, null, turns)
                : new AgentUsage(tokens, pricing.cost(tokens), turns);
    }

    @Override
    protected Optional<String> onEvent(String type, JsonNode event) {
        switch (type) {
            case "thread.started":
                session(Fields.text(event, "thread_id"));
                return Optional.of("Codex thread started" + suffix(" ", Fields.text(event, "thread_id")));
            case "turn.started":
                turnsStarted++;
                return Optional.empty();
            case "turn.completed":
                return turnCompleted(Fields.object(event, "usage"));
            case "turn.failed": {
                String message = Fields.text(Fields.object(event, "error"), "message");
                turnsEnded++;
                conclude(new AgentVerdict(AgentVerdict.Kind.ERROR, message == null ? "turn failed" : message, null));
                return Optional.of("turn failed" + suffix(": ", Progress.snippet(message)));
            }
            case "error": {
                String message = Fields.text(event, "message");
                if (message != null && RETRY_NOTICE.matcher(message).find()) {
                    return Optional.of("retrying: " + Progress.snippet(message));
                }
                conclude(new AgentVerdict(AgentVerdict.Kind.ERROR, message == null ? "error" : message, null));
                return Optional.of("error" + suffix(": ", Progress.snippet(message)));
            }
            case "item.started":
            case "item.updated":
            case "item.completed":
                return item(type.substring("item.".length()), Fields.object(event, "item"));
            default:
                return Optional.empty();
        }
    }

    private Optional<String> turnCompleted(JsonNode usage) {
        TokenUsage total = tokens;
        if (usage != null) {
            long input = Fields.tokens(usage, "input_tokens");
            long cached = Fields.tokens(usage, "cached_input_tokens");
            total = new TokenUsage(Math.max(0, input - cached), Fields.tokens(usage, "output_tokens"), cached, 0);
        }
        tokens = total;
        turnsEnded++;
        conclude(new AgentVerdict(AgentVerdict.Kind.SUCCESS, lastAgentMessage, null));
        return Optional.of("turn completed" + (total == null ? "" : ": " + total.inputTokens() + " input, "
                + total.cacheReadTokens() + " cached, " + total.outputTokens() + " output tokens so far"));
    }

    private Optional<String> item(String phase, JsonNode item) {
        if (item == null) {
            return Optional.empty();
        }
        // "item_type" is the field's name in the first versions of the JSON output (codex 0.44).
        String type = Fields.text(item, "type") != null ? Fields.text(item, "type") : Fields.text(item, "item_type");
        boolean completed = "completed".equals(phase);
        if (type == null) {
            return Optional.empty();
        }
        switch (type) {
            case "agent_message":
            case "assistant_message":
                if (completed && Fields.text(item, "text") != null) {
                    lastAgentMessage = Fields.text(item, "text");
                }
                return Progress.of(completed ? Progress.snippet(Fields.text(item, "text")) : null);
            case "reasoning":
                return Progress.of(completed ? Progress.snippet(stripBold(Fields.text(item, "text"))) : null);
            case "command_execution":
                return command(phase, item);
            case "file_change":
                return completed ? fileChange(item) : Optional.empty();
            case "mcp_tool_call":
                return mcpCall(phase, item);
            case "web_search":
                return Progress.of(completed ? "web search" + suffix(": ", Progress.snippet(Fields.text(item, "query")))
                        : null);
            case "todo_list":
                return todo(item);
            case "error":
                return Optional.of("warning" + suffix(": ", Progress.snippet(Fields.text(item, "message"))));
            default:
                return Optional.empty();
        }
    }

    private static Optional<String> command(String phase, JsonNode item) {
        String command = Progress.snippet(Fields.text(item, "command"));
        if ("started".equals(phase)) {
            return Optional.of("command" + suffix(": ", command));
        }
        if (!"completed".equals(phase)) {
            return Optional.empty();
        }
        Integer exit = Fields.count(item, "exit_code");
        String status = exit != null ? "exited " + exit : String.valueOf(Fields.text(item, "status"));
        return Optional.of("command " + status + suffix(": ", command));
    }

    private static Optional<String> fileChange(JsonNode item) {
        List<String> changes = new ArrayList<>();
        JsonNode list = item.get("changes");
        if (list != null && list.isArray()) {
            list.forEach(c -> changes.add(Fields.text(c, "kind") + " " + Fields.text(c, "path")));
        }
        String label = "failed".equals(Fields.text(item, "status")) ? "file change failed" : "files";
        return Optional.of(label + suffix(": ", Progress.snippet(String.join(", ", changes))));
    }

    private static Optional<String> mcpCall(String phase, JsonNode item) {
        String tool = Fields.text(item, "server") + "." + Fields.text(item, "tool");
        if ("started".equals(phase)) {
            return Optional.of("mcp: " + tool);
        }
        if ("completed".equals(phase) && "failed".equals(Fields.text(item, "status"))) {
            String error = Fields.text(Fields.object(item, "error"), "message");
            return Optional.of("mcp failed: " + tool + suffix(": ", Progress.snippet(error)));
        }
        return Optional.empty();
    }

    private static Optional<String> todo(JsonNode item) {
        JsonNode list = item.get("items");
        if (list == null || !list.isArray() || list.isEmpty()) {
            return Optional.empty();
        }
        int done = 0;
        for (JsonNode entry : list) {
            done += Fields.flag(entry, "completed") ? 1 : 0;
        }
        return Optional.of("to-do: " + done + "/" + list.size() + " done");
    }

    /** Codex's reasoning summaries come as "**Planning the change**". */
    private static String stripBold(String text) {
        return text == null ? null : text.replace("**", "");
    }

    private static String suffix(String separator, String text) {
        return text == null || text.isBlank() ? "" : separator + text;
    }
}
