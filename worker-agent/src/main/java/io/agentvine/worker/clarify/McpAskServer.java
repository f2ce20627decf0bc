package io.agentvine.worker.clarify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A Model Context Protocol server (stdio transport: one JSON-RPC message per line) with one tool,
 * {@code ask_human}, for Claude Code: in print mode its own question tool is denied, so the adapter
 * gives the model this one instead. A call goes to the same loopback endpoint as {@code vine-ask}
 * ({@code AGENTVINE_ASK_URL}, {@code AGENTVINE_ASK_TOKEN}, inherited from the agent's environment) and
 * returns the operator's answer, or the "no answer" text, as the tool result.
 */
public final class McpAskServer {
    public static final String TOOL = "ask_human";
    static final String DEFAULT_PROTOCOL = "2025-06-18";
    private static final ObjectMapper JSON = new ObjectMapper();

    private McpAskServer() {
    }

    public static void main(String[] args) throws IOException {
        String url = System.getenv(AskServer.URL_VARIABLE);
        String token = System.getenv(AskServer.TOKEN_VARIABLE);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newHttpClient();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode msg;
            try {
                msg = JSON.readTree(line);
            } catch (IOException e) {
                out.println(error(null, -32700, "parse error"));
                continue;
            }
            JsonNode id = msg.get("id");
            if (id == null) {
                continue; // a notification (initialized, cancelled): nothing to answer
            }
            String method = msg.path("method").asText();
            switch (method) {
                case "initialize" -> out.println(result(id, initialize(msg.path("params"))));
                case "ping" -> out.println(result(id, JSON.createObjectNode()));
                case "tools/list" -> out.println(result(id, tools()));
                case "tools/call" -> out.println(result(id, call(msg.path("params"), url, token, http)));
                default -> out.println(error(id, -32601, "method not found: " + method));
            }
        }
    }

    private static ObjectNode initialize(JsonNode params) {
        ObjectNode r = JSON.createObjectNode();
        r.put("protocolVersion", params.path("protocolVersion").asText(DEFAULT_PROTOCOL));
        r.putObject("capabilities").putObject("tools");
        r.putObject("serverInfo").put("name", "agentvine").put("version", "1");
        r.put("instructions", "Use ask_human when you need a decision or information only a human has; the answer may take minutes.");
        return r;
    }

    static ObjectNode tools() {
        ObjectNode r = JSON.createObjectNode();
        ObjectNode tool = r.putArray("tools").addObject();
        tool.put("name", TOOL);
        tool.put("description", "Ask the human operator of this AgentVine task a question and wait for the answer. Use it instead of "
                + "guessing when a requirement is ambiguous or a decision needs a human. Offer options when there are clear choices.");
        ObjectNode schema = tool.putObject("inputSchema");
        schema.put("type", "object");
        ObjectNode props = schema.putObject("properties");
        props.putObject("question").put("type", "string").put("description", "the question, self-contained");
        props.putObject("options").put("type", "array").put("description", "suggested answers").putObject("items").put("type", "string");
        props.putObject("context").put("type", "string").put("description", "what the human needs to know to answer");
        schema.putArray("required").add("question");
        return r;
    }

    private static ObjectNode call(JsonNode params, String url, String token, HttpClient http) {
        if (!TOOL.equals(params.path("name").asText())) {
            return toolResult("unknown tool: " + params.path("name").asText(), true);
        }
        if (url == null || token == null) {
            return toolResult("no human can be asked: not running inside an AgentVine task", true);
        }
        JsonNode a = params.path("arguments");
        String question = a.path("question").asText("").strip();
        if (question.isEmpty()) {
            return toolResult("the question is empty", true);
        }
        StringBuilder body = new StringBuilder();
        if (a.path("options").isArray()) {
            for (JsonNode o : a.path("options")) {
                body.append("option: ").append(o.asText().replace('\n', ' ')).append('\n');
            }
        }
        if (a.hasNonNull("context")) {
            body.append("context: ").append(a.path("context").asText().replace('\n', ' ')).append('\n');
        }
        body.append('\n').append(question);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/ask"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String outcome = r.headers().firstValue("X-Outcome").orElse("error");
            return toolResult(r.body().strip(), !(r.statusCode() == 200 && (outcome.equals("answered") || outcome.equals("expired"))));
        } catch (IOException e) {
            return toolResult("cannot reach the worker: " + e.getMessage(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return toolResult("interrupted", true);
        }
    }

    private static ObjectNode toolResult(String text, boolean isError) {
        ObjectNode r = JSON.createObjectNode();
        ArrayNode content = r.putArray("content");
        content.addObject().put("type", "text").put("text", text);
        r.put("isError", isError);
        return r;
    }

    private static String result(JsonNode id, JsonNode result) {
        ObjectNode m = JSON.createObjectNode();
        m.put("jsonrpc", "2.0");
        m.set("id", id);
        m.set("result", result);
        return m.toString();
    }

    private static String error(JsonNode id, int code, String message) {
        ObjectNode m = JSON.createObjectNode();
        m.put("jsonrpc", "2.0");
        m.set("id", id);
        m.putObject("error").put("code", code).put("message", message);
        return m.toString();
    }
}
