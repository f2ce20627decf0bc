package io.agentvine.controller.tasks;

/**
 * Where a queued task waits after an operator moved it: its queue level and its place in it (0 runs next of
 * that level), out of {@code length} waiting there.
 */
public record QueuePlace(String taskId, String queue, long position, long length) {
}
