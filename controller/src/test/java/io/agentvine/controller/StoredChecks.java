package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.TestHttp.Reply;
import io.agentvine.model.Json;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import io.agentvine.queue.WorkQueue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What an accepted fuzzed request must have stored: read back through the API (and, for a task, its
 * order from the queue) and compared with what was sent.
 */
final class StoredChecks {
    private final Function<String, Map<String, Object>> read;
    private final WorkQueue queue;

    /** @param read a GET of a path with an admin key, its answer as JSON */
    StoredChecks(Function<String, Map<String, Object>> read, WorkQueue queue) {
        this.read = read;
        this.queue = queue;
    }

    /** The task as the API shows it. */
    Map<String, Object> task(String id) {
        return read.apply("/api/v1/tasks/" + id);
    }

    @SuppressWarnings("unchecked")
    void task(Map<String, Object> sent, Reply r) {
        Map<String, Object> reply = r.json();
        Map<String, Object> stored = task((String) reply.get("id"));
        if (Boolean.FALSE.equals(reply.get("created"))) {
            assertThat(stored).containsEntry("idempotency_key", sent.get("idempotency_key"));
            return;
        }
        assertThat(r.status()).isEqualTo(201);
        for (String f : List.of("type", "repository_url", "branch", "title", "priority", "idempotency_key")) {
            assertThat(stored.get(f)).as(f).isEqualTo(sent.get(f) == null && f.equals("priority") ? "P2" : sent.get(f));
        }
        if (sent.get("branch") != null) {
            assertThat(gitAcceptsBranch((String) sent.get("branch"))).as("git accepts the branch").isTrue();
        }
        WorkOrder order = Json.read(queue.get(TaskType.of((String) sent.get("type")), (String) reply.get("id"))
                .orElseThrow().payload(), WorkOrder.class);
        assertThat(order.instructions()).isEqualTo(sent.getOrDefault("instructions", ""));
        assertThat(order.testCommand()).isEqualTo(sent.get("test_command"));
        assertThat(order.maxAttempts()).isEqualTo(((Number) sent.getOrDefault("max_attempts", 3)).intValue());
        assertThat(tree(order.metadata())).isEqualTo(tree(sent.get("metadata")));
        Map<String, Object> budget = (Map<String, Object>) sent.get("budget");
        assertThat(order.budget().maxTurns()).isEqualTo(budget.get("max_turns"));
        assertThat(order.budget().timeoutSeconds()).isEqualTo(budget.getOrDefault("timeout_seconds", 3600));
        if (budget.get("max_cost_usd") == null) {
            assertThat(order.budget().maxCostUsd()).isNull();
        } else {
            assertThat(new BigDecimal(order.budget().maxCostUsd().toString()).compareTo(
                    new BigDecimal(String.valueOf(budget.get("max_cost_usd"))))).isZero();
        }
    }

    void worker(Map<String, Object> sent, Reply r) {
        Map<String, Object> stored = read.apply("/api/v1/workers/" + r.json().get("worker_id"));
        for (String f : List.of("name", "version", "worker_types", "max_concurrent_tasks", "specializations", "tools", "metadata")) {
            assertThat(tree(stored.get(f))).as(f).isEqualTo(tree(sent.get(f)));
        }
    }

    void beat(Map<String, Object> sent, Reply r, String workerId) {
        Map<String, Object> stored = read.apply("/api/v1/workers/" + workerId);
        assertThat(stored.get("status")).isEqualTo(sent.get("status"));
        assertThat(tree(stored.get("metadata"))).isEqualTo(tree(sent.get("metadata")));
    }

    private static Object tree(Object value) {
        return Json.mapper().valueToTree(value);
    }

    private static boolean gitAcceptsBranch(String branch) {
        try {
            Process p = new ProcessBuilder("git", "check-ref-format", "--branch", branch).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
