package io.agentvine.queue;

public enum CancelResult {
    /** It was queued or waiting for a retry: it is cancelled now and no worker will get it. */
    REMOVED,
    /** A worker runs it: its holder sees the flag at its next lease extension and stops. */
    FLAGGED,
    /** It had already ended (completed, failed, dead or cancelled). */
    ALREADY_FINISHED,
    NOT_FOUND
}
