package io.agentvine.controller;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.Map;

@MicronautTest
class PostgresReportsTest extends ReportsContractTest {
    @Override
    protected Map<String, String> database() {
        return TestDatabases.postgres();
    }
}
