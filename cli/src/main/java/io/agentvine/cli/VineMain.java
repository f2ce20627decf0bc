package io.agentvine.cli;

/** The entry point of the runnable jar ({@code ./vine}). */
public final class VineMain {
    private VineMain() {
    }

    public static void main(String[] args) {
        System.exit(Vine.run(Io.system(), args));
    }
}
