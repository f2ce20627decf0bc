package io.agentvine.controller.ui;

import io.agentvine.controller.security.Roles;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.Map;

/** The nav's attention badge as a fragment: the layout refreshes it when a clarification comes or goes. */
@Controller("/ui/attention")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AttentionBadgeController {
    private final UiContext ui;

    public AttentionBadgeController(UiContext ui) {
        this.ui = ui;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(value = "/count", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> count() {
        return HttpResponse.ok(UiContext.fragment("attention_badge", Map.of("count", ui.attentionCount())));
    }
}
