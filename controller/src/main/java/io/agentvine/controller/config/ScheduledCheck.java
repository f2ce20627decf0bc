package io.agentvine.controller.config;

import io.agentvine.loop.CheckLoop;
import io.agentvine.loop.Wakeup;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import java.time.Duration;

/**
 * A controller check run in a {@link CheckLoop} from the application's start and stopped with it (at shutdown, or
 * when the bean is destroyed). Each check is a {@code @Context} subclass, off when {@code agentvine.background.enabled}
 * is false (tests then drive the check's {@code runOnce()} themselves).
 */
public abstract class ScheduledCheck {
    private final CheckLoop loop;

    protected ScheduledCheck(String name, Duration every, Wakeup wakeup, Runnable pass) {
        this.loop = new CheckLoop(name, every, wakeup, pass);
    }

    @EventListener
    public void onShutdown(ShutdownEvent event) {
        close();
    }

    @PreDestroy
    public void close() {
        loop.close();
    }
}
