package io.agentvine.controller;

import io.agentvine.logging.LogFormat;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

@OpenAPIDefinition(info = @Info(title = "AgentVine controller", version = "1",
        description = "Tasks, workers, queues and events of an AgentVine fleet"))
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        LogFormat.problem(System.getenv(LogFormat.VARIABLE)).ifPresent(problem -> {
            System.err.println(problem);
            System.exit(2);
        });
        Micronaut.build(args).banner(false).start();
    }
}
