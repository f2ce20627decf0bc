package io.agentvine.controller.ui;

import static io.agentvine.controller.ui.ReportTable.Column.figure;
import static io.agentvine.controller.ui.ReportTable.Column.name;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agentvine.controller.domain.InvalidInputException;
import io.agentvine.controller.reports.Report;
import io.agentvine.controller.reports.ReportRows.Daily;
import io.agentvine.controller.reports.ReportRows.FailureCount;
import io.agentvine.controller.reports.ReportRows.ModelPerformance;
import io.agentvine.controller.reports.ReportRows.TaskGroup;
import io.agentvine.controller.reports.ReportRows.WorkerEfficiency;
import io.agentvine.controller.reports.ReportService;
import io.agentvine.controller.reports.ReportService.Parameters;
import io.agentvine.controller.ui.model.CostsPage;
import io.agentvine.controller.ui.model.CostsPage.Cell;
import io.agentvine.controller.ui.model.CostsPage.Headline;
import io.agentvine.controller.ui.model.CostsPage.Link;
import io.agentvine.controller.ui.model.CostsPage.Table;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Builds the Costs page from the reports ({@link ReportService}, the same calls the reports API makes,
 * with one window for all): headline figures summed from the per-type report, the daily series for
 * the charts, and the workers, models, task types and repositories as sortable tables. A parameter the
 * reports refuse is shown next to its field, with nothing else.
 */
@Singleton
public class CostsView {
    /** Days without a run are drawn as zero up to this many days; a longer window shows only the days with runs. */
    static final int MAX_FILLED_DAYS = 400;
    private static final DateTimeFormatter WINDOW_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final Map<String, String> PRESET_LABELS = Map.of("24h", "Last 24 hours", "7d", "Last 7 days", "30d", "Last 30 days");

    private final ReportService reports;
    private final TaskTypes taskTypes;
    private final Clock clock;

    private final ReportTable<WorkerEfficiency> workers;
    private final ReportTable<ModelPerformance> models;
    private final ReportTable<TaskGroup> types;
    private final ReportTable<TaskGroup> repositories;

    public CostsView(ReportService reports, TaskTypes taskTypes, Clock clock) {
        this.reports = reports;
        this.taskTypes = taskTypes;
        this.clock = clock;
        this.workers = workerTable();
        this.models = modelTable();
        this.types = groupTable("types", "Task types", false);
        this.repositories = groupTable("repositories", "Repositories", true);
    }

    CostsPage build(CostsFilters f) {
        Instant now = clock.instant();
        List<String> typeNames = taskTypes.allowed().stream().map(TaskType::name).sorted().toList();
        try {
            Parameters p = f.parameters(now);
            Report<TaskGroup> byType = reports.types(p);
            Report<TaskGroup> byRepository = reports.repositories(p);
            Report<ModelPerformance> byModel = reports.models(p);
            Report<WorkerEfficiency> byWorker = reports.workers(p);
            Report<Daily> daily = reports.daily(p);
            List<Table> tables = List.of(
                    workers.build(byWorker.rows(), f.sorts().get(workers.sortParam()), f),
                    models.build(byModel.rows(), f.sorts().get(models.sortParam()), f),
                    types.build(byType.rows(), f.sorts().get(types.sortParam()), f),
                    repositories.build(byRepository.rows(), f.sorts().get(repositories.sortParam()), f));
            return new CostsPage(f.view(), presets(f), window(byType), headline(byType.rows(), byModel.rows()),
                    chart(daily), tables, typeNames, byModel.rows().stream().map(ModelPerformance::model)
                    .filter(m -> m != null).toList(), byRepository.rows().stream().map(TaskGroup::repository).toList(),
                    null, null);
        } catch (InvalidMessageException e) {
            return refused(f, typeNames, e.field(), e.getMessage());
        } catch (InvalidInputException e) {
            return refused(f, typeNames, e.field(), e.getMessage());
        }
    }

    private CostsPage refused(CostsFilters f, List<String> typeNames, String field, String message) {
        return new CostsPage(f.view(), presets(f), null, null, null, List.of(), typeNames, List.of(), List.of(), field, message);
    }

    private static List<Link> presets(CostsFilters f) {
        List<Link> links = new ArrayList<>();
        for (String key : CostsFilters.PRESETS.keySet()) {
            links.add(new Link(PRESET_LABELS.get(key), f.with("window", key), key.equals(f.preset())));
        }
        return links;
    }

    private static String window(Report<?> r) {
        return WINDOW_TIME.format(r.since()) + " → " + WINDOW_TIME.format(r.until());
    }

    private static Headline headline(List<TaskGroup> byType, List<ModelPerformance> byModel) {
        double cost = byType.stream().mapToDouble(TaskGroup::totalCostUsd).sum();
        long tasks = byType.stream().mapToLong(TaskGroup::tasks).sum();
        long completed = byType.stream().mapToLong(TaskGroup::tasksCompleted).sum();
        long failed = byType.stream().mapToLong(TaskGroup::tasksFailed).sum();
        long runs = byType.stream().mapToLong(TaskGroup::runs).sum();
        long tokens = byModel.stream().mapToLong(ModelPerformance::totalTokens).sum();
        return new Headline(Formats.money(cost), Formats.count(tokens), Formats.count(tasks), Formats.count(completed),
                Formats.count(failed), Formats.percent(completed + failed == 0 ? null : (double) completed / (completed + failed)),
                Formats.money(completed == 0 ? null : cost / completed), Formats.count(runs));
    }

    /**
     * The daily report as the charts' JSON: every UTC day of the window (zero where nothing ran) when it
     * spans at most {@link #MAX_FILLED_DAYS}, else the days with runs; one array per type. Null without runs.
     */
    static String chart(Report<Daily> daily) {
        if (daily.rows().isEmpty()) {
            return null;
        }
        TreeSet<LocalDate> days = new TreeSet<>();
        LocalDate first = LocalDate.ofInstant(daily.since(), ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(daily.until().minusNanos(1), ZoneOffset.UTC);
        if (ChronoUnit.DAYS.between(first, last) < MAX_FILLED_DAYS) {
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                days.add(d);
            }
        }
        daily.rows().forEach(r -> days.add(r.date()));
        List<LocalDate> dayList = new ArrayList<>(days);
        List<String> typeNames = daily.rows().stream().map(Daily::type).distinct().sorted().toList();
        Map<String, double[]> cost = new LinkedHashMap<>();
        Map<String, long[]> tasks = new LinkedHashMap<>();
        typeNames.forEach(t -> {
            cost.put(t, new double[dayList.size()]);
            tasks.put(t, new long[dayList.size()]);
        });
        for (Daily r : daily.rows()) {
            int i = dayList.indexOf(r.date());
            cost.get(r.type())[i] += r.costUsd();
            tasks.get(r.type())[i] += r.tasks();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("days", dayList.stream().map(d -> d.atStartOfDay(ZoneOffset.UTC).toEpochSecond()).toList());
        json.put("types", typeNames);
        json.put("cost", typeNames.stream().map(cost::get).toList());
        json.put("tasks", typeNames.stream().map(tasks::get).toList());
        try {
            return Json.mapper().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("numbers and strings always serialize", e);
        }
    }

    // ---- the tables ---------------------------------------------------------------------------------

    private ReportTable<WorkerEfficiency> workerTable() {
        return new ReportTable<>("workers", "Workers", "-cost", List.of(
                name("worker", "Worker", WorkerEfficiency::workerId, null),
                name("tier", "Tier", WorkerEfficiency::tier, null),
                figure("calls", "Calls", WorkerEfficiency::callCount, w -> Formats.count(w.callCount())),
                figure("cost", "Cost", WorkerEfficiency::totalCostUsd, w -> Formats.money(w.totalCostUsd())),
                figure("tokens", "Tokens", WorkerEfficiency::totalTokens, w -> Formats.count(w.totalTokens())),
                figure("cost_per_call", "Cost / call", WorkerEfficiency::avgCostPerCall, w -> Formats.money(w.avgCostPerCall())),
                figure("tokens_per_call", "Tokens / call", WorkerEfficiency::avgTokensPerCall, w -> Formats.count(w.avgTokensPerCall())),
                figure("tokens_per_dollar", "Tokens / $", WorkerEfficiency::efficiencyScore, w -> Formats.count(w.efficiencyScore())),
                figure("completed", "Completed", WorkerEfficiency::tasksCompleted, w -> Formats.count(w.tasksCompleted())),
                figure("failed", "Failed", WorkerEfficiency::tasksFailed, w -> Formats.count(w.tasksFailed())),
                figure("success", "Success", WorkerEfficiency::successRate, w -> Formats.percent(w.successRate())),
                new ReportTable.Column<>("last_active", "Last active", true, WorkerEfficiency::lastActive,
                        w -> new Cell(Formats.ago(w.lastActive(), clock.instant()), true, null,
                                w.lastActive() == null ? null : w.lastActive().toString()), null)));
    }

    private static ReportTable<ModelPerformance> modelTable() {
        return new ReportTable<>("models", "Models", "-cost", List.of(
                name("model", "Model", ModelPerformance::model, "model"),
                figure("calls", "Calls", ModelPerformance::callCount, m -> Formats.count(m.callCount())),
                figure("tokens", "Tokens", ModelPerformance::totalTokens, m -> Formats.count(m.totalTokens())),
                figure("cost", "Cost", ModelPerformance::totalCostUsd, m -> Formats.money(m.totalCostUsd())),
                figure("cost_per_1k", "Cost / 1k tokens", ModelPerformance::avgCostPer1kTokens, m -> Formats.money(m.avgCostPer1kTokens())),
                figure("latency", "Avg latency", ModelPerformance::avgLatencyMs, m -> Formats.millis(m.avgLatencyMs())),
                figure("cache_hits", "Cache hits", ModelPerformance::cacheHitRate, m -> Formats.percent(m.cacheHitRate())),
                figure("success", "Success", ModelPerformance::successRate, m -> Formats.percent(m.successRate())),
                figure("cost_per_completed", "Cost / completed", ModelPerformance::costPerCompletedTask,
                        m -> Formats.money(m.costPerCompletedTask()))));
    }

    private static ReportTable<TaskGroup> groupTable(String id, String title, boolean byRepository) {
        ReportTable.Column<TaskGroup> key = byRepository
                ? name("repository", "Repository", TaskGroup::repository, "repository")
                : name("type", "Type", TaskGroup::type, "type");
        return new ReportTable<>(id, title, "-cost", List.of(key,
                figure("tasks", "Tasks", TaskGroup::tasks, g -> Formats.count(g.tasks())),
                figure("completed", "Completed", TaskGroup::tasksCompleted, g -> Formats.count(g.tasksCompleted())),
                figure("failed", "Failed", TaskGroup::tasksFailed, g -> Formats.count(g.tasksFailed())),
                figure("success", "Success", TaskGroup::successRate, g -> Formats.percent(g.successRate())),
                figure("cost", "Cost", TaskGroup::totalCostUsd, g -> Formats.money(g.totalCostUsd())),
                figure("cost_per_completed", "Cost / completed", TaskGroup::costPerCompletedTask,
                        g -> Formats.money(g.costPerCompletedTask())),
                figure("wait_p50", "Wait p50", TaskGroup::queueWaitP50Ms, g -> Formats.millis(g.queueWaitP50Ms())),
                figure("wait_p95", "Wait p95", TaskGroup::queueWaitP95Ms, g -> Formats.millis(g.queueWaitP95Ms())),
                figure("run_p50", "Run p50", TaskGroup::runTimeP50Ms, g -> Formats.millis(g.runTimeP50Ms())),
                figure("run_p95", "Run p95", TaskGroup::runTimeP95Ms, g -> Formats.millis(g.runTimeP95Ms())),
                figure("retries", "Retries", TaskGroup::retries, g -> Formats.count(g.retries())),
                name("failures", "Top failure reasons", g -> failures(g.topFailureReasons()), null)));
    }

    private static String failures(List<FailureCount> top) {
        return top.isEmpty() ? null : top.stream().map(f -> Formats.words(f.reason()) + " ×" + f.count())
                .collect(Collectors.joining(", "));
    }
}
