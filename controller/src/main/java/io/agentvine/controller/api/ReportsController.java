package io.agentvine.controller.api;

import io.agentvine.controller.reports.Report;
import io.agentvine.controller.reports.ReportRows.Daily;
import io.agentvine.controller.reports.ReportRows.ModelPerformance;
import io.agentvine.controller.reports.ReportRows.TaskGroup;
import io.agentvine.controller.reports.ReportRows.WorkerEfficiency;
import io.agentvine.controller.reports.ReportService;
import io.agentvine.controller.reports.ReportService.Parameters;
import io.agentvine.controller.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

/**
 * What the fleet cost and delivered, over {@code since}/{@code until} (default: the last 7 days),
 * filtered by {@code type}, {@code repository} and {@code model}: per worker, model, task type,
 * repository, and a daily series per type.
 */
@Controller("/api/v1/reports")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ReportsController {
    private final ReportService reports;

    public ReportsController(ReportService reports) {
        this.reports = reports;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get("/workers")
    public Report<WorkerEfficiency> workers(@Nullable @QueryValue String since, @Nullable @QueryValue String until,
                                            @Nullable @QueryValue String type, @Nullable @QueryValue String repository,
                                            @Nullable @QueryValue String model) {
        return reports.workers(new Parameters(since, until, type, repository, model));
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get("/models")
    public Report<ModelPerformance> models(@Nullable @QueryValue String since, @Nullable @QueryValue String until,
                                           @Nullable @QueryValue String type, @Nullable @QueryValue String repository,
                                           @Nullable @QueryValue String model) {
        return reports.models(new Parameters(since, until, type, repository, model));
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get("/types")
    public Report<TaskGroup> types(@Nullable @QueryValue String since, @Nullable @QueryValue String until,
                                   @Nullable @QueryValue String type, @Nullable @QueryValue String repository,
                                   @Nullable @QueryValue String model) {
        return reports.types(new Parameters(since, until, type, repository, model));
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get("/repositories")
    public Report<TaskGroup> repositories(@Nullable @QueryValue String since, @Nullable @QueryValue String until,
                                          @Nullable @QueryValue String type, @Nullable @QueryValue String repository,
                                          @Nullable @QueryValue String model) {
        return reports.repositories(new Parameters(since, until, type, repository, model));
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get("/daily")
    public Report<Daily> daily(@Nullable @QueryValue String since, @Nullable @QueryValue String until,
                               @Nullable @QueryValue String type, @Nullable @QueryValue String repository,
                               @Nullable @QueryValue String model) {
        return reports.daily(new Parameters(since, until, type, repository, model));
    }
}
