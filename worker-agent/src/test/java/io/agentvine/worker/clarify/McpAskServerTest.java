package io.agentvine.worker.clarify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.model.ClarificationRequest;
import io.agentvine.model.ClarificationResponse;
import io.agentvine.model.ClarificationStatus;
import io.agentvine.model.Json;
import io.agentvine.queue.ClarificationStreams;
import io.agentvine.queue.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claude Code's question tool as Claude Code would use it: the MCP server runs as a subprocess speaking
 * JSON-RPC on stdio; its ask_human call goes through the worker's real ask endpoint and a real Redis;
 * the answer is put on the worker's response stream as the controller puts it.
 */
class McpAskServerTest {
    @TempDir
    Path tmp;

    @Test
    void the_ask_human_tool_reaches_the_operator_and_returns_the_answer_as_its_result() throws Exception {
        String ns = TestRedis.uniqueNamespace();
        RedisClient redis = TestRedis.client();
        try (StatefulRedisConnection<String, String> conn = redis.connect(StringCodec.UTF8);
             ClarificationClient client = new ClarificationClient(io.agentvine.queue.redis.RedisEndpoint.wrap(redis), ns, () -> "w-1", Clock.systemUTC());
             AskServer asks = new AskServer(client, tmp.resolve("bin"), Clock.systemUTC())) {
            client.start();
            asks.start();
            Map<String, String> env = asks.open("wo-1", new AskServer.Run("w-1", "wo-1", "t-1", Duration.ofMinutes(1), false,
                    () -> false, m -> { }, () -> { }, waiting -> { }, Optional.empty(), parked -> { }));
            List<String> argv = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), McpAskServer.class.getName());
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().putAll(env);
            Process mcp = pb.start();
            try (Writer in = new OutputStreamWriter(mcp.getOutputStream(), StandardCharsets.UTF_8);
                 BufferedReader out = new BufferedReader(new InputStreamReader(mcp.getInputStream(), StandardCharsets.UTF_8))) {
                send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"claude-code\",\"version\":\"2.1.4\"}}}");
                JsonNode init = Json.mapper().readTree(out.readLine());
                assertThat(init.path("result").path("protocolVersion").asText()).isEqualTo("2025-06-18");
                assertThat(init.path("result").path("capabilities").has("tools")).isTrue();
                send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
                send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
                JsonNode tools = Json.mapper().readTree(out.readLine());
                assertThat(tools.path("result").path("tools").get(0).path("name").asText()).isEqualTo("ask_human");
                assertThat(tools.path("result").path("tools").get(0).path("inputSchema").path("required").get(0).asText()).isEqualTo("question");

                send(in, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"ask_human\",\"arguments\":"
                        + "{\"question\":\"Keep the v1 endpoint?\",\"options\":[\"keep\",\"remove\"],\"context\":\"two clients still call it\"}}}");

                // The controller's part: read the request from the stream, answer on the worker's stream.
                ClarificationRequest asked = null;
                for (int i = 0; i < 100 && asked == null; i++) {
                    List<StreamMessage<String, String>> m = conn.sync().xread(XReadArgs.Builder.block(Duration.ofMillis(100)),
                            XReadArgs.StreamOffset.from(ClarificationStreams.requestsKey(ns), "0-0"));
                    if (m != null && !m.isEmpty()) {
                        asked = Json.read(m.get(0).getBody().get(ClarificationStreams.REQUEST_FIELD), ClarificationRequest.class);
                    }
                }
                assertThat(asked).isNotNull();
                assertThat(asked.question()).isEqualTo("Keep the v1 endpoint?");
                assertThat(asked.options()).containsExactly("keep", "remove");
                assertThat(asked.context()).containsEntry("note", "two clients still call it");
                new ClarificationStreams(conn, ns).publishResponse("w-1", new ClarificationResponse(null, asked.id(),
                        ClarificationStatus.ANSWERED, "keep it until March", "ops", Instant.now(), Map.of()));

                JsonNode call = Json.mapper().readTree(out.readLine());
                assertThat(call.path("id").asInt()).isEqualTo(3);
                assertThat(call.path("result").path("isError").asBoolean()).isFalse();
                assertThat(call.path("result").path("content").get(0).path("text").asText()).isEqualTo("keep it until March");

                send(in, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"resources/list\"}");
                assertThat(Json.mapper().readTree(out.readLine()).path("error").path("code").asInt()).isEqualTo(-32601);
            } finally {
                mcp.destroy();
                mcp.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            redis.shutdown();
        }
    }

    private static void send(Writer in, String json) throws Exception {
        in.write(json + "\n");
        in.flush();
    }
}
