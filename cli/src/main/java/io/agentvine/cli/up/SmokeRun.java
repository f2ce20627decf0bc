package io.agentvine.cli.up;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.cli.ApiClient;
import io.agentvine.cli.CliException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code vine up --smoke}: one task per type against the sample repository, followed until all are
 * final; then each is checked in the repository itself — a non-review task left exactly one commit on
 * main on its work branch, the one it reported; a review pushed nothing. Prints a summary table.
 */
public final class SmokeRun {
    private static final Set<String> FINAL = Set.of("completed", "failed", "dead", "cancelled");

    private final ApiClient api;
    private final SampleRepository sample;
    private final FleetOutput out;
    private final Clock clock;
    private final Map<String, String> ids = new LinkedHashMap<>();
    private final Map<String, JsonNode> last = new LinkedHashMap<>();
    private final Map<String, Double> finishedAfter = new LinkedHashMap<>();
    private Instant start;

    public SmokeRun(ApiClient api, SampleRepository sample, FleetOutput out, Clock clock) {
        this.api = api;
        this.sample = sample;
        this.out = out;
        this.clock = clock;
    }

    /** Runs the smoke test; true when every task completed and left what it should. */
    public boolean run(List<String> types, Duration timeout) throws InterruptedException {
        start = clock.instant();
        for (String type : types) {
            Map<String, Object> budget = Map.of("timeout_seconds", 600);
            JsonNode created = api.post("/api/v1/tasks", Map.of("type", type, "repository_url", sample.url(), "branch", "main",
                    "title", "Smoke " + type + " task", "instructions", "Smoke test of the local fleet: a " + type
                            + " task on the sample project. Keep test.sh passing.",
                    "permission_level", "autonomous", "test_command", "sh test.sh", "budget", budget));
            ids.put(type, created.path("id").asText());
            out.say(String.format(Locale.ROOT, "  enqueued %-8s %s", type, created.path("id").asText()));
        }
        Instant deadline = start.plus(timeout);
        while (!runOnce() && clock.instant().isBefore(deadline)) {
            Thread.sleep(500);
        }
        for (var e : ids.entrySet()) {
            if (!finishedAfter.containsKey(e.getKey())) { // so that it does not run at the next start
                api.delete("/api/v1/tasks/" + ApiClient.seg(e.getValue()));
                out.say("  cancelled " + e.getKey() + " " + e.getValue() + ": not final after " + timeout.toSeconds() + " s");
            }
        }
        return report();
    }

    /** One look at every unfinished task; true when all are final. */
    boolean runOnce() {
        for (var e : ids.entrySet()) {
            if (finishedAfter.containsKey(e.getKey())) {
                continue;
            }
            JsonNode task;
            try {
                task = api.get("/api/v1/tasks/" + ApiClient.seg(e.getValue()));
            } catch (CliException notNow) {
                continue;
            }
            JsonNode before = last.put(e.getKey(), task);
            String state = task.path("state").asText();
            if (before == null || !state.equals(before.path("state").asText())) {
                out.say(String.format(Locale.ROOT, "  [%5.1f s] %-8s %s", seconds(), e.getKey(), state));
            }
            if (FINAL.contains(state)) {
                finishedAfter.put(e.getKey(), seconds());
            }
        }
        return finishedAfter.size() == ids.size();
    }

    private boolean report() {
        boolean ok = !ids.isEmpty();
        String base = sample.commit("main");
        out.say("");
        out.say(String.format(Locale.ROOT, "%-9s %-40s %-10s %7s  %s", "TYPE", "TASK", "STATE", "SECONDS", "COMMIT ON THE WORK BRANCH"));
        for (var e : ids.entrySet()) {
            String type = e.getKey();
            String id = e.getValue();
            JsonNode task = last.get(type);
            String state = task == null ? "unknown" : task.path("state").asText();
            String check = check(type, id, task, state, base);
            ok &= !check.startsWith("FAILED");
            out.say(String.format(Locale.ROOT, "%-9s %-40s %-10s %7.1f  %s", type, id, state,
                    finishedAfter.getOrDefault(type, seconds()), check));
        }
        out.say("");
        return ok;
    }

    private String check(String type, String id, JsonNode task, String state, String base) {
        if (!"completed".equals(state)) {
            String error = task != null && task.hasNonNull("error") ? task.get("error").asText() : state;
            return "FAILED: " + error.replaceAll("\\s+", " ");
        }
        if (type.equals("review")) {
            return sample.commit("refs/heads/agentvine/review/" + id) != null ? "FAILED: a review pushed agentvine/review/" + id
                    : "none (a review changes nothing), as expected";
        }
        String branch = task.path("result").path("branch").asText();
        String reported = task.path("result").path("commit").asText();
        String sha = branch.isEmpty() ? null : sample.commit("refs/heads/" + branch);
        if (sha == null) {
            return "FAILED: no branch " + (branch.isEmpty() ? "(none reported)" : branch) + " in the sample repository";
        }
        if (!sha.equals(reported)) {
            return "FAILED: " + branch + " is at " + sha + ", the task reported " + reported;
        }
        if (base == null || !base.equals(sample.commit(sha + "^"))) {
            return "FAILED: " + branch + " is not one commit on main";
        }
        return branch + " " + sha.substring(0, 10) + " (" + sample.changedFiles(base, sha) + ")";
    }

    private double seconds() {
        return Duration.between(start, clock.instant()).toMillis() / 1000.0;
    }
}
