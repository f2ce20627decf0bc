package io.agentvine.controller;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.Map;

@MicronautTest(transactional = false)
class PostgresReportColumnsTest extends ReportColumnsContractTest {
    @Override
    protected Map<String, String> database() {
        return TestDatabases.postgres();
    }
}
