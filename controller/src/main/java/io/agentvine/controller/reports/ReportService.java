package io.agentvine.controller.reports;

import io.agentvine.controller.reports.ReportRows.Daily;
import io.agentvine.controller.reports.ReportRows.ModelPerformance;
import io.agentvine.controller.reports.ReportRows.TaskGroup;
import io.agentvine.controller.reports.ReportRows.WorkerEfficiency;
import io.agentvine.model.TaskTypes;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * What each task type, repository, model and worker cost and delivered over a window of the attempt
 * history (docs/architecture.md, "Reports"): the query parameters read once ({@link ReportQuery}), the
 * figures computed by the database ({@link ReportStore}).
 */
@Singleton
public class ReportService {
    private final ReportStore store;
    private final TaskTypes types;
    private final Clock clock;

    public ReportService(ReportStore store, TaskTypes types, Clock clock) {
        this.store = store;
        this.types = types;
        this.clock = clock;
    }

    /** The query parameters as given (null when absent), checked; a bad one names itself. */
    public record Parameters(String since, String until, String type, String repository, String model) {
    }

    private ReportQuery query(Parameters p) {
        return ReportQuery.parse(p.since(), p.until(), p.type(), p.repository(), p.model(), types, clock);
    }

    public Report<WorkerEfficiency> workers(Parameters p) {
        ReportQuery q = query(p);
        return Report.of(q, store.workers(q));
    }

    public Report<ModelPerformance> models(Parameters p) {
        ReportQuery q = query(p);
        return Report.of(q, store.models(q));
    }

    public Report<TaskGroup> types(Parameters p) {
        ReportQuery q = query(p);
        return Report.of(q, store.groups(q, false));
    }

    public Report<TaskGroup> repositories(Parameters p) {
        ReportQuery q = query(p);
        return Report.of(q, store.groups(q, true));
    }

    public Report<Daily> daily(Parameters p) {
        ReportQuery q = query(p);
        return Report.of(q, store.daily(q));
    }
}
