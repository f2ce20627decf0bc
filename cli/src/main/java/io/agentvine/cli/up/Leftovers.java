package io.agentvine.cli.up;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a {@code vine up} that was killed ({@code kill -9}, a closed terminal) left running: the processes
 * its state file still names. Each is stopped only when it is provably the same process — on Linux its start as
 * the kernel counts it ({@link ProcessStart}) is the one recorded; elsewhere its start time matches the recorded one
 * within a second, or, where the platform cannot tell start times, its command line carries the fleet's marker — so
 * a pid the system has since given to another program is left alone.
 */
public final class Leftovers {
    private final StateFile state;
    private final ProcessStopper stopper;
    private final FleetOutput out;

    public Leftovers(StateFile state, ProcessStopper stopper, FleetOutput out) {
        this.state = state;
        this.stopper = stopper;
        this.out = out;
    }

    /** Stops what the last run left, in order (workers, controller, Redis); returns how many were stopped. */
    public int stopAll() {
        int stopped = 0;
        for (StateFile.Entry e : state.read()) {
            Optional<ProcessHandle> p = ProcessHandle.of(e.pid());
            if (p.isPresent() && isOurs(p.get(), e)) {
                out.warn("stopping " + e.name() + " (pid " + e.pid() + "), left over from an earlier run that did not stop cleanly");
                stopper.stop(List.of(p.get()), Duration.ofSeconds(30));
                stopped++;
            }
        }
        state.clear();
        return stopped;
    }

    /** The process is alive and is the one the entry recorded. */
    static boolean isOurs(ProcessHandle p, StateFile.Entry e) {
        if (!p.isAlive()) {
            return false;
        }
        if (e.startKey() != null) {
            Optional<String> key = ProcessStart.key(p.pid());
            if (key.isPresent()) {
                return key.get().equals(e.startKey()); // exact, and immune to steps of the wall clock
            }
        }
        ProcessHandle.Info info = p.info();
        Optional<Instant> started = info.startInstant();
        if (e.startedAt() != null && started.isPresent()) {
            return Duration.between(e.startedAt(), started.get()).abs().compareTo(Duration.ofSeconds(1)) <= 0;
        }
        if (e.marker() == null) {
            return false;
        }
        String command = info.commandLine().or(info::command).orElse("");
        return command.contains(e.marker());
    }
}
