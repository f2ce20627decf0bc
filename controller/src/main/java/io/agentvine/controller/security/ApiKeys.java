package io.agentvine.controller.security;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.model.TaskType;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The configured bearer keys. Admin keys: {@code AGENTVINE_ADMIN_KEYS=key1,key2}; read-only viewer
 * keys: {@code AGENTVINE_VIEWER_KEYS=key3,key4}; worker keys:
 * {@code AGENTVINE_WORKER_KEYS=name:key:feature|bugfix,other:key2:*}. Admin and viewer keys are named
 * {@code admin-N} and {@code viewer-N}. Keys are compared in constant time (every configured key is
 * compared, whatever matched) and never logged or echoed; a key or a name configured twice is refused.
 */
@Singleton
public class ApiKeys {
    private record Entry(byte[] key, Caller caller) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public ApiKeys(ControllerSettings settings) {
        int n = 0;
        for (String k : split(settings.getAdminKeys(), ",")) {
            add(k, new Caller(Caller.Kind.ADMIN, "admin-" + (++n), Set.of(), true), "agentvine.admin-keys");
        }
        n = 0;
        for (String k : split(settings.getViewerKeys(), ",")) {
            add(k, new Caller(Caller.Kind.VIEWER, "viewer-" + (++n), Set.of(), false), "agentvine.viewer-keys");
        }
        for (String spec : split(settings.getWorkerKeys(), ",")) {
            String[] parts = spec.split(":", 3);
            if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
                throw new IllegalArgumentException("agentvine.worker-keys: each entry must be name:key:type|type (or *); "
                        + "entry " + (entries.size() + 1) + " is not");
            }
            boolean all = parts[2].trim().equals("*");
            Set<TaskType> types = new HashSet<>();
            if (!all) {
                for (String t : parts[2].split("\\|")) {
                    types.add(TaskType.of(t.trim()));
                }
            }
            add(parts[1].trim(), new Caller(Caller.Kind.WORKER, parts[0].trim(), Set.copyOf(types), all),
                    "agentvine.worker-keys");
        }
    }

    private void add(String key, Caller caller, String setting) {
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.key(), bytes(key))) {
                throw new IllegalArgumentException(setting + ": the key of '" + caller.keyName()
                        + "' is already the key of '" + e.caller().keyName() + "'; each key must be distinct");
            }
            if (e.caller().keyName().equals(caller.keyName())) {
                throw new IllegalArgumentException(setting + ": the name '" + caller.keyName()
                        + "' is already taken; each key needs its own name (it owns the workers it registers)");
            }
        }
        entries.add(new Entry(bytes(key), caller));
    }

    public Optional<Caller> authenticate(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] p = bytes(presented);
        Caller found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.key(), p) && found == null) {
                found = e.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The operator (admin or viewer) configured under {@code keyName}, if it still is: a browser
     * session ({@link UiSessions}) lives only as long as the key it was opened with.
     */
    public Optional<Caller> operator(String keyName) {
        for (Entry e : entries) {
            if (e.caller().keyName().equals(keyName) && e.caller().kind() != Caller.Kind.WORKER) {
                return Optional.of(e.caller());
            }
        }
        return Optional.empty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> split(String value, String sep) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String s : value.split(sep)) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
