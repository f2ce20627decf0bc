package io.agentvine.queue;

import io.agentvine.model.QueueLevel;
import io.agentvine.model.TaskType;
import java.util.regex.Pattern;

/**
 * The Redis key layout of one worker type. Every key starts with the hash tag
 * {@code {<namespace>:<type>}} so that all keys a script touches live in one Redis Cluster slot.
 * See docs/architecture.md for what each key holds.
 */
public record QueueKeys(String namespace, TaskType type) {
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    public QueueKeys {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace must be 1-32 characters of A-Z a-z 0-9 _ -, was " + namespace);
        }
        if (type == null) {
            throw new IllegalArgumentException("type is required");
        }
    }

    /** {@code {ns:type}:} — passed to every script, which derives the remaining keys from it. */
    public String prefix() {
        return "{" + namespace + ":" + type.name() + "}:";
    }

    public String queue(QueueLevel level) {
        return prefix() + "q:" + level.wireName();
    }

    public String order(String id) {
        return prefix() + "o:" + id;
    }

    public String leases() {
        return prefix() + "leases";
    }

    public String delayed() {
        return prefix() + "delayed";
    }

    public String dead() {
        return prefix() + "dead";
    }

    public String idempotency(String key) {
        return prefix() + "idem:" + key;
    }

    public String wake() {
        return prefix() + "wake";
    }

    /** Hash: {@code paused} ("1" while paused) and {@code due} (earliest retry due, ms; a hint, may be early). */
    public String meta() {
        return prefix() + "meta";
    }

    public String events() {
        return prefix() + "events";
    }
}
