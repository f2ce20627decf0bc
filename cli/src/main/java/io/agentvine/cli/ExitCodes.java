package io.agentvine.cli;

/** The documented exit codes of {@code vine} (also in {@code vine --help} and the README). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int USAGE = 2;
    public static final int AUTH = 4;
    public static final int TASK_FAILED = 5;
    public static final int WAITING_FOR_HUMAN = 6;
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
