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
 * The configured bearer keys. Admin keys: {@code AGENTVINE_ADMIN_KEYS=key1,key2}. Worker keys:
 * {@code AGENTVINE_WORKER_KEYS=name:key:feature|bugfix,other:key2:*}. Keys are compared in constant
 * time (every configured key is compared, whatever matched) and never logged or echoed.
 */
@Singleton
public class ApiKeys {
    private record Entry(byte[] key, Caller caller) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public ApiKeys(ControllerSettings settings) {
        int n = 0;
        for (String k : split(settings.getAdminKeys(), ",")) {
            entries.add(new Entry(bytes(k), new Caller(Caller.Kind.ADMIN, "admin-" + (++n), Set.of(), true)));
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
            entries.add(new Entry(bytes(parts[1].trim()), new Caller(Caller.Kind.WORKER, parts[0].trim(), Set.copyOf(types), all)));
        }
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

    public boolean isEmpty() {
        return entries.isEmpty();
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
