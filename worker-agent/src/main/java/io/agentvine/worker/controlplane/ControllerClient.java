package io.agentvine.worker.controlplane;

import io.agentvine.model.AgentSessionState;
import io.agentvine.model.Heartbeat;
import io.agentvine.model.HeartbeatReply;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.model.RegistrationReply;
import io.agentvine.model.WorkerRegistration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's side of the controller's worker API: register, heartbeat, deregister. Blocking calls
 * with a timeout; a controller that cannot be reached raises {@link ControllerUnavailableException}
 * (retry with {@link Backoff}), one that refuses raises {@link ControllerException}. The API key goes
 * only into the Authorization header: never into a log line or an exception message.
 */
public final class ControllerClient {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final String apiKey;
    private final HttpClient http;
    private final Duration timeout;

    public ControllerClient(URI base, String apiKey, Duration timeout) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public RegistrationReply register(WorkerRegistration registration) {
        return call("POST", "api/v1/workers", Json.write(registration), RegistrationReply.class);
    }

    public HeartbeatReply heartbeat(Heartbeat heartbeat) {
        return call("POST", "api/v1/workers/" + heartbeat.workerId() + "/heartbeat", Json.write(heartbeat),
                HeartbeatReply.class);
    }

    public void deregister(String workerId) {
        call("DELETE", "api/v1/workers/" + workerId, null, null);
    }

    /** Keeps the agent session of task {@code taskId} for a follow-up to resume. */
    public void keepSession(String taskId, AgentSessionState state) {
        call("PUT", "api/v1/tasks/" + taskId + "/agent-session", Json.write(state), null);
    }

    /** The agent session kept for task {@code taskId}; empty when none was kept. */
    public Optional<AgentSessionState> session(String taskId) {
        try {
            return Optional.of(call("GET", "api/v1/tasks/" + taskId + "/agent-session", null, AgentSessionState.class));
        } catch (ControllerException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private <T> T call(String method, String path, String body, Class<T> type) {
        HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Authorization", "Bearer " + apiKey).header("Accept", "application/json");
        if (body == null) {
            req.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            req.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> res;
        try {
            res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ControllerUnavailableException(method + " " + base.resolve(path) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControllerUnavailableException("interrupted while calling the controller", e);
        }
        if (res.statusCode() / 100 != 2) {
            throw new ControllerException(res.statusCode(), message(res.body()));
        }
        if (type == null) {
            return null;
        }
        try {
            return Json.read(res.body(), type);
        } catch (InvalidMessageException e) {
            throw new ControllerException(res.statusCode(), "unreadable reply: " + e.getMessage());
        }
    }

    private static String message(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        try {
            Map<?, ?> error = Json.read(body, Map.class);
            Object m = error.get("message");
            return m == null ? body : m.toString();
        } catch (InvalidMessageException notJson) {
            return body.length() > 500 ? body.substring(0, 500) + "…" : body;
        }
    }
}
