package io.agentvine.controller;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.Map;

@MicronautTest
class PostgresChainsTest extends ChainsContractTest {
    @Override
    protected Map<String, String> database() {
        return TestDatabases.postgres();
    }
}
