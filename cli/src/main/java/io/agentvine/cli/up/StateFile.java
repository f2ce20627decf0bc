package io.agentvine.cli.up;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes a fleet started, in {@code run/fleet-state.json} of its data folder: name, pid, start
 * time and a marker its command line carries. It is written as each one starts and emptied as each one
 * stops, so what a killed {@code vine up} leaves in it is exactly what may still run.
 */
public final class StateFile {
    /**
     * One process of the fleet; {@code startedAt}, {@code startKey} (see {@link ProcessStart}, Linux only) and
     * {@code marker} may be null where the platform cannot tell.
     */
    public record Entry(String name, long pid, Instant startedAt, String startKey, String marker) {
        /** The stopping order: workers, then the controller, then Redis. */
        int rank() {
            return name.startsWith("worker-") ? 0 : name.equals("controller") ? 1 : 2;
        }
    }

    private final Path file;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public StateFile(Path runDir) {
        this.file = runDir.resolve("fleet-state.json");
    }

    public Path path() {
        return file;
    }

    /** The entries a file holds, in stopping order (empty when there is no file or it cannot be read). */
    public List<Entry> read() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<Entry> list = new ArrayList<>();
        try {
            for (JsonNode e : Json.readTree(Files.readString(file)).path("processes")) {
                list.add(new Entry(e.path("name").asText(), e.path("pid").asLong(),
                        e.hasNonNull("started_at") ? Instant.parse(e.get("started_at").asText()) : null,
                        e.hasNonNull("start_key") ? e.get("start_key").asText() : null,
                        e.hasNonNull("marker") ? e.get("marker").asText() : null));
            }
        } catch (IOException | RuntimeException unreadable) {
            return List.of();
        }
        list.sort(Comparator.comparingInt(Entry::rank));
        return list;
    }

    /** Records a process that has started. */
    public synchronized void add(String name, ProcessHandle process, String marker) {
        entries.put(name, new Entry(name, process.pid(), process.info().startInstant().orElse(null),
                ProcessStart.key(process.pid()).orElse(null), marker));
        write();
    }

    /** Forgets a process that has stopped. */
    public synchronized void remove(String name) {
        if (entries.remove(name) != null) {
            write();
        }
    }

    /** Empties the file (a clean stop). */
    public synchronized void clear() {
        entries.clear();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private void write() {
        List<Map<String, Object>> processes = new ArrayList<>();
        for (Entry e : entries.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.name());
            m.put("pid", e.pid());
            m.put("started_at", e.startedAt() == null ? null : e.startedAt().toString());
            m.put("start_key", e.startKey());
            m.put("marker", e.marker());
            processes.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("supervisor", ProcessHandle.current().pid());
        doc.put("processes", processes);
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Json.write(doc));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
