package io.agentvine.worker.runtime;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh {@link TestFleet} (controller, Redis namespace, bare repository) for each test, closed after it. */
public abstract class FleetTestBase {
    @TempDir
    protected Path tmp;
    protected TestFleet fleet;

    @BeforeEach
    void startFleet() throws Exception {
        fleet = new TestFleet(tmp, Map.of(), Map.of());
    }

    @AfterEach
    void closeFleet() {
        fleet.close();
    }
}
