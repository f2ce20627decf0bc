package io.agentvine.controller.api;

import io.agentvine.controller.budgets.Budgets;
import io.agentvine.controller.budgets.CapRequest;
import io.agentvine.controller.security.Roles;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.time.LocalDate;
import java.util.List;

/**
 * Budgets (README "Budgets"): every scope's cap, what it spent (today; a chain over its life) and whether its claims
 * wait; an operator's new cap and an operator's resume at once. A repository is named by its key or any of its URLs,
 * URL-encoded.
 */
@Controller("/api/v1/budgets")
@ExecuteOn(TaskExecutors.BLOCKING)
public class BudgetsController {
    /** The budgets' day and every scope with a cap or with spending. */
    public record BudgetsView(LocalDate day, List<Budgets.State> budgets) {
    }

    private final Budgets budgets;

    public BudgetsController(Budgets budgets) {
        this.budgets = budgets;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get
    public BudgetsView all() {
        LocalDate today = budgets.today();
        return new BudgetsView(today, budgets.states(today));
    }

    @Secured(Roles.ADMIN)
    @Put("/{scope}/{key}")
    public Budgets.State cap(@PathVariable String scope, @PathVariable String key, @Body CapRequest body) {
        return budgets.setCap(scope, key, body.cap());
    }

    @Secured(Roles.ADMIN)
    @Post("/{scope}/{key}/resume")
    public Budgets.State resume(@PathVariable String scope, @PathVariable String key) {
        return budgets.resume(scope, key);
    }
}
