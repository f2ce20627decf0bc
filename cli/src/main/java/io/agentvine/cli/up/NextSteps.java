package io.agentvine.cli.up;

import java.util.List;

/**
 * What {@code vine up} prints once the fleet is ready: the dashboard first, where everything is, and a
 * first task to paste into another terminal, with {@code vine} commands (the admin key is printed once,
 * on its own line, as the dashboard's sign-in needs it; the commands read it from its file).
 */
public final class NextSteps {
    private NextSteps() {
    }

    public static String text(FleetSettings s, FleetOutput out, FleetKeys keys, RedisChoice.Chosen redis, SampleRepository sample) {
        String base = s.baseUrl();
        String data = out.rel(s.data());
        String logs = out.rel(s.logs());
        String type = s.types().contains("feature") ? "feature" : s.types().get(0);
        String agent = s.agent() + ("demo".equals(s.agent()) ? " (scripted, no AI model: set AGENTVINE_AGENT=claude-code for real work)" : "");
        StringBuilder b = new StringBuilder();
        List.of("",
                "AgentVine local fleet",
                "  dashboard   " + base + "/ui   (sign in with the admin key below)",
                "  admin key   " + keys.admin() + "   (for local use; kept in " + data + "/admin-key)",
                "  controller  " + base + "   (OpenAPI: " + base + "/api/openapi/agentvine-controller-1.yml)",
                "  redis       " + redis.url() + " " + redis.note(),
                "  workers     " + String.join(" ", s.types()) + " — agent: " + agent,
                "  logs        " + logs + "/ (controller.log, redis.log, worker-<type>.log); agent output per task: " + data + "/workers/<type>/logs/",
                "  sample repo " + sample.url(),
                "",
                "Enqueue a first task (paste into another terminal):",
                "",
                "  cd " + quote(s.root().toString()) + "; export VINE_SERVER=" + base + " VINE_KEY=\"$(cat " + quote(data + "/admin-key") + ")\"",
                "  ID=$(./vine task create --type " + type + " --repo " + quote(sample.url()) + " --title 'Greet in French' \\",
                "      --instructions 'Add an option to greet.sh that greets in French; keep test.sh passing and add a test for it.' \\",
                "      --permission autonomous --test-command 'sh test.sh'); echo \"$ID\"",
                "",
                "Watch it, and see its commit once it is completed:",
                "",
                "  ./vine task watch \"$ID\" --exit-status   # each state change, then the task (branch, commit, tests)",
                "  ./vine task logs \"$ID\" -f               # the agent's log lines as they come",
                "  ./vine status                           # slots, queues, running tasks, pending questions",
                "  ./vine events                           # the live event stream (Ctrl-C to leave)",
                "  git -C " + quote(out.rel(sample.path())) + " log --stat \"agentvine/" + type + "/$ID\"",
                "",
                "Ctrl-C stops the fleet (workers first, then the controller, then the Redis started here).")
                .forEach(line -> b.append(line).append('\n'));
        return b.toString();
    }

    /** A word for a POSIX shell, single-quoted. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
