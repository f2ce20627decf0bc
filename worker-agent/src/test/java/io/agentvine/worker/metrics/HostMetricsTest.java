package io.agentvine.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.model.WorkerMetrics;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostMetricsTest {
    @Test
    void a_sample_reports_the_real_machine(@TempDir Path dir) {
        HostMetrics m = new HostMetrics(dir.resolve("not-yet-created/workspaces"), Clock.systemUTC());
        WorkerMetrics s = m.sample();
        assertThat(s.memoryTotalBytes()).isPositive();
        assertThat(s.memoryUsedBytes()).isBetween(0L, s.memoryTotalBytes());
        assertThat(s.cpuPercent()).isBetween(0.0, 100.0);
        assertThat(s.diskFreeBytes()).as("measured on the nearest existing parent").isPositive();
        assertThat(s.uptimeSeconds()).isGreaterThanOrEqualTo(0);
        assertThat(m.freeMemoryMb()).isPositive();
        assertThat(m.freeDiskMb()).isPositive();
    }
}
