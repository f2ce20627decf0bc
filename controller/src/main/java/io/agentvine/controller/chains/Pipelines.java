package io.agentvine.controller.chains;

import io.agentvine.controller.tasks.TaskCreated;
import io.agentvine.controller.tasks.TaskLinks;
import io.agentvine.controller.tasks.TaskRequest;
import io.agentvine.controller.tasks.TaskRequest.PipelineStep;
import io.agentvine.controller.tasks.TaskRequestRules;
import io.agentvine.controller.tasks.TaskSubmission;
import io.agentvine.controller.tasks.TaskSubmission.Planned;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/tasks} with a {@code pipeline}: one task per step, made in one request and stored in
 * one commit. A step waits for the steps it names in {@code depends_on} (default: the step before) and
 * continues the work branch of the first of them, so a feature → test → review pipeline runs in order on
 * one branch. The first steps (no parents) are queued at once. Unknown step names and cycles are refused
 * (400, naming {@code pipeline[i].depends_on}) before anything is stored.
 */
@Singleton
public class Pipelines {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final TaskSubmission submission;
    private final TaskRequestRules rules;
    private final TaskTypes taskTypes;
    private final ChainSettings settings;

    public Pipelines(TaskSubmission submission, TaskRequestRules rules, TaskTypes taskTypes, ChainSettings settings) {
        this.submission = submission;
        this.rules = rules;
        this.taskTypes = taskTypes;
        this.settings = settings;
    }

    public TaskCreated create(TaskRequest req) {
        List<PipelineStep> steps = req.pipeline();
        if (steps.isEmpty()) {
            throw new InvalidMessageException("pipeline", "needs at least one step");
        }
        if (steps.size() > settings.getMaxPipelineSteps()) {
            throw new InvalidMessageException("pipeline", "at most " + settings.getMaxPipelineSteps() + " steps, was " + steps.size());
        }
        if (req.idempotencyKey() != null && !req.idempotencyKey().isBlank()) {
            throw new InvalidMessageException("idempotency_key", "give each step its own in its metadata; a pipeline has none");
        }
        List<String> parentsOutside = TaskSubmission.dependsOn(req.dependsOn(), "depends_on");
        List<String> names = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            PipelineStep s = steps.get(i);
            if (s == null) {
                throw new InvalidMessageException("pipeline[" + i + "]", "is empty");
            }
            String name = s.name() == null || s.name().isBlank() ? stepType(req, s, i) + "-" + (i + 1) : s.name().trim();
            if (!NAME.matcher(name).matches()) {
                throw new InvalidMessageException("pipeline[" + i + "].name", "must be 1-64 characters of A-Z a-z 0-9 _ -");
            }
            if (index.putIfAbsent(name, i) != null) {
                throw new InvalidMessageException("pipeline[" + i + "].name", "'" + name + "' names two steps");
            }
            names.add(name);
        }
        List<List<Integer>> parents = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            List<String> named = steps.get(i).dependsOn();
            List<Integer> ps = new ArrayList<>();
            if (named == null) {
                if (i > 0) {
                    ps.add(i - 1);
                }
            } else {
                for (String n : named) {
                    Integer j = index.get(n);
                    if (j == null) {
                        throw new InvalidMessageException("pipeline[" + i + "].depends_on", "no step is named '" + n + "'");
                    }
                    if (j == i || ps.contains(j)) {
                        throw new InvalidMessageException("pipeline[" + i + "].depends_on",
                                j == i ? "a step cannot wait for itself" : "names '" + n + "' twice");
                    }
                    ps.add(j);
                }
            }
            parents.add(ps);
        }
        List<Integer> order = topological(parents, names);
        // ids are given at planning: plan in dependency order, so that each step knows its parents' ids
        String[] ids = new String[steps.size()];
        Planned[] planned = new Planned[steps.size()];
        Set<String> plannedIds = new HashSet<>();
        String chainId = null;
        for (int i : order) {
            TaskRequest stepReq = merge(req, steps.get(i));
            String field = "pipeline[" + i + "].";
            try {
                rules.check(stepReq);
            } catch (InvalidMessageException e) {
                throw new InvalidMessageException(field + e.field(), problem(e));
            }
            List<String> deps = new ArrayList<>(parentsOutside);
            for (int j : parents.get(i)) {
                deps.add(ids[j]);
            }
            String continues = parents.get(i).isEmpty() ? null : ids[parents.get(i).get(0)];
            Planned p = submission.plan(stepReq, new TaskLinks(deps, continues, null, names.get(i)), field, plannedIds);
            // the chain is named after the step planned first (no parent inside the pipeline)
            chainId = chainId == null ? p.row().id() : chainId;
            planned[i] = p;
            ids[i] = p.row().id();
            plannedIds.add(ids[i]);
        }
        List<Planned> all = new ArrayList<>();
        for (int i : order) {
            Planned p = planned[i];
            all.add(new Planned(p.row(), p.order(), new TaskLinks(p.links().dependsOn(), p.links().continues(), chainId,
                    p.links().step()), p.decision(), null));
        }
        submission.submit(all, req);
        List<TaskCreated.Step> created = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            created.add(new TaskCreated.Step(names.get(i), ids[i], planned[i].order().type().name(),
                    planned[i].row().state().wireName(), planned[i].links().dependsOn()));
        }
        return submission.created(all.get(0)).withPipeline(created);
    }

    private String stepType(TaskRequest req, PipelineStep s, int i) {
        String type = s.type() != null ? s.type() : req.type();
        if (type == null) {
            throw new InvalidMessageException("pipeline[" + i + "].type", "is required (or give the request a type)");
        }
        TaskType t = taskTypes.require(type);
        return t.name();
    }

    /** Kahn's order of the steps; a cycle is refused naming a step on it. */
    private static List<Integer> topological(List<List<Integer>> parents, List<String> names) {
        int n = parents.size();
        int[] waiting = new int[n];
        List<List<Integer>> children = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            children.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            waiting[i] = parents.get(i).size();
            for (int p : parents.get(i)) {
                children.get(p).add(i);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (waiting[i] == 0) {
                order.add(i);
            }
        }
        for (int k = 0; k < order.size(); k++) {
            for (int c : children.get(order.get(k))) {
                if (--waiting[c] == 0) {
                    order.add(c);
                }
            }
        }
        if (order.size() < n) {
            for (int i = 0; i < n; i++) {
                if (waiting[i] > 0) {
                    throw new InvalidMessageException("pipeline[" + i + "].depends_on",
                            "the steps wait for each other in a cycle (through '" + names.get(i) + "')");
                }
            }
        }
        return order;
    }

    private static TaskRequest merge(TaskRequest r, PipelineStep s) {
        return new TaskRequest(or(s.type(), r.type()), r.repositoryUrl(), r.branch(),
                or(s.title(), r.title() == null ? null : r.title() + (s.name() == null ? "" : " — " + s.name())),
                or(s.instructions(), r.instructions()), or(s.priority(), r.priority()), or(s.permissionLevel(), r.permissionLevel()),
                or(s.testCommand(), r.testCommand()), or(s.modelTier(), r.modelTier()), or(s.model(), r.model()),
                s.budget() != null ? s.budget() : r.budget(), null, s.maxAttempts() != null ? s.maxAttempts() : r.maxAttempts(),
                s.metadata() != null ? s.metadata() : r.metadata(), null, null, null, null);
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }

    private static String problem(InvalidMessageException e) {
        return e.getMessage().startsWith(e.field() + ": ") ? e.getMessage().substring(e.field().length() + 2) : e.getMessage();
    }
}
