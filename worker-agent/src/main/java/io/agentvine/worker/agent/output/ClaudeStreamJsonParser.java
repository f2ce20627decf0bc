package io.agentvine.worker.agent.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.model.TokenUsage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Claude Code's headless output, {@code claude -p --output-format stream-json --verbose}: a
 * {@code system/init} event, {@code assistant} and {@code user} messages, and a final {@code result}.
 *
 * <p>Usage comes from the result when there is one: its per-model breakdown ({@code modelUsage},
 * which also covers the side calls Claude Code makes on other models and that {@code total_cost_usd}
 * includes), else its {@code usage}, else the assistant messages. Until the result arrives, and when
 * it never does (the run hung or was killed), usage is the sum of the assistant messages, counted once
 * per API message: stream-json prints one event per content block and repeats the message's usage
 * on each of them.
 *
 * <p>The verdict never trusts {@code is_error} to mean success: Claude Code reports API errors with
 * {@code subtype "success"}, telling them apart by {@code api_error_status} (CLI 2.1.110 and later),
 * {@code terminal_reason "api_error"}, or a result text that starts with "API Error".
 */
public final class ClaudeStreamJsonParser extends JsonLinesParser {
    private static final String SYNTHETIC_MODEL = "<synthetic>";

    private String initModel;
    private final Map<String, Message> messages = new HashMap<>();
    private final Map<String, TokenUsage> tokensByModel = new LinkedHashMap<>();
    private int apiMessages;
    private int unnamedMessages;
    private AgentUsage reported;

    /** One API message, as far as seen: its model (may be null) and its fullest usage report. */
    private record Message(String model, TokenUsage tokens) {
    }

    /**
     * @param model  the model the run was started with (may be an alias such as "sonnet", or null);
     *               prices usage when Claude Code names none
     * @param prices prices for runs without a reported cost
     */
    public ClaudeStreamJsonParser(String model, PriceTable prices) {
        super(model, prices);
    }

    @Override
    public synchronized AgentUsage usage() {
        if (reported != null) {
            return reported;
        }
        TokenUsage total = TokenUsage.ZERO;
        Double cost = null;
        for (Map.Entry<String, TokenUsage> e : tokensByModel.entrySet()) {
            total = total.plus(e.getValue());
            cost = Costs.plus(cost, pricing.cost(priced(e.getKey()), e.getValue()));
        }
        return new AgentUsage(total, cost, apiMessages);
    }

    @Override
    protected Optional<String> onEvent(String type, JsonNode event) {
        session(Fields.text(event, "session_id"));
        return switch (type) {
            case "system" -> system(event);
            case "assistant" -> assistant(event);
            case "user" -> toolErrors(event);
            case "result" -> result(event);
            default -> Optional.empty();
        };
    }

    private Optional<String> system(JsonNode event) {
        String subtype = Fields.text(event, "subtype");
        if ("init".equals(subtype)) {
            initModel = Fields.text(event, "model");
            return Optional.of("Claude Code started" + (initModel == null ? "" : " (" + initModel + ")"));
        }
        if ("api_retry".equals(subtype)) {
            Integer attempt = Fields.count(event, "attempt");
            Integer max = Fields.count(event, "max_retries");
            Integer status = Fields.count(event, "error_status");
            String error = Fields.text(event, "error");
            return Optional.of("API retry" + (attempt == null ? "" : " " + attempt + (max == null ? "" : "/" + max))
                    + (status == null ? "" : ", HTTP " + status) + (error == null ? "" : ", " + error));
        }
        return Optional.empty();
    }

    private Optional<String> assistant(JsonNode event) {
        JsonNode message = Fields.object(event, "message");
        if (message == null) {
            return Optional.empty();
        }
        String id = Fields.text(message, "id");
        String key = id != null ? id : "unnamed-" + unnamedMessages;
        String model = Fields.text(message, "model");
        TokenUsage seen = Fields.anthropicUsage(Fields.object(message, "usage"));

        Message before = messages.get(key);
        Message after = before == null ? new Message(model, seen) : new Message(before.model, Fields.max(before.tokens, seen));
        TokenUsage added = before == null ? seen : Fields.growth(after.tokens, before.tokens);
        String modelKey = after.model == null ? "" : after.model;
        tokensByModel.merge(modelKey, added, TokenUsage::plus);
        messages.put(key, after);
        if (before == null) {
            unnamedMessages += id == null ? 1 : 0;
            // A synthetic message is Claude Code reporting an API error as text: no API call, no turn.
            apiMessages += SYNTHETIC_MODEL.equals(model) ? 0 : 1;
        }
        return Progress.of(String.join("; ", contentProgress(message.get("content"))));
    }

    private static List<String> contentProgress(JsonNode content) {
        List<String> parts = new ArrayList<>();
        if (content == null || !content.isArray()) {
            return parts;
        }
        for (JsonNode block : content) {
            String blockType = Fields.text(block, "type");
            if ("text".equals(blockType)) {
                String text = Progress.snippet(Fields.text(block, "text"));
                if (text != null) {
                    parts.add(text);
                }
            } else if ("tool_use".equals(blockType) || "server_tool_use".equals(blockType)) {
                String detail = toolDetail(Fields.object(block, "input"));
                parts.add("tool: " + Fields.text(block, "name") + (detail == null ? "" : " " + detail));
            }
        }
        return parts;
    }

    /** What a tool call is about, in the words of its most telling input. */
    private static String toolDetail(JsonNode input) {
        for (String field : List.of("file_path", "notebook_path", "path", "command", "pattern", "url", "query",
                "description")) {
            String value = Progress.snippet(Fields.text(input, field));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private Optional<String> toolErrors(JsonNode event) {
        JsonNode message = Fields.object(event, "message");
        JsonNode content = message == null ? null : message.get("content");
        if (content == null || !content.isArray()) {
            return Optional.empty();
        }
        List<String> errors = new ArrayList<>();
        for (JsonNode block : content) {
            if ("tool_result".equals(Fields.text(block, "type")) && Fields.flag(block, "is_error")) {
                String text = Progress.snippet(resultText(block.get("content")));
                errors.add("tool error" + (text == null ? "" : ": " + text));
            }
        }
        return Progress.of(String.join("; ", errors));
    }

    private static String resultText(JsonNode content) {
        if (content == null) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        content.forEach(block -> {
            String part = Fields.text(block, "text");
            if (part != null) {
                text.append(part).append(' ');
            }
        });
        return text.toString();
    }

    private Optional<String> result(JsonNode event) {
        AgentUsage usage = resultUsage(event);
        AgentVerdict outcome = classify(event);
        reported = usage;
        conclude(outcome);
        String summary = "result: " + outcome.kind().name().toLowerCase(Locale.ROOT)
                + (outcome.apiErrorStatus() == null ? "" : " " + outcome.apiErrorStatus())
                + ", " + usage.turns() + (usage.turns() == 1 ? " turn" : " turns")
                + (usage.costUsd() == null ? "" : String.format(Locale.ROOT, ", $%.4f", usage.costUsd()));
        String detail = outcome.kind() == AgentVerdict.Kind.SUCCESS ? null : Progress.snippet(outcome.message());
        return Optional.of(detail == null ? summary : summary + ": " + detail);
    }

    private AgentUsage resultUsage(JsonNode event) {
        Integer numTurns = Fields.count(event, "num_turns");
        int turns = numTurns != null ? numTurns : apiMessages;
        // total_cost_usd since mid-2025; cost_usd before.
        Double cost = Fields.cost(event, "total_cost_usd");
        if (cost == null) {
            cost = Fields.cost(event, "cost_usd");
        }

        JsonNode byModel = Fields.object(event, "modelUsage");
        if (byModel != null && byModel.size() > 0) {
            TokenUsage total = TokenUsage.ZERO;
            Double reportedCost = null;
            Double pricedCost = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = byModel.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> model = it.next();
                JsonNode u = model.getValue();
                TokenUsage tokens = new TokenUsage(Fields.tokens(u, "inputTokens"), Fields.tokens(u, "outputTokens"),
                        Fields.tokens(u, "cacheReadInputTokens"), Fields.tokens(u, "cacheCreationInputTokens"));
                total = total.plus(tokens);
                reportedCost = Costs.plus(reportedCost, Fields.cost(u, "costUSD"));
                pricedCost = Costs.plus(pricedCost, pricing.cost(model.getKey(), tokens));
            }
            Double fallback = reportedCost != null ? reportedCost : pricedCost;
            return new AgentUsage(total, cost != null ? cost : fallback, turns);
        }
        JsonNode usage = Fields.object(event, "usage");
        if (usage != null) {
            TokenUsage tokens = Fields.anthropicUsage(usage);
            return new AgentUsage(tokens, cost != null ? cost : pricing.cost(priced(""), tokens), turns);
        }
        AgentUsage running = usage();
        return new AgentUsage(running.tokens(), cost != null ? cost : running.costUsd(), turns);
    }

    /** The model to price a message by: its own, else the one Claude Code announced, else the run's. */
    private String priced(String messageModel) {
        if (messageModel != null && !messageModel.isEmpty() && !SYNTHETIC_MODEL.equals(messageModel)) {
            return messageModel;
        }
        return initModel != null ? initModel : pricing.runModel();
    }

    private static AgentVerdict classify(JsonNode event) {
        String subtype = Fields.text(event, "subtype");
        String terminalReason = Fields.text(event, "terminal_reason");
        String text = Fields.text(event, "result");
        List<String> errors = Fields.texts(event, "errors");
        String detail = !errors.isEmpty() ? String.join("; ", errors)
                : text != null && !text.isBlank() ? text
                : Fields.text(event, "error") != null ? Fields.text(event, "error")
                : String.valueOf(subtype);

        if ("error_max_turns".equals(subtype) || "max_turns".equals(terminalReason)) {
            return new AgentVerdict(AgentVerdict.Kind.MAX_TURNS, detail, null);
        }
        if ("error_max_budget_usd".equals(subtype)) {
            return new AgentVerdict(AgentVerdict.Kind.BUDGET_EXCEEDED, detail, null);
        }
        Integer status = Fields.count(event, "api_error_status");
        ApiErrorText apiErrorText = ApiErrorText.of(text);
        if (status != null || "api_error".equals(terminalReason) || apiErrorText.matches()) {
            return new AgentVerdict(AgentVerdict.Kind.API_ERROR, text != null && !text.isBlank() ? text : detail,
                    status != null ? status : apiErrorText.status());
        }
        // Past the API-error checks, is_error=true on a "success" still means the CLI saw a failure
        // ("Invalid API key · Please run /login" came that way before api_error_status existed).
        if ("success".equals(subtype) && !Fields.flag(event, "is_error")) {
            return new AgentVerdict(AgentVerdict.Kind.SUCCESS, text, null);
        }
        return new AgentVerdict(AgentVerdict.Kind.ERROR, detail, null);
    }

    /** A result text in Claude Code's API error form: "API Error: 529 Overloaded…", "API Error (Request timed out.)". */
    private record ApiErrorText(boolean matches, Integer status) {
        private static final Pattern FORM = Pattern.compile("^API Error\\b:?\\s*(\\d{3})?");
        private static final ApiErrorText NONE = new ApiErrorText(false, null);

        static ApiErrorText of(String text) {
            Matcher m = text == null ? null : FORM.matcher(text.strip());
            if (m == null || !m.find()) {
                return NONE;
            }
            return new ApiErrorText(true, m.group(1) == null ? null : Integer.valueOf(m.group(1)));
        }
    }
}
