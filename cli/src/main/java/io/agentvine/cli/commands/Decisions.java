package io.agentvine.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vine approve ID} and {@code vine reject ID --reason}: an operator's decision on an approval request. */
public final class Decisions {
    private Decisions() {
    }

    @Command(name = "approve", description = "Approve what an agent asks to do.")
    public static final class Approve extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--comment")
        String comment;
        @Option(names = "--by", paramLabel = "NAME")
        String by;

        @Override
        public Integer call() {
            return decide(this, id, "approve", comment, by);
        }
    }

    @Command(name = "reject", description = "Reject what an agent asks to do, saying why.")
    public static final class Reject extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--reason", required = true)
        String reason;
        @Option(names = "--by", paramLabel = "NAME")
        String by;

        @Override
        public Integer call() {
            return decide(this, id, "reject", reason, by);
        }
    }

    static int decide(ApiCommand command, String id, String decision, String comment, String by) {
        JsonNode done = AskCommand.answer(command.api(), id, comment, decision, by);
        command.printer().message(decision + "d " + id + " (" + done.path("status").asText() + ")");
        if (command.printer().structured()) {
            command.printer().data(done);
        }
        return 0;
    }
}
