package io.agentvine.controller.api;

import io.agentvine.controller.intake.GitHubIntake;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GitHub's webhook ({@code POST /api/v1/integrations/github/webhook}): no bearer key — the delivery's
 * {@code X-Hub-Signature-256} with the webhook's own secret is its authentication ({@link GitHubIntake}).
 */
@Controller("/api/v1/integrations/github/webhook")
@ExecuteOn(TaskExecutors.BLOCKING)
public class GitHubWebhookController {
    private final GitHubIntake intake;

    public GitHubWebhookController(GitHubIntake intake) {
        this.intake = intake;
    }

    @Secured(SecurityRule.IS_ANONYMOUS)
    @Post
    @Consumes({MediaType.APPLICATION_JSON, MediaType.ALL})
    public HttpResponse<Map<String, Object>> receive(@Nullable @Header("X-GitHub-Event") String event,
                                                     @Nullable @Header("X-GitHub-Delivery") String delivery,
                                                     @Nullable @Header("X-Hub-Signature-256") String signature,
                                                     @Nullable @Body byte[] body) {
        if (!intake.enabled()) {
            return HttpResponse.notFound(Map.of("error", "not_found", "field", "path", "status", 404, "message",
                    "the GitHub webhook is off (set AGENTVINE_GITHUB_WEBHOOK_SECRET)"));
        }
        GitHubIntake.Outcome o = intake.receive(event, delivery, signature, body == null ? new byte[0] : body);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("message", o.message());
        if (o.taskId() != null) {
            answer.put("task_id", o.taskId());
        }
        if (o.status() >= 400) {
            answer.put("error", o.status() == 401 ? "unauthorized" : o.status() == 413 ? "payload_too_large" : "bad_request");
            answer.put("field", o.field() == null ? "body" : o.field());
            answer.put("status", o.status());
        }
        return HttpResponse.<Map<String, Object>>status(HttpStatus.valueOf(o.status())).body(answer);
    }
}
