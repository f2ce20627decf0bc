package io.agentvine.controller;

import io.agentvine.queue.testing.SettableClock;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;

/** Tests that move time set {@code test.settable-clock=true} and get this clock everywhere (queue included). */
@Factory
@Requires(property = "test.settable-clock", value = "true")
class TestClockFactory {
    @Singleton
    @Replaces(bean = Clock.class)
    SettableClock clock() {
        return new SettableClock(Instant.now());
    }
}
