package io.agentvine.worker.runtime;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh {@link TestFleet} (controller, Redis namespace, bare repository) for each test, closed after
 * it: the fixture every end-to-end worker test shares.
 */
public abstract class FleetTestBase {
    @TempDir
    protected Path tmp;
    protected TestFleet fleet;

    /** Settings of the controller besides the fleet's own (none unless a test class needs some). */
    protected Map<String, Object> controllerSettings() {
        return Map.of();
    }

    @BeforeEach
    void startFleet() throws Exception {
        fleet = new TestFleet(tmp, Map.of(), controllerSettings());
    }

    @AfterEach
    void closeFleet() {
        fleet.close();
    }
}
