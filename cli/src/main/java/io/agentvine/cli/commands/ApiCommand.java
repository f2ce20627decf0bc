package io.agentvine.cli.commands;

import io.agentvine.cli.ApiClient;
import io.agentvine.cli.Io;
import io.agentvine.cli.Printer;
import io.agentvine.cli.Vine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command of {@code vine}: reaches the root's connection, printer and streams. */
public abstract class ApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    protected Vine vine() {
        return (Vine) spec.root().userObject();
    }

    protected ApiClient api() {
        return vine().api();
    }

    protected Printer printer() {
        return vine().printer();
    }

    protected Io io() {
        return vine().io();
    }
}
