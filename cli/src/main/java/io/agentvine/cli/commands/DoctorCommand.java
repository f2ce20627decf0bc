package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agentvine.cli.CliException;
import io.agentvine.cli.Column;
import io.agentvine.cli.ExitCodes;
import io.agentvine.model.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vine doctor}: is the server reachable, does the key work, does its health say Redis is up,
 * are workers alive, how far apart are the clocks (from the {@code Date} header). Exit 0 when all
 * pass, 4 when the key is refused, 1 otherwise.
 */
@Command(name = "doctor", description = "Check the server, the key, Redis, the workers and the clock skew.")
public final class DoctorCommand extends ApiCommand {
    private static final List<Column> COLUMNS = List.of(Column.of("CHECK", "check"), Column.of("RESULT", "result"), Column.of("DETAIL", "detail"));

    @Option(names = "--max-skew", defaultValue = "PT5S", description = "Clock skew allowed (ISO-8601, default PT5S).")
    Duration maxSkew;

    private ArrayNode checks;
    private boolean failed;

    @Override
    public Integer call() {
        checks = Json.mapper().createArrayNode();
        HttpResponse<String> health;
        try {
            health = api().raw("/health", false);
        } catch (CliException unreachable) {
            add("server", false, unreachable.getMessage());
            return report(ExitCodes.ERROR);
        }
        add("server", true, api().server() + " answered " + health.statusCode());
        JsonNode body = parse(health.body());
        String redis = body.at("/details/redis/status").asText(body.at("/details/redis").isMissingNode() ? "" : "UNKNOWN");
        add("redis", "UP".equals(redis), redis.isEmpty() ? "the health document names no Redis (status " + body.path("status").asText() + ")"
                : "the controller sees Redis " + redis);
        skew(health);
        HttpResponse<String> workers = api().raw("/api/v1/workers", true);
        int status = workers.statusCode();
        if (vine().connection().key() == null || status == 401 || status == 403) {
            add("auth", false, vine().connection().key() == null ? "no key: set VINE_KEY, --key or a context (vine login --key-stdin)"
                    : "the server refused the key (" + status + ")");
            return report(ExitCodes.AUTH);
        }
        add("auth", status == 200, "the key reads workers (" + status + ")");
        if (status == 200) {
            long alive = 0;
            for (JsonNode w : parse(workers.body())) {
                alive += "healthy".equals(w.path("health").asText()) ? 1 : 0;
            }
            add("workers", alive > 0, alive + " healthy worker(s) of " + parse(workers.body()).size());
        }
        return report(failed ? ExitCodes.ERROR : ExitCodes.OK);
    }

    private void skew(HttpResponse<String> res) {
        Optional<String> date = res.headers().firstValue("Date");
        if (date.isEmpty()) {
            add("clock", false, "the server sent no Date header");
            return;
        }
        try {
            Instant server = ZonedDateTime.parse(date.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration skew = Duration.between(io().clock().instant(), server);
            // The header has whole seconds: up to one second apart is no skew.
            boolean ok = skew.abs().compareTo(maxSkew.plusSeconds(1)) <= 0;
            add("clock", ok, "the server's clock is " + skew.abs().toMillis() + " ms " + (skew.isNegative() ? "behind" : "ahead")
                    + " (its Date header counts whole seconds)");
        } catch (DateTimeParseException e) {
            add("clock", false, "unreadable Date header: " + date.get());
        }
    }

    private static JsonNode parse(String body) {
        try {
            return Json.readTree(body);
        } catch (RuntimeException notJson) {
            return Json.mapper().createObjectNode();
        }
    }

    private void add(String check, boolean ok, String detail) {
        checks.addObject().put("check", check).put("result", ok ? "ok" : "FAIL").put("detail", detail);
        failed |= !ok;
    }

    private int report(int code) {
        printer().list(checks, COLUMNS);
        if (code != ExitCodes.OK) {
            printer().message("doctor: some checks failed");
        }
        return code;
    }
}
