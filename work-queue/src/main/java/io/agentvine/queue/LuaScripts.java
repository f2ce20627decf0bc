package io.agentvine.queue;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The queue's Lua scripts, each the shared {@code lib.lua} followed by its own body. They run by SHA
 * ({@code EVALSHA}); after a Redis restart or {@code SCRIPT FLUSH} the server answers NOSCRIPT and the
 * script is sent once in full ({@code EVAL}, which caches it again) — callers never see the difference.
 */
final class LuaScripts {
    enum Name {
        ENQUEUE, CLAIM, EXTEND, ACK, FAIL, RELEASE, PARK, UNPARK, CANCEL, REMOVE, REPRIORITIZE, MOVE, RETRY,
        RECOVER_EXPIRED, RECOVER_WORKER, PAUSE, STATS, LIST, REPOSITORY;

        String file() {
            return name().toLowerCase(java.util.Locale.ROOT) + ".lua";
        }
    }

    record Script(Name name, String source, String sha) {
    }

    private final Script[] scripts = new Script[Name.values().length];

    LuaScripts() {
        String lib = resource("lib.lua");
        for (Name n : Name.values()) {
            String source = lib + "\n" + resource(n.file());
            scripts[n.ordinal()] = new Script(n, source, sha1(source));
        }
    }

    Script get(Name name) {
        return scripts[name.ordinal()];
    }

    /** Runs a script by SHA, falling back to sending its source once when the server lost its cache. */
    List<Object> run(RedisClusterCommands<String, String> redis, Name name, String key, String... args) {
        Script s = get(name);
        String[] keys = {key};
        try {
            return redis.evalsha(s.sha(), ScriptOutputType.MULTI, keys, args);
        } catch (RedisNoScriptException e) {
            return redis.eval(s.source(), ScriptOutputType.MULTI, keys, args);
        }
    }

    /** The same as {@link #run}, without blocking the caller. */
    java.util.concurrent.CompletionStage<List<Object>> runAsync(RedisClusterAsyncCommands<String, String> redis, Name name,
                                                                String key, String... args) {
        Script s = get(name);
        String[] keys = {key};
        return redis.<List<Object>>evalsha(s.sha(), ScriptOutputType.MULTI, keys, args)
                .handle((r, e) -> {
                    if (e == null) {
                        return java.util.concurrent.CompletableFuture.completedFuture(r);
                    }
                    Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                    if (cause instanceof RedisNoScriptException) {
                        return redis.<List<Object>>eval(s.source(), ScriptOutputType.MULTI, keys, args).toCompletableFuture();
                    }
                    return java.util.concurrent.CompletableFuture.<List<Object>>failedFuture(cause);
                })
                .thenCompose(f -> f);
    }

    /** Loads every script into the server's cache (on start, so the first calls don't pay for it). */
    void preload(RedisClusterCommands<String, String> redis) {
        for (Script s : scripts) {
            redis.scriptLoad(s.source());
        }
    }

    private static String resource(String file) {
        try (InputStream in = LuaScripts.class.getResourceAsStream("lua/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua script " + file + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
