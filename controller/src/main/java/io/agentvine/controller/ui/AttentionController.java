package io.agentvine.controller.ui;

import io.agentvine.controller.clarifications.AnswerRequest;
import io.agentvine.controller.clarifications.ClarificationService;
import io.agentvine.controller.clarifications.ClarificationView;
import io.agentvine.controller.security.Roles;
import io.agentvine.controller.ui.model.AttentionPage;
import io.agentvine.controller.ui.model.Flash;
import io.agentvine.model.InvalidMessageException;
import io.swagger.v3.oas.annotations.Hidden;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.List;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.Map;

/**
 * The Attention page ({@code /ui/attention}): pending questions and approvals first, answered inline
 * (an approval with its diff summary, approve or reject); its list as a fragment refreshed on
 * clarification events; and the nav's badge ({@code /ui/attention/count}), which every page refreshes.
 */
@Hidden // a dashboard page, not part of the API (its OpenAPI document)
@Controller("/ui/attention")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AttentionController {
    private static final int RECENT = 20;

    private final UiContext ui;
    private final ClarificationService clarifications;

    public AttentionController(UiContext ui, ClarificationService clarifications) {
        this.ui = ui;
        this.clarifications = clarifications;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> page(HttpRequest<?> request) {
        return HttpResponse.ok(UiContext.page("attention", ui.layout(request, "Attention", "attention"),
                build(UiContext.caller(request).isAdmin())));
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(value = "/list", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> list(HttpRequest<?> request) {
        return list(UiContext.caller(request).isAdmin(), null);
    }

    /**
     * Answers a question (an option's button sends {@code answer}; the text field sends {@code text}) or
     * decides an approval ({@code decision} approve|reject, {@code text} as the comment).
     */
    @Secured(Roles.ADMIN)
    @Post(value = "/{id}/answer", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> answer(HttpRequest<?> request, @PathVariable String id, @Nullable @Body("answer") String answer,
                                  @Nullable @Body("text") String typed, @Nullable @Body("decision") String decision) {
        String text = answer != null && !answer.isBlank() ? answer.trim() : typed == null || typed.isBlank() ? null : typed.trim();
        if (decision == null && text == null) {
            throw new InvalidMessageException("answer", "is required: write an answer or pick an option");
        }
        ClarificationView v = clarifications.answer(id, new AnswerRequest(text, decision, null), UiContext.caller(request).keyName());
        String what = "approval".equals(v.kind()) ? "Decision sent: " + v.status() : "Answer sent";
        return list(true, Flash.success(what + " — the worker goes on with " + (v.taskTitle() == null ? v.taskId() : v.taskTitle()) + "."));
    }

    private HttpResponse<?> list(boolean admin, Flash flash) {
        Map<String, Object> params = Map.of("page", build(admin));
        return flash == null ? HttpResponse.ok(UiContext.fragment("attention_list", params))
                : UiContext.withFlash("attention_list", params, flash);
    }

    private AttentionPage build(boolean admin) {
        List<ClarificationView> pending = clarifications.list("pending", null);
        List<ClarificationView> recent = clarifications.list(null, null).stream()
                .filter(c -> !"pending".equals(c.status())).limit(RECENT).toList();
        return new AttentionPage(pending, recent, admin);
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(value = "/count", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> count() {
        return HttpResponse.ok(UiContext.fragment("attention_badge", Map.of("count", ui.attentionCount())));
    }
}
