package io.agentvine.cli.commands;

import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vine task watch ID [--exit-status]}: follows a task to its end, as {@code gh run watch}. */
@Command(name = "watch", description = "Follow a task until it ends or waits for a human.")
public final class TaskWatch extends ApiCommand {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--exit-status", description = "Exit 5 when the task failed, died or was cancelled.")
    boolean exitStatus;

    @Option(names = "--interval", defaultValue = "PT2S", description = "Polling interval (ISO-8601, default PT2S).")
    Duration interval;

    @Override
    public Integer call() throws InterruptedException {
        return new TaskFollower(api(), printer(), interval).follow(id, exitStatus);
    }
}
