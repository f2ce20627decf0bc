package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A worker host's resource snapshot, sent inside a {@link Heartbeat}. All values are required and
 * not negative, except {@code loadAverage}, which some platforms cannot report: send null then,
 * not a negative sentinel.
 *
 * @param cpuPercent     CPU use summed over cores, so up to 100 × cores (e.g. 250.0 on a busy 4-core host)
 * @param loadAverage    one-minute load average, or null when unknown
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkerMetrics(
        Double cpuPercent,
        Long memoryUsedBytes,
        Long memoryTotalBytes,
        Long diskUsedBytes,
        Long diskFreeBytes,
        Double loadAverage,
        Long uptimeSeconds) {

    public WorkerMetrics {
        Check.nonNegativeAmount(Check.required(cpuPercent, "cpu_percent"), "cpu_percent");
        Check.nonNegative(Check.required(memoryUsedBytes, "memory_used_bytes"), "memory_used_bytes");
        Check.nonNegative(Check.required(memoryTotalBytes, "memory_total_bytes"), "memory_total_bytes");
        Check.nonNegative(Check.required(diskUsedBytes, "disk_used_bytes"), "disk_used_bytes");
        Check.nonNegative(Check.required(diskFreeBytes, "disk_free_bytes"), "disk_free_bytes");
        Check.nonNegativeAmount(loadAverage, "load_average");
        Check.nonNegative(Check.required(uptimeSeconds, "uptime_seconds"), "uptime_seconds");
    }
}
