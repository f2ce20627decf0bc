package io.agentvine.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Where to connect and with which key: a flag wins over {@code VINE_SERVER}/{@code VINE_KEY}, which
 * win over the context ({@code --context}, else {@code VINE_CONTEXT}, else the current one). The
 * key is never printed: {@link #toString()} masks it.
 */
public record Connection(URI server, String key, String context) {
    public static final String DEFAULT_SERVER = "http://localhost:8080";

    public static Connection resolve(String serverFlag, String keyFlag, String contextFlag, Io io, VineConfig config) {
        String name = first(contextFlag, io.env("VINE_CONTEXT"), config.currentContext());
        VineConfig.Context ctx = name == null ? null : config.contexts().get(name);
        if (contextFlag != null && ctx == null) {
            throw new CliException(ExitCodes.USAGE, "unknown_context", "no context named '" + contextFlag + "' (vine context list)");
        }
        String server = first(serverFlag, io.env("VINE_SERVER"), ctx == null ? null : ctx.server(), DEFAULT_SERVER);
        String key = first(keyFlag, io.env("VINE_KEY"), ctx == null ? null : ctx.key());
        if (key == null && ctx != null && ctx.keyCommand() != null) {
            key = runKeyCommand(ctx.keyCommand(), name);
        }
        URI uri;
        try {
            uri = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "bad_server", "server", "not a URL: " + e.getMessage(), 0);
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new CliException(ExitCodes.USAGE, "bad_server", "server", "not an http(s) URL: " + server, 0);
        }
        return new Connection(uri, key, ctx == null ? null : name);
    }

    public static String runKeyCommand(String command, String context) {
        try {
            Process p = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                throw new CliException(ExitCodes.AUTH, "key_command_failed",
                        "the key command of context '" + context + "' failed or printed nothing");
            }
            return out;
        } catch (IOException e) {
            throw new CliException(ExitCodes.AUTH, "key_command_failed", "cannot run the key command of context '" + context + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED, "interrupted", "interrupted");
        }
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "Connection[server=" + server + ", key=" + (key == null ? "none" : "****") + ", context=" + context + "]";
    }
}
