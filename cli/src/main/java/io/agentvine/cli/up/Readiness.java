package io.agentvine.cli.up;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.cli.ApiClient;
import io.agentvine.cli.CliException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Waits until the fleet is up: the controller's {@code /health} answers 200, then every named worker has
 * registered (healthy, not deregistered) since this run began — the H2 database keeps earlier runs'
 * workers. It gives up early when a process of the fleet exits.
 */
public final class Readiness {
    private final ApiClient api;
    private final FleetOutput out;
    private final Clock clock;
    private final Instant since;

    public Readiness(ApiClient api, FleetOutput out, Clock clock, Instant since) {
        this.api = api;
        this.out = out;
        this.clock = clock;
        this.since = since;
    }

    /**
     * Waits for the controller and the {@code workers}; {@code exited} names a process of the fleet that
     * has exited (or null). Throws {@link FleetStartException} when it is not ready within {@code timeout}.
     */
    public void await(List<String> workers, Duration timeout, Supplier<Map.Entry<String, Path>> exited)
            throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        List<String> waiting = new ArrayList<>(workers);
        String problem = "";
        boolean controllerUp = false;
        while (clock.instant().isBefore(deadline)) {
            Map.Entry<String, Path> dead = exited.get();
            if (dead != null) {
                throw new FleetStartException(dead.getKey() + " exited while the fleet was starting", dead.getValue());
            }
            try {
                if (!controllerUp) {
                    HttpResponse<String> health = api.raw("/health", false);
                    controllerUp = health.statusCode() == 200;
                    problem = controllerUp ? "" : "/health answers " + health.statusCode() + ": " + health.body();
                    if (controllerUp && waiting.isEmpty()) {
                        out.say(String.format(Locale.ROOT, "  controller up after %.1f s", seconds()));
                    }
                }
                if (controllerUp && runOnce(waiting)) {
                    return;
                }
                if (controllerUp) {
                    problem = "not registered yet: " + String.join(", ", waiting);
                }
            } catch (CliException notYet) {
                problem = notYet.getMessage();
            }
            Thread.sleep(250);
        }
        throw new FleetStartException("not ready after " + timeout.toSeconds() + " s: " + (controllerUp ? "" : "controller not up; ") + problem);
    }

    /** One look at the registered workers: removes those now up from {@code waiting}; true when none is left. */
    boolean runOnce(List<String> waiting) {
        if (waiting.isEmpty()) {
            return true;
        }
        for (JsonNode w : api.get("/api/v1/workers")) {
            String name = w.path("name").asText();
            if (waiting.contains(name) && !w.hasNonNull("deregistered_at") && "healthy".equals(w.path("health").asText())
                    && registeredSince(w)) {
                waiting.remove(name);
                out.say(String.format(Locale.ROOT, "  worker %-16s registered after %.1f s (%s)", name, seconds(), w.path("id").asText()));
            }
        }
        return waiting.isEmpty();
    }

    private boolean registeredSince(JsonNode worker) {
        try {
            return !Instant.parse(worker.path("registered_at").asText()).isBefore(since);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private double seconds() {
        return Duration.between(since, clock.instant()).toMillis() / 1000.0;
    }
}
