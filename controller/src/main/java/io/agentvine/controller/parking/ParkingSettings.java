package io.agentvine.controller.parking;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** Parked runs, {@code agentvine.parking.*}. */
@ConfigurationProperties("agentvine.parking")
public class ParkingSettings {
    private Duration check = Duration.ofSeconds(2);

    /**
     * How often parked runs whose human decided are looked at besides the moment of a decision on this replica
     * ({@code AGENTVINE_PARK_CHECK}, default 2s): a decision on another replica, or before a restart, sends its run
     * back within it.
     */
    public Duration getCheck() { return check; }
    public void setCheck(Duration v) { this.check = v; }
}
