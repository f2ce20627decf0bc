package io.agentvine.queue;

import java.util.List;

/** What a recovery did: orders back at the head of their queue, dead-lettered poison pills, and cancelled ones. */
public record RecoveryReport(List<String> requeued, List<String> deadLettered, List<String> cancelled) {
    public static final RecoveryReport EMPTY = new RecoveryReport(List.of(), List.of(), List.of());

    public RecoveryReport {
        requeued = List.copyOf(requeued);
        deadLettered = List.copyOf(deadLettered);
        cancelled = List.copyOf(cancelled);
    }

    public int total() {
        return requeued.size() + deadLettered.size() + cancelled.size();
    }

    public RecoveryReport plus(RecoveryReport other) {
        if (other.total() == 0) {
            return this;
        }
        return new RecoveryReport(concat(requeued, other.requeued), concat(deadLettered, other.deadLettered),
                concat(cancelled, other.cancelled));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
