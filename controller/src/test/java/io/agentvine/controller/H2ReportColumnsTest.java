package io.agentvine.controller;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.Map;

@MicronautTest(transactional = false)
class H2ReportColumnsTest extends ReportColumnsContractTest {
    @Override
    protected Map<String, String> database() {
        return TestDatabases.h2();
    }
}
