package io.agentvine.cli;

/**
 * A failure to report and the exit code to end with. From the API: its {@code error} code, the
 * {@code field} at fault and its message, kept as they came (printed as JSON with {@code -o json}).
 */
public class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String error;
    private final String field;
    private final int status;

    public CliException(int exitCode, String error, String field, String message, int status) {
        super(message);
        this.exitCode = exitCode;
        this.error = error;
        this.field = field;
        this.status = status;
    }

    public CliException(int exitCode, String error, String message) {
        this(exitCode, error, null, message, 0);
    }

    public static CliException fromApi(int status, String error, String field, String message) {
        int code = status == 401 || status == 403 ? ExitCodes.AUTH : ExitCodes.ERROR;
        String text = message;
        if (status == 401) {
            text = "the server refused the key (401): check --key, VINE_KEY or the context's key (vine login --key-stdin)";
        } else if (status == 403) {
            text = "the key may not do this (403): " + (message == null ? "an admin key is needed" : message);
        }
        return new CliException(code, error == null ? "http_" + status : error, field, text, status);
    }

    public int exitCode() {
        return exitCode;
    }

    public String error() {
        return error;
    }

    public String field() {
        return field;
    }

    public int status() {
        return status;
    }
}
