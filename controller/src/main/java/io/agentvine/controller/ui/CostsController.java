package io.agentvine.controller.ui;

import io.agentvine.controller.security.Roles;
import io.agentvine.controller.ui.model.CostsPage;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.HashMap;
import java.util.Map;

/**
 * The Costs page ({@code /ui/costs}): what the fleet cost and delivered over a window, from the reports
 * (issue #18); window, filters and each table's sort order in the URL ({@link CostsFilters}).
 */
@Controller("/ui/costs")
@ExecuteOn(TaskExecutors.BLOCKING)
public class CostsController {
    private final UiContext ui;
    private final CostsView costs;

    public CostsController(UiContext ui, CostsView costs) {
        this.ui = ui;
        this.costs = costs;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> page(HttpRequest<?> request, @Nullable @QueryValue String window, @Nullable @QueryValue String since,
                                @Nullable @QueryValue String until, @Nullable @QueryValue String type,
                                @Nullable @QueryValue String repository, @Nullable @QueryValue String model) {
        Map<String, String> sorts = new HashMap<>();
        for (String param : CostsFilters.SORT_PARAMS) {
            request.getParameters().getFirst(param).ifPresent(v -> sorts.put(param, v));
        }
        CostsPage page = costs.build(CostsFilters.of(window, since, until, type, repository, model, sorts));
        // A refused parameter: the page with the message next to its field, as a 400.
        return HttpResponse.status(page.error() == null ? HttpStatus.OK : HttpStatus.BAD_REQUEST).contentType(MediaType.TEXT_HTML_TYPE)
                .body(UiContext.page("costs", ui.layout(request, "Costs", "costs"), page));
    }
}
