package io.agentvine.controller;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.Map;

@MicronautTest(transactional = false)
class H2BudgetsTest extends BudgetsContractTest {
    @Override
    protected Map<String, String> database() {
        return TestDatabases.h2();
    }
}
