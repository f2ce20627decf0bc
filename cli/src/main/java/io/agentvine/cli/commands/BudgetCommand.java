package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.cli.ApiClient;
import io.agentvine.cli.CliException;
import io.agentvine.cli.Column;
import io.agentvine.cli.ExitCodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vine budget}: every budget's cap, spend and state; {@code budget set SCOPE KEY}; {@code budget resume SCOPE KEY}. */
@Command(name = "budget", description = "Budgets: caps, what each scope spent today (a chain: in its life) and whether its "
        + "claims wait; set a cap or resume a scope at once. SCOPE is fleet (KEY all), type, repo (KEY any of its URLs or its key, e.g. github.com/acme/shop) or chain "
        + "(KEY its first task).", subcommands = {BudgetCommand.Set.class, BudgetCommand.Resume.class})
public final class BudgetCommand extends ApiCommand {

    @Override
    public Integer call() {
        JsonNode view = api().get("/api/v1/budgets");
        printer().list(view.path("budgets"), List.of(Column.of("SCOPE", "scope"), Column.of("KEY", "key"),
                Column.of("SPENT USD", "/spent/usd"), Column.of("CAP USD", "/cap/usd"), Column.of("SPENT TOKENS", "/spent/tokens"),
                Column.of("CAP TOKENS", "/cap/tokens"), Column.of("USED", b -> Math.round(b.path("used").asDouble() * 100) + " %"),
                Column.of("STATE", b -> b.path("paused").asBoolean() ? "budget_paused"
                        : b.path("resumed").asBoolean() ? "resumed" : "ok")));
        return 0;
    }

    /** SCOPE KEY: which budget. */
    static final class Scope {
        @Parameters(index = "0", paramLabel = "SCOPE", description = "fleet, type, repo or chain")
        String scope;
        @Parameters(index = "1", paramLabel = "KEY", description = "all (fleet), a type, a repository URL, a chain's first task")
        String key;

        String path() {
            return "/api/v1/budgets/" + ApiClient.seg(scope) + "/" + ApiClient.seg(key);
        }

        @Override
        public String toString() {
            return scope + " " + key;
        }
    }

    @Command(name = "set", description = "Set a scope's cap (raise or lower it) in USD, tokens or both; a unit left out "
            + "keeps its configured cap.")
    static final class Set extends ApiCommand {
        @Mixin
        Scope at;
        @Option(names = "--usd", description = "the cap in US dollars")
        Double usd;
        @Option(names = "--tokens", description = "the cap in tokens (input and output)")
        Long tokens;

        @Override
        public Integer call() {
            if (usd == null && tokens == null) {
                throw new CliException(ExitCodes.USAGE, "usage", "give --usd, --tokens or both");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("usd", usd);
            body.put("tokens", tokens);
            body.values().removeIf(v -> v == null);
            JsonNode state = api().put(at.path(), body);
            printer().object(state);
            printer().message("set the cap of the " + at);
            return 0;
        }
    }

    @Command(name = "resume", description = "Let a scope's claims go on at once, for the rest of its day, whatever it spent.")
    static final class Resume extends ApiCommand {
        @Mixin
        Scope at;

        @Override
        public Integer call() {
            JsonNode state = api().post(at.path() + "/resume", null);
            printer().object(state);
            printer().message("resumed the " + at + " for today");
            return 0;
        }
    }
}
