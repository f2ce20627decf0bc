package io.agentvine.worker.runtime;

import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.RunStep;
import io.agentvine.queue.Claim;
import io.agentvine.worker.livelog.LogShipper;
import io.agentvine.worker.livelog.Shipment;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs one claimed order: the {@code started} event (claim time, where its log is), the step
 * {@code preparing}, then the {@link RunPipeline}, its log lines shipped to the attempt's live log, which
 * ends when the pipeline does; once the pipeline is done, the step {@code finishing} while the runtime
 * reports the end.
 */
final class OrderRunner {
    private final RunPipeline pipeline;
    private final RunEvents events;
    private final Supplier<String> workerId;
    private final Path logDir;
    private final String agent;
    private final LogShipper liveLogs;
    private final Clock clock;

    OrderRunner(RunPipeline pipeline, RunEvents events, Supplier<String> workerId, Path logDir, String agent, LogShipper liveLogs,
                Clock clock) {
        this.liveLogs = liveLogs;
        this.clock = clock;
        this.pipeline = pipeline;
        this.events = events;
        this.workerId = workerId;
        this.logDir = logDir;
        this.agent = agent;
    }

    RunResult run(ActiveRun run) {
        Claim claim = run.claim;
        Path logFile = logDir.resolve(claim.order().taskId() + ".log").toAbsolutePath();
        events.publish(events.event(claim, LifecycleEventType.STARTED).model(claim.order().model())
                .claimedAt(run.startedAt).logLocation("worker " + workerId.get() + ": " + logFile)
                .metadata(Map.of("agent", agent)).build());
        events.step(run, RunStep.PREPARING);
        Shipment liveLog = liveLogs.open(claim.order().taskId(), claim.attempt());
        RunResult result;
        try {
            result = RunOutcomes.stoppedBeforeStart(run).orElseGet(() -> pipeline.run(run, workerId.get(), logFile, liveLog, events));
        } finally {
            liveLog.end(clock.instant());
        }
        events.step(run, RunStep.FINISHING);
        return result;
    }
}
