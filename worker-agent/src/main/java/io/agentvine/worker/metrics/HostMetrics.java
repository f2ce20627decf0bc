package io.agentvine.worker.metrics;

import io.agentvine.model.WorkerMetrics;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/**
 * What a heartbeat reports about the machine (OSHI): CPU use since the previous sample, memory, the
 * disk that holds the workspaces, load average, and the worker's uptime. Also answers whether there is
 * room for another task (free memory and disk above the configured floors).
 */
public final class HostMetrics {
    private final CentralProcessor cpu;
    private final GlobalMemory memory;
    private final Path workspace;
    private final Clock clock;
    private final Instant startedAt;
    private long[] previousTicks;

    public HostMetrics(Path workspace, Clock clock) {
        SystemInfo si = new SystemInfo();
        this.cpu = si.getHardware().getProcessor();
        this.memory = si.getHardware().getMemory();
        this.workspace = workspace;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.previousTicks = cpu.getSystemCpuLoadTicks();
    }

    /** Samples now; CPU % is the average since the previous sample (0..100 for the whole machine). */
    public synchronized WorkerMetrics sample() {
        double cpuPercent = Math.max(0, cpu.getSystemCpuLoadBetweenTicks(previousTicks) * 100.0);
        previousTicks = cpu.getSystemCpuLoadTicks();
        long total = memory.getTotal();
        long available = memory.getAvailable();
        double[] load = cpu.getSystemLoadAverage(1);
        long[] disk = disk();
        return new WorkerMetrics(round(cpuPercent), total - available, total, disk[0], disk[1],
                load[0] < 0 ? null : round(load[0]), Duration.between(startedAt, clock.instant()).toSeconds());
    }

    public long freeMemoryMb() {
        return memory.getAvailable() / (1024 * 1024);
    }

    public long freeDiskMb() {
        return disk()[1] / (1024 * 1024);
    }

    /** {used, free} bytes of the file store holding the workspace directory (or its nearest existing parent). */
    private long[] disk() {
        Path p = workspace.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return new long[] {0, 0};
        }
        try {
            FileStore store = Files.getFileStore(p);
            long total = store.getTotalSpace();
            long free = store.getUsableSpace();
            return new long[] {Math.max(0, total - free), free};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }

    private static double round(double v) {
        return Math.round(v * 10.0) / 10.0;
    }
}
